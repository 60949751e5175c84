package io.kwire.protocol.records;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kwire.protocol.records.KafkaOracle.BatchSpec;
import io.kwire.protocol.records.KafkaOracle.Read;
import io.kwire.protocol.records.RandomRecords.Rec;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** Reading records lazily: iterating a batch, a {@link RecordCursor}, and errors met on the way. */
class RecordIterationTest {

    private static RecordBatch onlyBatch(ByteBuffer records) {
        List<RecordBatch> batches = Records.batches(records);
        assertThat(batches).hasSize(1);
        return batches.get(0);
    }

    private static Read read(Record r) {
        List<String> keys = new ArrayList<>();
        List<ByteBuffer> values = new ArrayList<>();
        for (Header h : r.headers()) {
            keys.add(h.key());
            values.add(h.value());
        }
        return new Read(r.offset(), r.timestamp(), r.key(), r.value(), keys, values);
    }

    private static List<Read> iterate(RecordBatch batch) {
        List<Read> out = new ArrayList<>();
        for (Record r : batch) {
            out.add(read(r));
        }
        return out;
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void iteratingABatchTwiceGivesTheRecordsKafkaReads(Compression c) {
        List<Rec> recs = RandomRecords.generate(101 + c.ordinal(), 60, true);
        ByteBuffer kafka = KafkaOracle.kafkaBuild(BatchSpec.simple(c), recs);
        List<Read> expected = KafkaOracle.kafkaRead(kafka);
        RecordBatch batch = onlyBatch(kafka);
        assertThat(iterate(batch)).isEqualTo(expected);
        assertThat(iterate(batch)).isEqualTo(expected);
        assertThat(batch.records()).extracting(RecordIterationTest::read).isEqualTo(expected);
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void cursorDescribesEachRecordAsTheIteratorDoes(Compression c) {
        List<Rec> recs = RandomRecords.generate(202 + c.ordinal(), 40, true);
        RecordBatch batch = onlyBatch(KafkaOracle.kwireBuild(BatchSpec.simple(c), recs));
        List<Record> records = batch.records();
        RecordCursor cursor = batch.cursor();
        List<Record> kept = new ArrayList<>();
        for (Record r : records) {
            assertThat(cursor.next()).isTrue();
            assertThat(cursor.offset()).isEqualTo(r.offset());
            assertThat(cursor.timestamp()).isEqualTo(r.timestamp());
            assertThat(cursor.key()).isEqualTo(r.key());
            assertThat(cursor.value()).isEqualTo(r.value());
            assertThat(cursor.keySize()).isEqualTo(r.keySize());
            assertThat(cursor.valueSize()).isEqualTo(r.valueSize());
            assertThat(cursor.headers()).isEqualTo(r.headers());
            assertThat(cursor.sizeInBytes()).isEqualTo(r.sizeInBytes());
            kept.add(cursor.toRecord());
        }
        assertThat(cursor.next()).isFalse();
        assertThat(cursor.next()).isFalse();
        // records kept from the cursor stay valid after it has moved on
        assertThat(kept).extracting(RecordIterationTest::read)
                .isEqualTo(records.stream().map(RecordIterationTest::read).toList());
    }

    @Test
    void cursorAccessorsOutsideARecordFailClearly() {
        RecordBatch batch = onlyBatch(new RecordBatchBuilder().append(1L, null, new byte[] {1}).build());
        RecordCursor cursor = batch.cursor();
        assertThatThrownBy(cursor::value).isInstanceOf(IllegalStateException.class).hasMessageContaining("next()");
        assertThat(cursor.next()).isTrue();
        assertThat(cursor.value()).isEqualTo(ByteBuffer.wrap(new byte[] {1}));
        assertThat(cursor.next()).isFalse();
        assertThatThrownBy(cursor::offset).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void iteratorEndsWithNoSuchElement() {
        RecordBatch batch = onlyBatch(new RecordBatchBuilder().append(1L, null, new byte[] {1}).build());
        Iterator<Record> it = batch.iterator();
        assertThat(it.hasNext()).isTrue();
        assertThat(it.hasNext()).isTrue(); // asking twice does not skip a record
        assertThat(it.next().offset()).isZero();
        assertThat(it.hasNext()).isFalse();
        assertThatThrownBy(it::next).isInstanceOf(NoSuchElementException.class);
    }

    @Test
    void corruptRecordFailsWhenTheIterationReachesItWithATypedError() {
        RecordBatchBuilder b = new RecordBatchBuilder();
        for (int i = 0; i < 3; i++) {
            b.append(1000L + i, new byte[] {'k'}, new byte[] {'v'});
        }
        ByteBuffer batch = b.build();
        // each record is 9 bytes: length, attributes, tsDelta, offsetDelta, keyLen, 'k', valueLen, 'v', headers;
        // forge the third record's key length to run past its end
        int thirdKeyLength = RecordBatch.HEADER_SIZE + 2 * 9 + 4;
        batch.put(thirdKeyLength, (byte) (40 << 1));
        CorruptionTest.recrc(batch);
        RecordBatch read = onlyBatch(batch);
        Iterator<Record> it = read.iterator();
        assertThat(it.next().offset()).isEqualTo(0L);
        assertThat(it.next().offset()).isEqualTo(1L);
        assertThatThrownBy(it::hasNext).isInstanceOf(CorruptRecordException.class)
                .hasMessageContaining("Corrupt record batch at offset 0: record 2: key length 40");
        RecordCursor cursor = read.cursor();
        assertThat(cursor.next()).isTrue();
        assertThat(cursor.next()).isTrue();
        assertThatThrownBy(cursor::next).isInstanceOf(CorruptRecordException.class)
                .hasMessageContaining("record 2");
    }

    @Test
    void recordCountAboveTheSectionFailsWhenReadingStarts() {
        ByteBuffer batch = new RecordBatchBuilder().append(1L, null, new byte[] {1}).build();
        batch.putInt(RecordBatch.RECORDS_COUNT_OFFSET, 1000);
        CorruptionTest.recrc(batch);
        RecordBatch read = onlyBatch(batch);
        assertThatThrownBy(read::iterator).isInstanceOf(CorruptRecordException.class)
                .hasMessageContaining("declares 1000 records");
        assertThatThrownBy(read::cursor).isInstanceOf(CorruptRecordException.class);
    }

    @Test
    void uncompressedCursorViewsAreZeroCopyAlsoForDirectBuffers() {
        ByteBuffer heap = new RecordBatchBuilder().append(5L, new byte[] {1, 2}, new byte[] {3, 4, 5},
                Header.of("h", new byte[] {6})).build();
        ByteBuffer direct = ByteBuffer.allocateDirect(heap.limit()).put(heap.duplicate()).flip();
        RecordCursor c = onlyBatch(direct).cursor();
        assertThat(c.next()).isTrue();
        ByteBuffer value = c.value();
        assertThat(value.isDirect()).isTrue();
        assertThat(value).isEqualTo(ByteBuffer.wrap(new byte[] {3, 4, 5}));
        direct.put(direct.limit() - 8, (byte) 42); // the first value byte, changed in the fetched buffer
        assertThat(value.get(0)).isEqualTo((byte) 42);
        assertThat(c.key()).isEqualTo(ByteBuffer.wrap(new byte[] {1, 2}));
        assertThat(c.headers().get(0).valueBytes()).containsExactly(6);
    }
}
