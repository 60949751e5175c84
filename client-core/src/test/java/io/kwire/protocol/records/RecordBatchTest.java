package io.kwire.protocol.records;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kwire.protocol.records.KafkaOracle.BatchSpec;
import io.kwire.protocol.records.RandomRecords.Rec;
import java.io.ByteArrayOutputStream;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ReadOnlyBufferException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jpountz.lz4.LZ4FrameOutputStream;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.xerial.snappy.Snappy;

/** Builder and reader behaviour beyond the Kafka byte comparison. */
class RecordBatchTest {

    @Test
    void uncompressedBatchIsAllocatedAtItsExactSize() {
        List<Rec> recs = RandomRecords.generate(41, 50, true);
        RecordBatchBuilder b = new RecordBatchBuilder();
        for (Rec r : recs) {
            int predicted = b.estimatedSizeAfterAppend(r.timestamp(), RandomRecords.wrap(r.key()),
                    RandomRecords.wrap(r.value()), r.kwireHeaders());
            b.append(r.timestamp(), r.key(), r.value(), r.kwireHeaders());
            assertThat(b.estimatedSizeInBytes()).isEqualTo(predicted);
        }
        ByteBuffer batch = b.build();
        assertThat(batch.capacity()).isEqualTo(b.estimatedSizeInBytes());
        assertThat(batch.position()).isZero();
        assertThat(batch.limit()).isEqualTo(batch.capacity());
        assertThat(b.recordCount()).isEqualTo(50);
        assertThat(b.build()).isEqualTo(batch); // building again gives the same bytes
    }

    @Test
    void builtBatchTakesNoMoreRecordsAndRebuildsWithTheCurrentHeader() {
        RecordBatchBuilder b = new RecordBatchBuilder().append(5L, null, new byte[] {1});
        ByteBuffer first = b.build();
        assertThatThrownBy(() -> b.append(6L, null, new byte[] {2})).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already built");
        first.position(3).limit(10); // the caller reading its buffer does not change what a rebuild copies
        ByteBuffer second = b.producerState(77L, (short) 3, 9).build();
        assertThat(second.array()).isNotSameAs(first.array());
        RecordBatch read = Records.batches(second).get(0); // the CRC was recomputed, or this would fail
        assertThat(read.producerId()).isEqualTo(77L);
        assertThat(read.baseSequence()).isEqualTo(9);
        assertThat(read.records()).extracting(Record::valueBytes).containsExactly(new byte[] {1});
        assertThat(second.limit()).isEqualTo(first.capacity());
        assertThat(Records.batches(first.clear()).get(0).producerId()).isEqualTo(RecordBatch.NO_PRODUCER_ID);
    }

    @Test
    void appendCopiesTheCallersBytesAtOnce() {
        byte[] value = {1, 2, 3};
        ByteBuffer key = ByteBuffer.wrap(new byte[] {7, 8});
        RecordBatchBuilder b = new RecordBatchBuilder().append(5L, key, ByteBuffer.wrap(value));
        value[0] = 9;
        key.put(0, (byte) 9);
        Record r = Records.records(b.build()).get(0);
        assertThat(r.valueBytes()).containsExactly(1, 2, 3);
        assertThat(r.keyBytes()).containsExactly(7, 8);
        assertThat(key.position()).isZero();
    }

    /** Builders share a scratch pool: interleaved builders (one per partition) must never see each other's bytes. */
    @ParameterizedTest
    @EnumSource(Compression.class)
    void interleavedBuildersMatchKafka(Compression c) {
        int builders = ScratchPool.SLOTS + 2;
        for (int round = 0; round < 3; round++) {
            List<List<Rec>> recs = new java.util.ArrayList<>();
            List<RecordBatchBuilder> kwire = new java.util.ArrayList<>();
            for (int i = 0; i < builders; i++) {
                recs.add(RandomRecords.generate(1000L * round + i, 30 + 10 * i, true));
                kwire.add(BatchSpec.simple(c).kwireBuilder());
            }
            for (int n = 0; n < 80; n++) {
                for (int i = 0; i < builders; i++) {
                    if (n < recs.get(i).size()) {
                        Rec r = recs.get(i).get(n);
                        kwire.get(i).append(r.timestamp(), r.key(), r.value(), r.kwireHeaders());
                    }
                }
            }
            for (int i = 0; i < builders; i++) {
                assertThat(kwire.get(i).build()).as("round %d builder %d", round, i)
                        .isEqualTo(KafkaOracle.kafkaBuild(BatchSpec.simple(c), recs.get(i)));
            }
        }
    }

