package io.kwire.client;

import java.util.Objects;

/**
 * A Kafka broker release, such as {@code 3.9}, {@code 3.9.1} or {@code 0.10.2}.
 *
 * <p>Ordered by (major, minor, patch). {@link #toString()} gives the release's usual name: releases from 1.0 on
 * drop a zero patch ({@code 3.9}, but {@code 3.9.1}); 0.x releases keep all three parts ({@code 0.10.2},
 * {@code 0.11.0}), because for them the third part named the feature release.
 *
 * <p>Only two- and three-part names are understood: the four-part names of 0.x bug-fix releases (e.g.
 * {@code 0.10.2.1}) are refused by {@link #parse(String)}; use their feature release ({@code 0.10.2}).
 */
public record BrokerVersion(int major, int minor, int patch) implements Comparable<BrokerVersion> {

    public static final BrokerVersion V0_10_0 = new BrokerVersion(0, 10, 0);
    public static final BrokerVersion V0_10_1 = new BrokerVersion(0, 10, 1);
    public static final BrokerVersion V0_10_2 = new BrokerVersion(0, 10, 2);
    public static final BrokerVersion V0_11_0 = new BrokerVersion(0, 11, 0);
    public static final BrokerVersion V1_0 = new BrokerVersion(1, 0, 0);
    public static final BrokerVersion V1_1 = new BrokerVersion(1, 1, 0);
    public static final BrokerVersion V2_0 = new BrokerVersion(2, 0, 0);
    public static final BrokerVersion V2_1 = new BrokerVersion(2, 1, 0);
    public static final BrokerVersion V2_2 = new BrokerVersion(2, 2, 0);
    public static final BrokerVersion V2_3 = new BrokerVersion(2, 3, 0);
    public static final BrokerVersion V2_4 = new BrokerVersion(2, 4, 0);
    public static final BrokerVersion V2_5 = new BrokerVersion(2, 5, 0);
    public static final BrokerVersion V2_6 = new BrokerVersion(2, 6, 0);
    public static final BrokerVersion V2_7 = new BrokerVersion(2, 7, 0);
    public static final BrokerVersion V2_8 = new BrokerVersion(2, 8, 0);
    public static final BrokerVersion V3_0 = new BrokerVersion(3, 0, 0);
    public static final BrokerVersion V3_1 = new BrokerVersion(3, 1, 0);
    public static final BrokerVersion V3_2 = new BrokerVersion(3, 2, 0);
    public static final BrokerVersion V3_3 = new BrokerVersion(3, 3, 0);
    public static final BrokerVersion V3_4 = new BrokerVersion(3, 4, 0);
    public static final BrokerVersion V3_5 = new BrokerVersion(3, 5, 0);
    public static final BrokerVersion V3_6 = new BrokerVersion(3, 6, 0);
    public static final BrokerVersion V3_7 = new BrokerVersion(3, 7, 0);
    public static final BrokerVersion V3_8 = new BrokerVersion(3, 8, 0);
    public static final BrokerVersion V3_9 = new BrokerVersion(3, 9, 0);
    public static final BrokerVersion V4_0 = new BrokerVersion(4, 0, 0);
    public static final BrokerVersion V4_1 = new BrokerVersion(4, 1, 0);
    public static final BrokerVersion V4_2 = new BrokerVersion(4, 2, 0);
    public static final BrokerVersion V4_3 = new BrokerVersion(4, 3, 0);
    public static final BrokerVersion V4_4 = new BrokerVersion(4, 4, 0);

    public BrokerVersion {
        if (major < 0 || minor < 0 || patch < 0) {
            throw new IllegalArgumentException(
                    "broker version parts must not be negative: " + major + "." + minor + "." + patch);
        }
    }

    /**
     * Parses {@code "3.9"}, {@code "4.1.0"}, {@code "0.10.2"}: two or three dot-separated non-negative decimal
     * numbers; surrounding blanks are ignored; a missing patch is 0.
     *
     * @throws IllegalArgumentException if {@code text} is not such a version
     */
    public static BrokerVersion parse(String text) {
        Objects.requireNonNull(text, "broker version text");
        String trimmed = text.strip();
        String[] parts = trimmed.split("\\.", -1);
        if (parts.length < 2 || parts.length > 3) {
            throw new IllegalArgumentException("not a broker version (expected MAJOR.MINOR or MAJOR.MINOR.PATCH,"
                    + " e.g. 3.9 or 0.10.2): '" + text + "'");
        }
        int[] numbers = new int[3];
        for (int i = 0; i < parts.length; i++) {
            numbers[i] = parsePart(parts[i], text);
        }
        return new BrokerVersion(numbers[0], numbers[1], numbers[2]);
    }

    private static int parsePart(String part, String text) {
        if (part.isEmpty() || part.length() > 9) {
            throw new IllegalArgumentException("not a broker version: '" + text + "'");
        }
        for (int i = 0; i < part.length(); i++) {
            char c = part.charAt(i);
            if (c < '0' || c > '9') {
                throw new IllegalArgumentException("not a broker version: '" + text + "'");
            }
        }
        return Integer.parseInt(part);
    }

    @Override
    public int compareTo(BrokerVersion other) {
        int c = Integer.compare(major, other.major);
        if (c != 0) {
            return c;
        }
        c = Integer.compare(minor, other.minor);
        return c != 0 ? c : Integer.compare(patch, other.patch);
    }

    /** {@code "3.9"}, {@code "3.9.1"}, {@code "0.10.2"}, {@code "0.11.0"}. */
    @Override
    public String toString() {
        if (major >= 1 && patch == 0) {
            return major + "." + minor;
        }
        return major + "." + minor + "." + patch;
    }

    /** Whether this release is {@code other} or newer. */
    public boolean isAtLeast(BrokerVersion other) {
        return compareTo(other) >= 0;
    }
}
