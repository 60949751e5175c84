package io.kwire.generator;

/**
 * A contiguous version range as the schemas write it: {@code "3+"}, {@code "1-4"}, {@code "7"} or
 * {@code "none"} (empty). {@link #hi} is {@link Short#MAX_VALUE} for an open range.
 */
record Versions(short lo, short hi) {

    static final Versions NONE = new Versions((short) 1, (short) 0);
    static final Versions ALL = new Versions((short) 0, Short.MAX_VALUE);

    static Versions parse(String text) {
        if (text == null) {
            return null;
        }
        String t = text.trim();
        if (t.equals("none")) {
            return NONE;
        }
        if (t.endsWith("+")) {
            return new Versions(Short.parseShort(t.substring(0, t.length() - 1)), Short.MAX_VALUE);
        }
        int dash = t.indexOf('-');
        if (dash > 0) {
            return new Versions(Short.parseShort(t.substring(0, dash)), Short.parseShort(t.substring(dash + 1)));
        }
        short v = Short.parseShort(t);
        return new Versions(v, v);
    }

    boolean isEmpty() {
        return lo > hi;
    }

    boolean contains(int v) {
        return v >= lo && v <= hi;
    }

    Versions intersect(Versions other) {
        Versions r = new Versions((short) Math.max(lo, other.lo), (short) Math.min(hi, other.hi));
        return r.isEmpty() ? NONE : r;
    }

    /** The smallest range holding both (the schemas only need hulls). */
    Versions hull(Versions other) {
        if (isEmpty()) {
            return other;
        }
        if (other.isEmpty()) {
            return this;
        }
        return new Versions((short) Math.min(lo, other.lo), (short) Math.max(hi, other.hi));
    }

    /**
     * A Java boolean expression over {@code version} that is true inside this range, simplified knowing that
     * {@code version} is already within {@code outer}; "true"/"false" when constant.
     */
    String condition(Versions outer) {
        if (isEmpty() || intersect(outer).isEmpty()) {
            return "false";
        }
        boolean needLo = lo > outer.lo;
        boolean needHi = hi < outer.hi;
        if (needLo && needHi) {
            return lo == hi ? "version == " + lo : "version >= " + lo + " && version <= " + hi;
        }
        if (needLo) {
            return "version >= " + lo;
        }
        if (needHi) {
            return "version <= " + hi;
        }
        return "true";
    }

    @Override
    public String toString() {
        if (isEmpty()) {
            return "none";
        }
        if (hi == Short.MAX_VALUE) {
            return lo + "+";
        }
        return lo == hi ? Short.toString(lo) : lo + "-" + hi;
    }
}
