package io.kwire.network;

import io.kwire.errors.UnsupportedVersionException;
import io.kwire.protocol.ApiKey;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The API version ranges one broker advertised, and the choice of the version to send: the highest version
 * both sides support. Immutable.
 */
public final class NodeApiVersions {

    private final Map<Short, short[]> ranges;

    public NodeApiVersions(Map<Short, short[]> ranges) {
        this.ranges = Collections.unmodifiableMap(new TreeMap<>(ranges));
    }

    /** API key id to {min, max} as the broker advertised them. */
    public Map<Short, short[]> ranges() {
        return ranges;
    }

    public boolean supports(ApiKey key) {
        return ranges.containsKey(key.id());
    }

    /**
     * The highest version of {@code key} both sides support.
     *
     * @throws UnsupportedVersionException when the ranges do not overlap or the broker lacks the API
     */
    public short latestUsableVersion(ApiKey key) {
        short[] theirs = ranges.get(key.id());
        if (theirs == null) {
            throw new UnsupportedVersionException("The broker does not support " + key.displayName()
                    + " (API key " + key.id() + ")");
        }
        short max = (short) Math.min(theirs[1], key.highestSupportedVersion());
        short min = (short) Math.max(theirs[0], key.lowestSupportedVersion());
        if (max < min) {
            throw new UnsupportedVersionException("No common version of " + key.displayName() + ": the broker supports "
                    + theirs[0] + ".." + theirs[1] + ", kwire " + key.lowestSupportedVersion() + ".."
                    + key.highestSupportedVersion());
        }
        return max;
    }
}
