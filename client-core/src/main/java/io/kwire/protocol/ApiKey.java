package io.kwire.protocol;

/**
 * PLACEHOLDER until the protocol generator emits this enum from Kafka's schemas (the codec work replaces this
 * file with a generated one). It exists so that the modules compile in the meantime.
 */
public enum ApiKey {
    PRODUCE(0, "Produce", 3, 12, 9),
    FETCH(1, "Fetch", 4, 17, 12),
    METADATA(3, "Metadata", 0, 13, 9),
    API_VERSIONS(18, "ApiVersions", 0, 4, 3);

    private final short id;
    private final String displayName;
    private final short lowest;
    private final short highest;
    private final short firstFlexible;

    ApiKey(int id, String displayName, int lowest, int highest, int firstFlexible) {
        this.id = (short) id;
        this.displayName = displayName;
        this.lowest = (short) lowest;
        this.highest = (short) highest;
        this.firstFlexible = (short) firstFlexible;
    }

    public short id() {
        return id;
    }

    public String displayName() {
        return displayName;
    }

    public short lowestSupportedVersion() {
        return lowest;
    }

    public short highestSupportedVersion() {
        return highest;
    }

    /** The first version that uses the flexible (KIP-482) encoding, or -1 if none does. */
    public short firstFlexibleVersion() {
        return firstFlexible;
    }

    public short requestHeaderVersion(short apiVersion) {
        return apiVersion >= firstFlexible && firstFlexible >= 0 ? (short) 2 : (short) 1;
    }

    public short responseHeaderVersion(short apiVersion) {
        if (this == API_VERSIONS) {
            return 0; // KIP-511: the ApiVersions response header is always v0
        }
        return apiVersion >= firstFlexible && firstFlexible >= 0 ? (short) 1 : (short) 0;
    }
}
