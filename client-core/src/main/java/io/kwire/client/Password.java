package io.kwire.client;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * A secret configuration value (password, key password): {@link #toString()} prints {@code [hidden]}, so a
 * secret never reaches a log line through a config dump or an exception message. Read it with {@link #value()}
 * only where it is used.
 */
public final class Password {

    private static final String HIDDEN = "[hidden]";

    private final String value;

    private Password(String value) {
        this.value = Objects.requireNonNull(value, "value");
    }

    /** Wraps a secret; {@code null} gives {@code null}, so optional secrets stay optional. */
    public static Password of(String value) {
        return value == null ? null : new Password(value);
    }

    /** The secret itself. */
    public String value() {
        return value;
    }

    public boolean isEmpty() {
        return value.isEmpty();
    }

    @Override
    public boolean equals(Object o) {
        // Constant-time so that comparing secrets does not leak their prefix through timing.
        return o instanceof Password other && MessageDigest.isEqual(
                value.getBytes(StandardCharsets.UTF_8), other.value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return HIDDEN;
    }
}
