package io.kwire.protocol;

import java.util.Base64;

/**
 * A Kafka UUID (topic ids, directory ids). Printed the way Kafka prints it: URL-safe base64 of the 16 bytes,
 * without padding. {@link #ZERO} is the "no id" value.
 */
public record Uuid(long mostSignificantBits, long leastSignificantBits) {

    public static final Uuid ZERO = new Uuid(0L, 0L);

    public static Uuid fromString(String text) {
        byte[] bytes = Base64.getUrlDecoder().decode(text);
        if (bytes.length != 16) {
            throw new IllegalArgumentException("A Kafka UUID is 16 bytes of base64, got " + bytes.length + " bytes");
        }
        long msb = 0;
        long lsb = 0;
        for (int i = 0; i < 8; i++) {
            msb = (msb << 8) | (bytes[i] & 0xff);
            lsb = (lsb << 8) | (bytes[i + 8] & 0xff);
        }
        return new Uuid(msb, lsb);
    }

    @Override
    public String toString() {
        byte[] bytes = new byte[16];
        for (int i = 0; i < 8; i++) {
            bytes[i] = (byte) (mostSignificantBits >>> (56 - 8 * i));
            bytes[i + 8] = (byte) (leastSignificantBits >>> (56 - 8 * i));
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
