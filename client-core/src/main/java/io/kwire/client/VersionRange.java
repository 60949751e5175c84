package io.kwire.client;

/** The versions of one API a broker supports, inclusive. */
public record VersionRange(short min, short max) {

    @Override
    public String toString() {
        return min + ".." + max;
    }
}
