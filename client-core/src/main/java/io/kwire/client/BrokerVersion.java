package io.kwire.client;

/**
 * A Kafka broker release, e.g. {@code 3.9.0}: used to pin the protocol versions the client speaks instead of
 * asking the broker with ApiVersions (the reference's {@code api_version}).
 */
public record BrokerVersion(int major, int minor, int patch) implements Comparable<BrokerVersion> {

    public BrokerVersion {
        if (major < 0 || minor < 0 || patch < 0) {
            throw new IllegalArgumentException("version parts must be >= 0, got " + major + "." + minor + "." + patch);
        }
    }

    /**
     * Parses {@code major.minor} or {@code major.minor.patch} (a missing patch is 0), ignoring a suffix after
     * {@code -} such as {@code -SNAPSHOT}.
     *
     * @throws IllegalArgumentException if the text is not such a version
     */
    public static BrokerVersion parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("version must not be null");
        }
        String core = text.strip();
        int dash = core.indexOf('-');
        if (dash >= 0) {
            core = core.substring(0, dash);
        }
        String[] parts = core.split("\\.", -1);
        if (parts.length < 2 || parts.length > 3) {
            throw new IllegalArgumentException("expected major.minor[.patch], got '" + text + "'");
        }
        try {
            return new BrokerVersion(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]),
                    parts.length == 3 ? Integer.parseInt(parts[2]) : 0);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected major.minor[.patch], got '" + text + "'", e);
        }
    }

    public boolean isAtLeast(BrokerVersion other) {
        return compareTo(other) >= 0;
    }

    @Override
    public int compareTo(BrokerVersion o) {
        int c = Integer.compare(major, o.major);
        if (c == 0) {
            c = Integer.compare(minor, o.minor);
        }
        return c != 0 ? c : Integer.compare(patch, o.patch);
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + patch;
    }
}
