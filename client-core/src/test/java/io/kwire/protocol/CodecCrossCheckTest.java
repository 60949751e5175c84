package io.kwire.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.kwire.protocol.message.RandomMessages;
import io.kwire.protocol.message.RequestHeader;
import io.kwire.protocol.message.ResponseHeader;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import org.apache.kafka.common.protocol.Readable;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Byte-exact cross-check of every generated request, response and header, at every version, against Apache
 * kafka-clients' generated {@code *Data} classes: kwire encodes random messages, Kafka decodes and re-encodes
 * them to identical bytes, and kwire decodes Kafka's bytes back to an equal message, from every kind of buffer
 * (heap, heap slice, direct, read-only).
 */
class CodecCrossCheckTest {

    /** Random messages per API, direction and version. Override with -Dkwire.codec.samples. */
    static final int SAMPLES = Integer.getInteger("kwire.codec.samples", 20);
    /** Base seed; a failure names the seed of the message that failed. Override with -Dkwire.codec.seed. */
    static final long SEED = Long.getLong("kwire.codec.seed", 20261124L);

    private static final Map<String, Constructor<?>> KAFKA_CTORS = new ConcurrentHashMap<>();

    @TestFactory
    List<DynamicTest> everyApiEveryVersion() {
        List<DynamicTest> tests = new ArrayList<>();
        for (ApiKey key : ApiKey.values()) {
            for (short v = key.lowestSupportedVersion(); v <= key.latestSchemaVersion(); v++) {
                short version = v;
                tests.add(DynamicTest.dynamicTest(key.displayName() + "Request v" + v, () -> {
                    for (int i = 0; i < SAMPLES; i++) {
                        long seed = seed(key.id(), version, 0, i);
                        crossCheck(RandomMessages.randomRequest(key, new RandomValues(seed), version), version, seed,
                                () -> key.newRequest());
                    }
                }));
                tests.add(DynamicTest.dynamicTest(key.displayName() + "Response v" + v, () -> {
                    for (int i = 0; i < SAMPLES; i++) {
                        long seed = seed(key.id(), version, 1, i);
                        crossCheck(RandomMessages.randomResponse(key, new RandomValues(seed), version), version, seed,
                                () -> key.newResponse());
                    }
                }));
            }
        }
        return tests;
    }

    @TestFactory
    List<DynamicTest> headers() {
        List<DynamicTest> tests = new ArrayList<>();
        for (short v = new RequestHeader().lowestSupportedVersion(); v <= 2; v++) {
            short version = v;
            tests.add(DynamicTest.dynamicTest("RequestHeader v" + v, () -> {
                for (int i = 0; i < SAMPLES * 5; i++) {
                    long seed = seed(1000, version, 2, i);
                    crossCheck(RandomMessages.randomRequestHeader(new RandomValues(seed), version), version, seed,
                            RequestHeader::new);
                }
            }));
        }
        for (short v = 0; v <= 1; v++) {
            short version = v;
            tests.add(DynamicTest.dynamicTest("ResponseHeader v" + v, () -> {
                for (int i = 0; i < SAMPLES * 5; i++) {
                    long seed = seed(1001, version, 3, i);
                    crossCheck(RandomMessages.randomResponseHeader(new RandomValues(seed), version), version, seed,
                            ResponseHeader::new);
                }
            }));
        }
        return tests;
    }

    static long seed(int api, short version, int kind, int i) {
        return SEED * 1_000_003L + api * 100_000L + version * 1_000L + kind * 500L + i;
    }

    /** kwire bytes of a message. */
    static ByteBuffer encode(Message m, short version) {
        int size = m.size(version);
        ByteBuffer buf = ByteBuffer.allocate(size);
        m.write(new ByteWriter(buf), version);
        assertThat(buf.position()).as("bytes written vs size()").isEqualTo(size);
        return buf.flip();
    }

    static void crossCheck(Message m, short version, long seed, Supplier<? extends Message> fresh) throws Exception {
        Supplier<String> what = () -> m.getClass().getSimpleName() + " v" + version + " seed " + seed
                + " (" + m + ")";
        ByteBuffer ours = encode(m, version);

        ByteBuffer kafkaIn = ours.duplicate();
        org.apache.kafka.common.protocol.Message k = kafkaRead(m.getClass().getSimpleName(), kafkaIn, version, what);
        assertThat(kafkaIn.remaining()).as(() -> "bytes Kafka left unread: " + what.get()).isZero();
        ObjectSerializationCache cache = new ObjectSerializationCache();
        int kafkaSize = k.size(cache, version);
        ByteBuffer theirs = ByteBuffer.allocate(kafkaSize);
        k.write(new ByteBufferAccessor(theirs), cache, version);
        theirs.flip();
        assertThat(bytes(theirs)).as(() -> "Kafka's re-encoding of " + what.get()).isEqualTo(bytes(ours));

        Message back = fresh.get();
        ByteReader reader = new ByteReader(theirs.duplicate());
        back.read(reader, version);
        assertThat(reader.remaining()).as(() -> "bytes kwire left unread: " + what.get()).isZero();
        assertThat(back).as(() -> "kwire decoding of Kafka's bytes: " + what.get()).isEqualTo(m);
        assertThat(back.hashCode()).isEqualTo(m.hashCode());
        assertThat(back.size(version)).isEqualTo(ours.remaining());

        // The same bytes in every other kind of buffer a decoder may be given: a heap slice with an array offset,
        // and the two ByteReader reads through the buffer rather than its array (direct, read-only).
        byte[] kafkaBytes = bytes(theirs);
        for (ByteReaderBuffersTest.Kind kind : ByteReaderBuffersTest.Kind.values()) {
            if (kind == ByteReaderBuffersTest.Kind.HEAP) {
                continue;
            }
            ByteBuffer in = kind.of(kafkaBytes);
            Message again = fresh.get();
            again.read(new ByteReader(in), version);
            assertThat(in.remaining()).as(() -> "bytes left unread from a " + kind + " buffer: " + what.get()).isZero();
            assertThat(again).as(() -> "kwire decoding from a " + kind + " buffer: " + what.get()).isEqualTo(m);
        }
    }

    static org.apache.kafka.common.protocol.Message kafkaRead(String simpleName, ByteBuffer in, short version,
            Supplier<String> what) throws Exception {
        Constructor<?> ctor = KAFKA_CTORS.computeIfAbsent(simpleName, n -> {
            try {
                return Class.forName("org.apache.kafka.common.message." + n + "Data")
                        .getConstructor(Readable.class, short.class);
            } catch (ReflectiveOperationException e) {
                throw new AssertionError("kafka-clients has no " + n + "Data", e);
            }
        });
        try {
            return (org.apache.kafka.common.protocol.Message) ctor.newInstance(new ByteBufferAccessor(in), version);
        } catch (InvocationTargetException e) {
            throw new AssertionError("Kafka cannot read " + what.get() + ": " + e.getCause(), e.getCause());
        }
    }

    static byte[] bytes(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.duplicate().get(a);
        return a;
    }
}
