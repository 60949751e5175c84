package io.kwire.internal.network;

import io.kwire.client.Node;
import io.kwire.errors.KwireException;
import io.kwire.errors.ProtocolException;
import io.kwire.protocol.ApiKey;
import io.kwire.protocol.ApiRequest;
import io.kwire.protocol.ApiResponse;
import io.kwire.protocol.ByteReader;
import io.kwire.protocol.ByteWriter;
import io.kwire.protocol.Errors;
import io.kwire.protocol.Message;
import io.kwire.protocol.SplicedFrame;
import io.kwire.protocol.message.RequestHeader;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka's frames, both ways: request frames (int32 size, header, body) written into a connection's send queue,
 * and response frames cut by the connection checked against the request they answer (correlation id, header
 * version) and decoded at its version. One per engine, reused from frame to frame; only used on the I/O thread.
 *
 * <p>Two encode paths. Most requests go the one-pass way ({@link #tryEncode}): written into the room the queue's
 * buffer has, the size filled in afterwards, because the size pass of {@link Message#size(short)} costs about as
 * much as writing; only a frame that did not fit is sized first ({@link #frameLength}, {@link #encode}). Requests
 * that can carry record batches, and those whose API {@linkplain ApiKey#carriesSecrets() carries secrets}, get a
 * frame of their own (a {@link SplicedFrame}), sized first: byte values of {@link #SPLICE_THRESHOLD} bytes or more
 * are referred to rather than copied, and a frame with secrets is wiped once sent.
 */
public final class FrameCodec {

    private static final Logger log = LoggerFactory.getLogger(FrameCodec.class);

    /** Byte fields at least this large (record batches, mostly) are written by reference, not copied. */
    static final int SPLICE_THRESHOLD = 4096;
    /**
     * Room asked of the send queue before a one-pass encode: a larger request that does not fit the room the buffer
     * happens to have takes the sized path, which makes room for exactly its length.
     */
    private static final int FRAME_ROOM = 256;

    private final String clientId;
    private final RequestHeader header = new RequestHeader();
    /** Collects the record batches a frame sends by reference; reused from frame to frame. */
    private final SplicedFrame.Builder splices = new SplicedFrame.Builder();
    /** The writer of every frame this codec encodes, pointed at the frame's buffer each time. */
    private final ByteWriter writer = new ByteWriter();
    /** Reads every response frame, one after another: one reader for the engine's life. */
    private final ByteReader frameReader = new ByteReader(ByteBuffer.allocate(0));
    private final ByteBuffer noFrame = ByteBuffer.allocate(0);
    /** Where the frame being read starts in its buffer, and its size (without the size prefix): for errors. */
    private int frameStart;
    private int frameSize;
    /** API and version (api id << 16 | version) of the encode failures logged so far. */
    private final Set<Integer> loggedEncodeFailures = new HashSet<>();

    FrameCodec(String clientId) {
        this.clientId = clientId;
    }

    /**
     * Logs a request that could not be encoded at the version chosen for it (a field the version cannot carry), once
     * per API and version: the request's future carries the error; the log says it once, however often it recurs.
     */
    void logEncodeFailure(ApiKey api, short version, KwireException error) {
        if (loggedEncodeFailures.add(api.id() << 16 | version & 0xFFFF)) {
            log.warn("{} cannot be sent at v{} (further such failures fail their requests without this log): {}",
                    api.displayName(), version, error.getMessage());
        }
    }

    /**
     * Encodes header and body straight into the connection's send queue.
     *
     * @return the frame's size on the wire
     */
    int encode(Connection connection, ApiRequest<?> request, short version, int correlationId) {
        ApiKey key = request.apiKey();
        short headerVersion = key.requestHeaderVersion(version);
        header.setRequestApiKey(key.id()).setRequestApiVersion(version).setCorrelationId(correlationId)
                .setClientId(clientId);
        boolean secret = key.carriesSecrets();
        if (!key.requestCarriesBytes() && !secret) {
            boolean queued = false;
            try {
                ByteBuffer out = connection.frameBuffer(FRAME_ROOM);
                int start = out.position();
                if (!tryEncode(writer, out, header, headerVersion, request, version)) {
                    int length = frameLength(header, headerVersion, request, version);
                    out = connection.frameBuffer(length);
                    start = out.position();
                    encode(writer, out, length, header, headerVersion, request, version);
                }
                connection.queueFrames(start);
                queued = true;
                return out.position() - start;
            } finally {
                if (!queued) {
                    connection.releaseUnusedFrameBuffer(); // a buffer borrowed for this frame alone goes back
                }
            }
        }
        return encodeOwnFrame(connection, request, version, headerVersion, secret);
    }

    private int encodeOwnFrame(Connection connection, ApiRequest<?> request, short version, short headerVersion,
                               boolean secret) {
        // A frame with secrets keeps every byte in its own head, which is wiped once sent.
        int threshold = secret ? Integer.MAX_VALUE : SPLICE_THRESHOLD;
        int size = header.size(headerVersion) + request.size(version);
        ByteBuffer head = ByteBuffer.allocate(4 + size - request.splicedSize(version, threshold));
        boolean queued = false;
        try {
            writer.reset(head, splices, threshold);
            writer.writeInt(size);
            header.write(writer, headerVersion);
            request.write(writer, version);
            if (head.hasRemaining()) {
                throw new IllegalStateException("Encoded " + head.position() + " bytes of a frame head sized "
                        + head.capacity());
            }
            connection.enqueue(splices.build(head, secret));
            queued = true;
        } finally {
            writer.reset(null);
            splices.clear(); // after a failed write, no value of this request may reach the next frame
            if (!queued && secret) {
                Arrays.fill(head.array(), (byte) 0); // part of a token may be in it
            }
        }
        return 4 + size;
    }

    /** A raw SASL token for a broker older than 1.0: a bare size-prefixed frame of its own, wiped once sent. */
    static void encodeRawToken(Connection connection, byte[] token) {
        connection.enqueue(SplicedFrame.of(ByteBuffer.allocate(4 + token.length).putInt(token.length).put(token),
                true));
    }

    /**
     * Checks a response frame against the oldest request in flight: the reader it returns stands at the body, for
     * {@link #decodeBody}. Call {@link #release} when done with the frame.
     *
     * @throws ProtocolException when the frame answers no request or names another correlation id; the connection
     *                           cannot be trusted after it
     */
    ByteReader readHeader(ByteBuffer frame, InFlightRequest head, Node node) {
        frameStart = frame.position();
        frameSize = frame.remaining();
        ByteReader reader = frameReader.reset(frame);
        int correlationId = reader.readInt();
        if (head == null) {
            throw new ProtocolException("Received a response (correlation id " + correlationId + ") from "
                    + node + " with no request in flight");
        }
        if (correlationId != head.correlationId) {
            throw new ProtocolException("Correlation id mismatch from " + node + ": expected "
                    + head.correlationId + " for " + head.apiKey.displayName() + ", got " + correlationId);
        }
        if (head.apiKey.responseHeaderVersion(head.version) >= 1) {
            try {
                skipTaggedFields(reader);
            } catch (ProtocolException e) {
                throw malformed("response header", head, node, reader, e);
            }
        }
        return reader;
    }

    /**
     * Decodes the response body at the version of the request it answers.
     *
     * @throws ProtocolException when the body is malformed
     */
    ApiResponse decodeBody(ByteReader reader, InFlightRequest head, Node node) {
        try {
            short decodeVersion = head.version;
            if (head.apiKey == ApiKey.API_VERSIONS) {
                ByteBuffer body = reader.buffer(); // the reader's position written back, for the peek
                if (body.remaining() >= 2 && Errors.UNSUPPORTED_VERSION.is(body.getShort(body.position()))) {
                    decodeVersion = 0; // a broker that does not know our version answers in v0 (KIP-511)
                }
            }
            return head.request.decodeResponse(reader, decodeVersion);
        } catch (ProtocolException e) {
            throw malformed("response", head, node, reader, e);
        }
    }

    /** The caller's error for a frame that cannot be read: which API and version, from which node, and where. */
    private ProtocolException malformed(String part, InFlightRequest head, Node node, ByteReader reader,
                                        ProtocolException e) {
        return new ProtocolException("Malformed " + head.apiKey.displayName() + " v" + head.version + " " + part
                + " from " + node + " (correlation id " + head.correlationId + ", at byte "
                + (reader.position() - frameStart) + " of " + frameSize + "): " + e.getMessage(), e);
    }

    /** Lets go of the last frame, so that no large frame stays reachable until the next response. */
    void release() {
        frameReader.reset(noFrame);
    }

    private static void skipTaggedFields(ByteReader reader) {
        int count = reader.readUnsignedVarint();
        for (int i = 0; i < count; i++) {
            reader.readUnsignedVarint();
            reader.skip(reader.readUnsignedVarint());
        }
    }

    /**
     * Writes the frame at {@code dst}'s position and moves the position past it. When the frame does not fit, or
     * encoding fails, the position is left where it was (bytes after it may have been overwritten). Writes through
     * {@code writer}, which it points at {@code dst} and lets go of after.
     *
     * @return false when the frame did not fit
     */
    public static boolean tryEncode(ByteWriter writer, ByteBuffer dst, Message header, short headerVersion,
                                    Message body, short version) {
        int start = dst.position();
        if (dst.remaining() < 4) {
            return false;
        }
        boolean done = false;
        try {
            dst.position(start + 4);
            writer.reset(dst);
            header.write(writer, headerVersion);
            body.write(writer, version);
            dst.putInt(start, dst.position() - start - 4);
            done = true;
            return true;
        } catch (BufferOverflowException | IndexOutOfBoundsException tooSmall) {
            return false;
        } finally {
            writer.reset(null);
            if (!done) {
                dst.position(start);
            }
        }
    }

    /** The frame's length, size prefix included: the two-pass way, for a frame {@link #tryEncode} could not fit. */
    public static int frameLength(Message header, short headerVersion, Message body, short version) {
        return 4 + header.size(headerVersion) + body.size(version);
    }

    /**
     * Writes a frame of {@code length} bytes ({@link #frameLength}) at {@code dst}'s position, which must have room
     * for it. If encoding fails, or writes a different number of bytes, the position is left where it was. Writes
     * through {@code writer}, as {@link #tryEncode} does.
     */
    static void encode(ByteWriter writer, ByteBuffer dst, int length, Message header, short headerVersion,
                       Message body, short version) {
        int start = dst.position();
        boolean done = false;
        try {
            dst.putInt(length - 4);
            writer.reset(dst);
            header.write(writer, headerVersion);
            body.write(writer, version);
            if (dst.position() - start != length) {
                // A size() that disagrees with write() would put a wrong size prefix on the wire.
                throw new IllegalStateException("Encoded " + (dst.position() - start) + " bytes for a frame sized "
                        + length);
            }
            done = true;
        } finally {
            writer.reset(null);
            if (!done) {
                dst.position(start);
            }
        }
    }
}
