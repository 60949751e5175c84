package io.kwire.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.kwire.errors.KwireException;
import io.kwire.errors.UnsupportedVersionException;
import io.kwire.protocol.message.RandomMessages;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Writing a message at a version other than the one its content was made for: kwire must refuse exactly when
 * Kafka refuses (a non-default value in a field the version lacks, unless ignorable; a null the version does not
 * allow) and otherwise produce Kafka's bytes.
 */
class CrossVersionTest {

    private static final int SAMPLES = 3;

    private enum Outcome { OK, UNSUPPORTED_VERSION, OTHER_ERROR }

    private static final java.util.Map<Outcome, java.util.concurrent.atomic.AtomicInteger> SEEN =
            new java.util.EnumMap<>(Outcome.class);

    static {
        for (Outcome o : Outcome.values()) {
            SEEN.put(o, new java.util.concurrent.atomic.AtomicInteger());
        }
    }

    @org.junit.jupiter.api.AfterAll
    static void everyOutcomeWasExercised() {
        // The random messages must have produced refusals of both kinds, not only successes.
        for (Outcome o : Outcome.values()) {
            assertThat(SEEN.get(o).get()).as(o.name()).isGreaterThan(10);
        }
    }

    @TestFactory
    List<DynamicTest> everyApiEveryVersionPair() {
        List<DynamicTest> tests = new ArrayList<>();
        for (ApiKey key : ApiKey.values()) {
            tests.add(DynamicTest.dynamicTest(key.displayName(), () -> {
                for (short made = key.lowestSupportedVersion(); made <= key.latestSchemaVersion(); made++) {
                    for (int i = 0; i < SAMPLES; i++) {
                        long seed = CodecCrossCheckTest.seed(key.id(), made, 7, i);
                        check(RandomMessages.randomRequest(key, new RandomValues(seed), made), key, made, seed);
                        check(RandomMessages.randomResponse(key, new RandomValues(seed), made), key, made, seed);
                    }
                }
            }));
        }
        return tests;
    }

    private static void check(Message m, ApiKey key, short made, long seed) throws Exception {
        ByteBuffer original = CodecCrossCheckTest.encode(m, made);
        String name = m.getClass().getSimpleName();
        for (short v = key.lowestSupportedVersion(); v <= key.latestSchemaVersion(); v++) {
            short version = v;
            Supplier<String> what = () -> name + " made for v" + made + " written at v" + version + " seed " + seed
                    + " (" + m + ")";
            ByteBuffer ours = null;
            Outcome kwire;
            try {
                ours = CodecCrossCheckTest.encode(m, version);
                kwire = Outcome.OK;
            } catch (UnsupportedVersionException e) {
                kwire = Outcome.UNSUPPORTED_VERSION;
            } catch (KwireException e) {
                kwire = Outcome.OTHER_ERROR;
            }
            org.apache.kafka.common.protocol.Message k =
                    CodecCrossCheckTest.kafkaRead(name, original.duplicate(), made, what);
            ByteBuffer theirs = null;
            Outcome kafka;
            try {
                ObjectSerializationCache cache = new ObjectSerializationCache();
                theirs = ByteBuffer.allocate(k.size(cache, version));
                k.write(new ByteBufferAccessor(theirs), cache, version);
                theirs.flip();
                kafka = Outcome.OK;
            } catch (org.apache.kafka.common.errors.UnsupportedVersionException e) {
                kafka = Outcome.UNSUPPORTED_VERSION;
            } catch (RuntimeException e) {
                kafka = Outcome.OTHER_ERROR;
            }
            assertThat(kwire).as(what).isEqualTo(kafka);
            SEEN.get(kwire).incrementAndGet();
            if (kwire == Outcome.OK) {
                assertThat(CodecCrossCheckTest.bytes(ours)).as(what).isEqualTo(CodecCrossCheckTest.bytes(theirs));
            }
        }
    }
}
