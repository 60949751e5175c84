package io.kwire.testkit;

import java.time.Duration;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * What the {@link FakeBroker} does with one request. Immutable and reusable: a handler may return the same instance
 * for every request (the broker patches the correlation id in while writing, it does not re-encode).
 *
 * <p>Replies on one connection go out in request order, as Kafka's do: a {@linkplain #delayed(Duration) delayed}
 * reply holds back the ones after it, and after {@link #stall()} nothing more is written on that connection.
 */
public final class Reply {

    enum Kind {
        RESPOND, STALL, CLOSE, CLOSE_MID_RESPONSE, RAW, RAW_THEN_CLOSE, OVERSIZED_FRAME
    }

    static final int CORRELATION_ECHO = 0;
    static final int CORRELATION_FIXED = 1;
    static final int CORRELATION_DELTA = 2;

    private static final byte[] EMPTY = new byte[0];
    private static final Reply STALL = new Reply(Kind.STALL, EMPTY, 0, -1, CORRELATION_ECHO, 0);
    private static final Reply CLOSE = new Reply(Kind.CLOSE, EMPTY, 0, -1, CORRELATION_ECHO, 0);

    /**
     * A TLS 1.2 record header for a handshake record (content type 22, version 3.3, length 74) and the start of a
     * ServerHello: what a PLAINTEXT client reads when it talks to an SSL listener. Read as a Kafka frame size, the
     * first four bytes say 369,296,128.
     */
    static final byte[] TLS_RECORD = {0x16, 0x03, 0x03, 0x00, 0x4a, 0x02, 0x00, 0x00, 0x46, 0x03, 0x03};

    private static final Reply TLS_ALERT = new Reply(Kind.RAW_THEN_CLOSE,
            new byte[] {0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28}, 0, -1, CORRELATION_ECHO, 0);

    final Kind kind;
    final byte[] bytes;
    final long delayNanos;
    /** -1: derived from the request (v1 for flexible requests except ApiVersions, else v0). */
    final int responseHeaderVersion;
    final int correlationMode;
    final int correlationValue;

    private Reply(Kind kind, byte[] bytes, long delayNanos, int responseHeaderVersion, int correlationMode,
            int correlationValue) {
        this.kind = kind;
        this.bytes = bytes;
        this.delayNanos = delayNanos;
        this.responseHeaderVersion = responseHeaderVersion;
        this.correlationMode = correlationMode;
        this.correlationValue = correlationValue;
    }

    /**
     * Respond with this response body. The broker writes {@code [int32 size][int32 correlation id][header tagged
     * fields][body]}, the empty tagged-field section (one zero byte) only for a response header v1: flexible
     * requests except ApiVersions, whose response header is always v0 (KIP-511). See
     * {@link #withResponseHeaderVersion(int)} to override.
     */
    public static Reply respond(byte[] body) {
        return new Reply(Kind.RESPOND, body.clone(), 0, -1, CORRELATION_ECHO, 0);
    }

    /** Never answer this request nor any later one on the connection (the connection stays open). */
    public static Reply stall() {
        return STALL;
    }

    /** Close the connection (after what was already queued for it is written). */
    public static Reply closeConnection() {
        return CLOSE;
    }

    /** Write the first half of the response frame for this body, then close the connection. */
    public static Reply closeMidResponse(byte[] body) {
        return new Reply(Kind.CLOSE_MID_RESPONSE, body.clone(), 0, -1, CORRELATION_ECHO, 0);
    }

    /** Write these bytes as they are, no framing. */
    public static Reply raw(byte[] bytes) {
        return new Reply(Kind.RAW, bytes.clone(), 0, -1, CORRELATION_ECHO, 0);
    }

    /**
     * Write {@code length} random bytes (seeded: the same bytes every time), no framing. Beware that their first four
     * bytes, read as a frame size, may be anything.
     */
    public static Reply garbage(int length) {
        byte[] b = new byte[length];
        SplittableRandom r = new SplittableRandom(0x6b77697265L);
        for (int i = 0; i < length; i++) {
            b[i] = (byte) r.nextInt(256);
        }
        return raw(b);
    }

    /**
     * Write a frame header that announces {@code declaredSize} bytes ({@code [int32 declaredSize][int32 correlation
     * id]}) and nothing more; the connection stays open. {@link #oversizedFrame()} announces {@code
     * Integer.MAX_VALUE} (2 GB).
     */
    public static Reply oversizedFrame(int declaredSize) {
        return new Reply(Kind.OVERSIZED_FRAME, EMPTY, 0, -1, CORRELATION_ECHO, declaredSize);
    }

    /** A frame header announcing 2 GB - 1 bytes. */
    public static Reply oversizedFrame() {
        return oversizedFrame(Integer.MAX_VALUE);
    }

    /** Bytes that look like the start of a TLS server handshake record (what an SSL listener sends). */
    public static Reply tlsRecord() {
        return raw(TLS_RECORD);
    }

    /**
     * A fatal TLS alert record (content type 21, version 3.3, handshake_failure), then close: roughly what a
     * PLAINTEXT client gets back from an SSL listener once it has sent a request.
     */
    public static Reply tlsAlertAndClose() {
        return TLS_ALERT;
    }

    /** Respond with this body but a correlation id one higher than the request's. */
    public static Reply wrongCorrelationId(byte[] body) {
        return respond(body).withCorrelationIdOffset(1);
    }

    /** This reply, but done after a delay (later replies on the connection wait behind it). */
    public Reply delayed(Duration delay) {
        Objects.requireNonNull(delay);
        return new Reply(kind, bytes, delay.toNanos(), responseHeaderVersion, correlationMode, correlationValue);
    }

    /** This reply with the response header version forced: 0 (correlation id only) or 1 (plus tagged fields). */
    public Reply withResponseHeaderVersion(int version) {
        if (version != 0 && version != 1) {
            throw new IllegalArgumentException("response header version must be 0 or 1");
        }
        return new Reply(kind, bytes, delayNanos, version, correlationMode, correlationValue);
    }

    /** This reply with a fixed correlation id instead of the request's. */
    public Reply withCorrelationId(int correlationId) {
        requireFramed();
        return new Reply(kind, bytes, delayNanos, responseHeaderVersion, CORRELATION_FIXED, correlationId);
    }

    /** This reply with the request's correlation id plus {@code offset}. */
    public Reply withCorrelationIdOffset(int offset) {
        requireFramed();
        return new Reply(kind, bytes, delayNanos, responseHeaderVersion, CORRELATION_DELTA, offset);
    }

    private void requireFramed() {
        if (kind != Kind.RESPOND && kind != Kind.CLOSE_MID_RESPONSE) {
            throw new IllegalStateException("only a response has a correlation id");
        }
    }

    int correlationIdFor(int requestCorrelationId) {
        switch (correlationMode) {
            case CORRELATION_FIXED:
                return correlationValue;
            case CORRELATION_DELTA:
                return requestCorrelationId + correlationValue;
            default:
                return requestCorrelationId;
        }
    }

    public Duration delay() {
        return Duration.ofNanos(delayNanos);
    }

    @Override
    public String toString() {
        return "Reply[" + kind + (bytes.length > 0 ? ", " + bytes.length + " bytes" : "")
                + (delayNanos > 0 ? ", after " + delay() : "") + "]";
    }
}