    @Test
    void batchLargerThanThePooledArraysMatchesKafka() {
        byte[] big = new byte[300 * 1024];
        new java.util.Random(5).nextBytes(big);
        List<Rec> recs = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            recs.add(new Rec(1_000L + i, null, big, List.of()));
        }
        ByteBuffer kwire = KafkaOracle.kwireBuild(BatchSpec.simple(Compression.NONE), recs);
        assertThat(kwire.limit()).isGreaterThan(ScratchPool.MAX_POOLED_BYTES);
        assertThat(kwire).isEqualTo(KafkaOracle.kafkaBuild(BatchSpec.simple(Compression.NONE), recs));
    }

    /**
     * {@code buildInto} writes Kafka's bytes into the caller's buffer at its position, whatever the buffer's byte
     * order, leaves the bytes before it alone, moves the position past the batch, and returns a big-endian view.
     */
    @ParameterizedTest
    @EnumSource(Compression.class)
    void buildIntoADirectBufferWritesKafkasBytesAtItsPosition(Compression c) {
        List<Rec> recs = RandomRecords.generate(77, 60, true);
        RecordBatchBuilder b = KafkaOracle.kwireBuilder(BatchSpec.simple(c), recs);
        ByteBuffer target = ByteBuffer.allocateDirect(7 + b.estimatedSizeInBytes() + 64)
                .order(ByteOrder.LITTLE_ENDIAN);
        target.put(new byte[] {1, 2, 3, 4, 5, 6, 7});
        ByteBuffer batch = b.buildInto(target);
        ByteBuffer kafka = KafkaOracle.kafkaBuild(BatchSpec.simple(c), recs);
        assertThat(batch.isDirect()).isTrue();
        assertThat(batch.order()).isEqualTo(ByteOrder.BIG_ENDIAN);
        assertThat(batch.position()).isZero();
        assertThat(batch).isEqualTo(kafka);
        assertThat(target.position()).isEqualTo(7 + kafka.remaining());
        assertThat(target.order()).isEqualTo(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 7; i++) {
            assertThat(target.get(i)).isEqualTo((byte) (i + 1));
        }
        assertThat(Records.records(batch)).hasSize(60);
        assertThatThrownBy(() -> b.append(1L, null, new byte[] {1})).isInstanceOf(IllegalStateException.class);
    }

    /** Too small a buffer: nothing written, the builder as it was, and a larger buffer then takes the batch. */
    @ParameterizedTest
    @EnumSource(value = Compression.class, names = {"NONE", "GZIP"})
    void buildIntoTooSmallABufferWritesNothingAndLeavesTheBuilderAsItWas(Compression c) {
        List<Rec> recs = RandomRecords.generate(78, 20, false);
        RecordBatchBuilder b = KafkaOracle.kwireBuilder(BatchSpec.simple(c), recs.subList(0, 19));
        ByteBuffer small = ByteBuffer.allocate(40);
        small.position(3);
        assertThatThrownBy(() -> b.buildInto(small)).isInstanceOf(BufferOverflowException.class);
        assertThat(small.position()).isEqualTo(3);
        assertThat(small.array()).containsOnly((byte) 0);
        Rec last = recs.get(19);
        b.append(last.timestamp(), last.key(), last.value(), last.kwireHeaders()); // still open for appends
        ByteBuffer batch = b.buildInto(ByteBuffer.allocate(b.estimatedSizeInBytes() + 8));
        assertThat(batch).isEqualTo(KafkaOracle.kafkaBuild(BatchSpec.simple(c), recs));
        assertThatThrownBy(() -> b.buildInto(ByteBuffer.allocate(64).asReadOnlyBuffer()))
                .isInstanceOf(ReadOnlyBufferException.class);
    }

    /**
     * After buildInto, building again (for a retry with new producer state) copies the batch with a new header; once
     * the memory it was written to has been reused, building again is refused rather than sealing what is there.
     */
    @Test
    void aBatchBuiltIntoABufferRebuildsWithTheCurrentHeaderUntilItsMemoryIsReused() {
        RecordBatchBuilder b = new RecordBatchBuilder().append(5L, null, new byte[] {1})
                .append(6L, null, new byte[] {2});
        ByteBuffer target = ByteBuffer.allocateDirect(256);
        ByteBuffer first = b.buildInto(target);
        ByteBuffer second = b.producerState(77L, (short) 3, 9).build();
        assertThat(second.isDirect()).isFalse();
        RecordBatch read = Records.batches(second).get(0); // the CRC was recomputed, or this would fail
        assertThat(read.producerId()).isEqualTo(77L);
        assertThat(read.records()).extracting(Record::valueBytes).containsExactly(new byte[] {1}, new byte[] {2});
        ByteBuffer third = b.producerState(78L, (short) 3, 11).buildInto(target);
        assertThat(target.position()).isEqualTo(2 * third.limit());
        assertThat(Records.batches(third).get(0).producerId()).isEqualTo(78L);
        assertThat(Records.batches(first.clear()).get(0).producerId()).isEqualTo(RecordBatch.NO_PRODUCER_ID);
        assertThat(new RecordBatchBuilder().buildInto(target).remaining()).as("nothing appended").isZero();
        assertThat(target.position()).isEqualTo(2 * third.limit());

        third.put(third.limit() - 1, (byte) (third.get(third.limit() - 1) + 1)); // the caller reuses the memory
        assertThatThrownBy(b::build).isInstanceOf(IllegalStateException.class).hasMessageContaining("changed since");
        assertThatThrownBy(() -> b.buildInto(ByteBuffer.allocate(256))).isInstanceOf(IllegalStateException.class);
        RecordBatchBuilder h = new RecordBatchBuilder().append(5L, null, new byte[] {1});
        ByteBuffer heap = h.build();
        heap.put(heap.limit() - 1, (byte) 9); // the same for a heap batch whose holder wrote into it
        assertThatThrownBy(h::build).isInstanceOf(IllegalStateException.class);
    }

    /** An uncompressed batch built into the caller's buffer allocates nothing of the batch's size. */
    @Test
    void buildIntoAllocatesNothingOfTheBatchsSize() {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        byte[] value = new byte[1000];
        ByteBuffer target = ByteBuffer.allocateDirect(512 * 1024);
        long[] allocated = new long[2];
        for (int round = 0; round < 2; round++) { // the first round warms the scratch pool and the classes up
            RecordBatchBuilder b = new RecordBatchBuilder();
            for (int i = 0; i < 200; i++) {
                b.append(i, null, value);
            }
            long before = threads.getCurrentThreadAllocatedBytes();
            b.buildInto(target.clear());
            allocated[round] = threads.getCurrentThreadAllocatedBytes() - before;
        }
        assertThat(allocated[1]).as("bytes allocated by buildInto of a 200 KB batch").isLessThan(4096);
    }

    @Test
    void emptyBuilderGivesEmptyRecords() {
        assertThat(new RecordBatchBuilder(Compression.GZIP).build().remaining()).isZero();
        assertThat(new RecordBatchBuilder().estimatedSizeInBytes()).isZero();
    }

    @Test
    void uncompressedRecordsAreZeroCopyViewsOfTheFetchedBuffer() {
        ByteBuffer batch = new RecordBatchBuilder().append(5L, "key".getBytes(StandardCharsets.UTF_8),
                "value".getBytes(StandardCharsets.UTF_8), Header.of("h", "hv")).build();
        Record r = Records.records(batch).get(0);
        assertThat(r.key().array()).isSameAs(batch.array());
        assertThat(r.value().array()).isSameAs(batch.array());
        assertThat(r.headers().get(0).value().array()).isSameAs(batch.array());
        assertThat(StandardCharsets.UTF_8.decode(r.value()).toString()).isEqualTo("value");
        assertThat(r.valueBytes()).isEqualTo("value".getBytes(StandardCharsets.UTF_8));
        ByteBuffer v = r.value();
        v.get();
        assertThat(r.value().remaining()).isEqualTo(5); // each call gives a fresh view
    }

    @Test
    void readerDoesNotMoveTheCallersBufferAndHonoursItsPosition() {
        ByteBuffer batch = new RecordBatchBuilder().append(5L, null, new byte[] {9}).build();
        ByteBuffer withPrefix = ByteBuffer.allocate(batch.limit() + 3);
        withPrefix.position(3);
        withPrefix.put(batch.duplicate());
        withPrefix.position(3);
        assertThat(Records.records(withPrefix)).hasSize(1);
        assertThat(withPrefix.position()).isEqualTo(3);
        ByteBuffer direct = ByteBuffer.allocateDirect(batch.limit()).put(batch.duplicate()).flip();
        for (Compression c : Compression.values()) {
            ByteBuffer cb = new RecordBatchBuilder(c).append(5L, null, new byte[] {9}).build();
            ByteBuffer d = ByteBuffer.allocateDirect(cb.limit()).put(cb.duplicate()).flip();
            assertThat(Records.records(d).get(0).valueBytes()).as(c.name()).containsExactly(9);
        }
        assertThat(Records.records(direct).get(0).valueBytes()).containsExactly(9);
    }

    @Test
    void logAppendTimeBatchesGiveEveryRecordTheAppendTime() {
        ByteBuffer batch = new RecordBatchBuilder().logAppendTime(999_999L).append(5L, null, new byte[] {1})
                .append(7L, null, new byte[] {2}).build();
        RecordBatch b = Records.batches(batch).get(0);
        assertThat(b.timestampType()).isEqualTo(TimestampType.LOG_APPEND_TIME);
        assertThat(b.maxTimestamp()).isEqualTo(999_999L);
        assertThat(b.records()).extracting(Record::timestamp).containsExactly(999_999L, 999_999L);
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void explicitOffsetsWithGapsMatchKafka(Compression c) {
        MemoryRecordsBuilder kafka = MemoryRecords.builder(ByteBuffer.allocate(256),
                org.apache.kafka.common.compress.Compression.of(
                        org.apache.kafka.common.record.internal.CompressionType.forId(c.id())).build(),
                org.apache.kafka.common.record.TimestampType.CREATE_TIME, 100L);
        RecordBatchBuilder kwire = new RecordBatchBuilder(c).baseOffset(100L);
        long[] offsets = {100L, 103L, 104L, 200L};
        for (long o : offsets) {
            byte[] v = ("v" + o).getBytes(StandardCharsets.UTF_8);
            kafka.appendWithOffset(o, 1_000L + o, null, v);
            kwire.appendWithOffset(o, 1_000L + o, null, ByteBuffer.wrap(v));
        }
        ByteBuffer built = kwire.build();
        assertThat(built).isEqualTo(kafka.build().buffer());
        RecordBatch b = Records.batches(built).get(0);
        assertThat(b.lastOffset()).isEqualTo(200L);
        assertThat(b.nextOffset()).isEqualTo(201L);
        assertThat(b.records()).extracting(Record::offset).containsExactly(100L, 103L, 104L, 200L);
    }

    @Test
    void builderRejectsMisuse() {
        RecordBatchBuilder b = new RecordBatchBuilder().baseOffset(10);
        assertThatThrownBy(() -> b.appendWithOffset(9, 1L, null, null)).isInstanceOf(IllegalArgumentException.class);
        b.append(1L, (byte[]) null, null);
        assertThatThrownBy(() -> b.appendWithOffset(10, 1L, null, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.append(-5L, (byte[]) null, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.baseOffset(0)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new Header(null, null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void headerValuesRespectBufferPositions() {
        ByteBuffer v = ByteBuffer.wrap(new byte[] {0, 0, 7, 8});
        v.position(2);
        ByteBuffer batch = new RecordBatchBuilder().append(1L, null, v, new Header("h", v)).build();
        Record r = Records.records(batch).get(0);
        assertThat(r.valueBytes()).containsExactly(7, 8);
        assertThat(r.headers().get(0).valueBytes()).containsExactly(7, 8);
        assertThat(r.headers().get(0)).isEqualTo(Header.of("h", new byte[] {7, 8}));
        assertThat(v.position()).isEqualTo(2);
    }

    /** LZ4 frames other writers may produce: block checksums, content size and content checksum. */
    @Test
    void readsLz4FramesWithOptionalFeatures() throws Exception {
        List<Rec> recs = RandomRecords.generate(77, 40, true);
        ByteBuffer plain = KafkaOracle.kwireBuild(BatchSpec.simple(Compression.NONE), recs);
        ByteBuffer section = plain.slice(RecordBatch.HEADER_SIZE, plain.limit() - RecordBatch.HEADER_SIZE);
        byte[] raw = RecordBytes.copy(section);
        ByteArrayOutputStream framed = new ByteArrayOutputStream();
        try (LZ4FrameOutputStream out = new LZ4FrameOutputStream(framed, LZ4FrameOutputStream.BLOCKSIZE.SIZE_256KB,
                raw.length, LZ4FrameOutputStream.FLG.Bits.BLOCK_CHECKSUM,
                LZ4FrameOutputStream.FLG.Bits.CONTENT_CHECKSUM, LZ4FrameOutputStream.FLG.Bits.CONTENT_SIZE,
                LZ4FrameOutputStream.FLG.Bits.BLOCK_INDEPENDENCE)) {
            out.write(raw);
        }
        ByteBuffer batch = withSection(plain, Compression.LZ4, framed.toByteArray());
        assertThat(KafkaOracle.kwireRead(batch)).isEqualTo(KafkaOracle.kwireRead(plain));
        // a damaged content checksum is caught
        byte[] bad = framed.toByteArray();
        bad[bad.length - 1] ^= 1;
        ByteBuffer damaged = withSection(plain, Compression.LZ4, bad);
        assertThatThrownBy(() -> Records.records(damaged)).isInstanceOf(CorruptRecordException.class)
                .hasMessageContaining("content checksum");
    }

    @Test
    void readsUnframedSnappy() throws Exception {
        List<Rec> recs = RandomRecords.generate(78, 20, true);
        ByteBuffer plain = KafkaOracle.kwireBuild(BatchSpec.simple(Compression.NONE), recs);
        byte[] raw = RecordBytes.copy(plain.slice(RecordBatch.HEADER_SIZE, plain.limit() - RecordBatch.HEADER_SIZE));
        ByteBuffer batch = withSection(plain, Compression.SNAPPY, Snappy.compress(raw));
        assertThat(KafkaOracle.kwireRead(batch)).isEqualTo(KafkaOracle.kwireRead(plain));
    }

    /** A copy of an uncompressed batch's header with another records section and codec, CRC recomputed. */
    private static ByteBuffer withSection(ByteBuffer plain, Compression c, byte[] section) {
        ByteBuffer b = ByteBuffer.allocate(RecordBatch.HEADER_SIZE + section.length);
        b.put(plain.slice(0, RecordBatch.HEADER_SIZE)).put(section).flip();
        b.putInt(RecordBatch.LENGTH_OFFSET, b.limit() - RecordBatch.LOG_OVERHEAD);
        b.putShort(RecordBatch.ATTRIBUTES_OFFSET, (short) (b.getShort(RecordBatch.ATTRIBUTES_OFFSET) | c.id()));
        return CorruptionTest.recrc(b);
    }
}
