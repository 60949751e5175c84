package io.kwire.bench.roundtrip;

/** What one request is. */
public enum Scenario {
    API_VERSIONS("ApiVersions", 0),
    METADATA_1("Metadata 1 topic", 1),
    METADATA_100("Metadata 100 x 10", 100),
    PRODUCE_1MB("Produce 1 MB", 0);

    public final String label;
    public final int topics;

    Scenario(String label, int topics) {
        this.label = label;
        this.topics = topics;
    }

    /** The topic produced to on a real broker. */
    public static final String PRODUCE_TOPIC = "bench-produce";
    public static final int PRODUCE_RECORDS = 1000;
    public static final int PRODUCE_VALUE_SIZE = 1000;
}
