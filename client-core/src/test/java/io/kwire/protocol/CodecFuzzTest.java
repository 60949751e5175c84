package io.kwire.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.kwire.errors.ProtocolException;
import io.kwire.protocol.message.MetadataResponse;
import io.kwire.protocol.message.RandomMessages;
import io.kwire.protocol.message.RequestHeader;
import io.kwire.protocol.message.ResponseHeader;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;

/**
 * Malformed input: every truncation of valid encodings, mutated encodings and random bytes, for every request
 * and response at every version. Only {@link ProtocolException} may escape a decoder, quickly, and no forged
 * length may make it allocate more than the input could hold.
 */
class CodecFuzzTest {

    private static final long SEED = Long.getLong("kwire.codec.seed", 20261124L);
    private static final int MUTATIONS = 40;

    @TestFactory
    List<DynamicTest> everyApiEveryVersion() {
        List<DynamicTest> tests = new ArrayList<>();
        for (ApiKey key : ApiKey.values()) {
            for (short v = key.lowestSupportedVersion(); v <= key.latestSchemaVersion(); v++) {
                short version = v;
                tests.add(DynamicTest.dynamicTest(key.displayName() + " v" + v, () ->
                        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
                            long seed = SEED ^ (key.id() * 7919L + version * 104729L);
                            RandomValues rv = new RandomValues(seed);
                            fuzz(RandomMessages.randomRequest(key, rv, version), key::newRequest, version, seed);
                            fuzz(RandomMessages.randomResponse(key, rv, version), key::newResponse, version, seed);
                        })));
            }
        }
        tests.add(DynamicTest.dynamicTest("headers", () -> {
            for (short v = 1; v <= 2; v++) {
                fuzz(RandomMessages.randomRequestHeader(new RandomValues(SEED + v), v), RequestHeader::new, v, SEED);
            }
            for (short v = 0; v <= 1; v++) {
                fuzz(RandomMessages.randomResponseHeader(new RandomValues(SEED + v), v), ResponseHeader::new, v, SEED);
            }
        }));
        return tests;
    }

    private static void fuzz(Message valid, Supplier<? extends Message> fresh, short version, long seed) {
        String what = valid.getClass().getSimpleName() + " v" + version + " seed " + seed;
        byte[] bytes = CodecCrossCheckTest.bytes(CodecCrossCheckTest.encode(valid, version));
        // Every truncation must fail: the decoder follows the same path as on the full input and runs out.
        for (int len = 0; len < bytes.length; len++) {
            int n = len;
            assertThatThrownBy(() -> decode(fresh.get(), ByteBuffer.wrap(bytes, 0, n), version))
                    .as("%s truncated to %d of %d bytes", what, n, bytes.length)
                    .isInstanceOf(ProtocolException.class);
        }
        Random r = new Random(seed);
        for (int i = 0; i < MUTATIONS; i++) {
            byte[] mutated = bytes.clone();
            if (mutated.length > 0) {
                int flips = 1 + r.nextInt(3);
                for (int f = 0; f < flips; f++) {
                    int at = r.nextInt(mutated.length);
                    mutated[at] = r.nextInt(3) == 0 ? (byte) 0xff : (byte) r.nextInt();
                }
            }
            decodeOrProtocolError(fresh.get(), mutated, version, what + " mutation " + i);
            byte[] noise = new byte[r.nextInt(64)];
            r.nextBytes(noise);
            decodeOrProtocolError(fresh.get(), noise, version, what + " noise " + i);
        }
    }

    private static void decode(Message m, ByteBuffer buf, short version) {
        m.read(new ByteReader(buf), version);
    }

    private static void decodeOrProtocolError(Message m, byte[] input, short version, String what) {
        try {
            decode(m, ByteBuffer.wrap(input), version);
        } catch (ProtocolException expected) {
            // fine: malformed input is reported as a protocol error
        } catch (Throwable t) {
            throw new AssertionError(what + ": " + t + " escaped instead of a ProtocolException", t);
        }
    }

    @Test
    @Timeout(5)
    void hugeArrayLengthFailsFastWithoutAllocating() {
        // MetadataResponse v0 starts with the Brokers array: a classic int32 count.
        ByteBuffer classic = ByteBuffer.allocate(14).putInt(Integer.MAX_VALUE);
        classic.clear();
        assertThatThrownBy(() -> new MetadataResponse().read(new ByteReader(classic), (short) 0))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("Brokers");
        // v12 is flexible: ThrottleTimeMs, then a compact count (unsigned varint of count + 1).
        ByteBuffer compact = ByteBuffer.allocate(14);
        compact.putInt(0);
        new ByteWriter(compact).writeUnsignedVarint(Integer.MAX_VALUE);
        compact.clear();
        assertThatThrownBy(() -> new MetadataResponse().read(new ByteReader(compact), (short) 12))
                .isInstanceOf(ProtocolException.class);
    }

    @Test
    void hugeStringAndBytesLengthsFailFast() {
        // api key, api version, correlation id, then a client id claiming 32767 bytes of which 2 are present
        ByteBuffer buf = ByteBuffer.allocate(12).putShort((short) 18).putShort((short) 3).putInt(7)
                .putShort(Short.MAX_VALUE);
        buf.clear();
        assertThatThrownBy(() -> new RequestHeader().read(new ByteReader(buf), (short) 1))
                .isInstanceOf(ProtocolException.class);
    }

    @Test
    void unknownTaggedFieldsAreSkipped() {
        // ResponseHeader v1: CorrelationId, then one unknown tagged field (tag 99, 3 bytes).
        ByteBuffer buf = ByteBuffer.allocate(4 + 1 + 1 + 1 + 3);
        ByteWriter w = new ByteWriter(buf);
        w.writeInt(42);
        w.writeUnsignedVarint(1);
        w.writeUnsignedVarint(99);
        w.writeUnsignedVarint(3);
        w.writeBytes(new byte[] {1, 2, 3});
        buf.flip();
        ResponseHeader h = new ResponseHeader();
        ByteReader reader = new ByteReader(buf);
        h.read(reader, (short) 1);
        assertThat(h.correlationId()).isEqualTo(42);
        assertThat(reader.remaining()).isZero();
        // The same field claiming more bytes than present is a protocol error.
        buf.put(buf.limit() - 4, (byte) 50).rewind();
        assertThatThrownBy(() -> new ResponseHeader().read(new ByteReader(buf), (short) 1))
                .isInstanceOf(ProtocolException.class);
    }
}
