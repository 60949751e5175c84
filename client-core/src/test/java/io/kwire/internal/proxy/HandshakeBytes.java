package io.kwire.internal.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Drives a {@link ProxyHandshake} with bytes, as {@link ProxyTunnel} drives it with a socket's. */
final class HandshakeBytes {

    private HandshakeBytes() {
    }

    /** What the handshake sends next, all of it. */
    static byte[] sent(ProxyHandshake h) {
        ByteBuffer out = h.output();
        byte[] b = new byte[out.remaining()];
        out.get(b);
        return b;
    }

    static String sentText(ProxyHandshake h) {
        return new String(sent(h), StandardCharsets.UTF_8);
    }

    /**
     * Hands the proxy's bytes to the handshake through its inbox, as much as it takes per read; true once the tunnel
     * is open. A handshake that takes no more while bytes remain fails the test: it would have read past its reply.
     */
    static boolean receive(ProxyHandshake h, byte[] bytes) {
        int at = 0;
        while (at < bytes.length) {
            ByteBuffer in = h.inbox();
            assertThat(in.remaining()).as("room for the %d bytes left of the reply", bytes.length - at)
                    .isPositive();
            int n = Math.min(in.remaining(), bytes.length - at);
            in.put(bytes, at, n);
            at += n;
            if (h.received()) {
                assertThat(at).as("bytes left after the tunnel opened").isEqualTo(bytes.length);
                return true;
            }
        }
        return false;
    }

    static boolean receive(ProxyHandshake h, int... bytes) {
        byte[] b = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            b[i] = (byte) bytes[i];
        }
        return receive(h, b);
    }

    static boolean receive(ProxyHandshake h, String text) {
        return receive(h, text.getBytes(StandardCharsets.ISO_8859_1));
    }
}
