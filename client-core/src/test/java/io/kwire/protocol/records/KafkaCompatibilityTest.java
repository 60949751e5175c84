package io.kwire.protocol.records;

import static org.assertj.core.api.Assertions.assertThat;

import io.kwire.protocol.records.KafkaOracle.BatchSpec;
import io.kwire.protocol.records.KafkaOracle.Read;
import io.kwire.protocol.records.RandomRecords.Rec;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.kafka.common.record.internal.ControlRecordType;
import org.apache.kafka.common.record.internal.EndTransactionMarker;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * kwire against kafka-clients 4.1.2 as the oracle: the same records and batch fields must give the same bytes
 * (CRC included), and each side must read the other's batches back to the same records.
 *
 * <p>Byte identity holds for every codec here because kwire uses Kafka's codec parameters: gzip default level 6
 * with the JDK's GZIPOutputStream, xerial snappy framing with 32 KiB blocks, Kafka's LZ4 frame (64 KiB blocks,
 * fast compressor), zstd level 3 streaming. It relies on the same codec library versions on both sides (one
 * classpath here); a different zlib, lz4 or zstd build may legitimately produce other bytes, which is why the
 * read-back assertions are made as well.
 */
class KafkaCompatibilityTest {

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        int[] sizes = {1, 7, 60, 400};
        long seed = 1;
        for (Compression c : Compression.values()) {
            for (int size : sizes) {
                out.add(Arguments.of(c, size, seed++));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} x {1} records (seed {2})")
    @MethodSource("cases")
    void sameBytesAsKafkaAndReadableBothWays(Compression compression, int size, long seed) {
        List<Rec> recs = RandomRecords.generate(seed, size, seed % 5 != 0);
        BatchSpec spec = BatchSpec.simple(compression);
        checkSpec(spec, recs);
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void producerFieldsAndOffsetsMatch(Compression compression) {
        List<Rec> recs = RandomRecords.generate(100 + compression.id(), 25, true);
        checkSpec(new BatchSpec(compression, 1234567L, 17, 9876543210L, (short) 3, 42, false, -1L), recs);
        checkSpec(new BatchSpec(compression, 0L, 5, 77L, (short) 0, Integer.MAX_VALUE - 3, true, -1L), recs);
        checkSpec(new BatchSpec(compression, 10L, 2, -1L, (short) -1, -1, false, 1_700_000_999_000L), recs);
    }

    @ParameterizedTest(name = "{0} level {1}")
    @MethodSource("levels")
    void compressionLevelsMatchKafka(Compression compression, int level) {
        List<Rec> recs = RandomRecords.generate(300 + level, 80, true);
        org.apache.kafka.common.compress.Compression kafkaCompression = switch (compression) {
            case GZIP -> org.apache.kafka.common.compress.Compression.gzip().level(level).build();
            case LZ4 -> org.apache.kafka.common.compress.Compression.lz4().level(level).build();
            case ZSTD -> org.apache.kafka.common.compress.Compression.zstd().level(level).build();
            default -> throw new AssertionError(compression);
        };
        org.apache.kafka.common.record.internal.MemoryRecordsBuilder kb = MemoryRecords.builder(ByteBuffer.allocate(64),
                kafkaCompression, org.apache.kafka.common.record.TimestampType.CREATE_TIME, 0L);
        RecordBatchBuilder b = new RecordBatchBuilder(compression).compressionLevel(level);
        for (Rec r : recs) {
            kb.append(r.timestamp(), RandomRecords.wrap(r.key()), RandomRecords.wrap(r.value()), r.kafkaHeaders());
            b.append(r.timestamp(), r.key(), r.value(), r.kwireHeaders());
        }
        ByteBuffer kafka = kb.build().buffer();
        ByteBuffer kwire = b.build();
        assertThat(kwire).isEqualTo(kafka);
        assertThat(KafkaOracle.kwireRead(kwire)).isEqualTo(KafkaOracle.kafkaRead(kafka));
    }

    static Stream<Arguments> levels() {
        return Stream.of(Arguments.of(Compression.GZIP, 1), Arguments.of(Compression.GZIP, 9),
                Arguments.of(Compression.LZ4, 1), Arguments.of(Compression.LZ4, 12),
                Arguments.of(Compression.ZSTD, -5), Arguments.of(Compression.ZSTD, 10));
    }

    @Test
    void levelsOutOfKafkasRangeAreRefused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new RecordBatchBuilder(Compression.GZIP)
                .compressionLevel(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("gzip");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new RecordBatchBuilder(Compression.LZ4)
                .compressionLevel(18)).isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new RecordBatchBuilder(Compression.ZSTD)
                .compressionLevel(23)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new RecordBatchBuilder(Compression.GZIP).compressionLevel(-1).compression())
                .isEqualTo(Compression.GZIP);
    }

    @Test
    void allTimestampsAbsentGivesMaxTimestampMinusOne() {
        List<Rec> recs = RandomRecords.generate(7, 5, false);
        ByteBuffer batch = checkSpec(BatchSpec.simple(Compression.NONE), recs);
        RecordBatch b = Records.batches(batch).get(0);
        assertThat(b.baseTimestamp()).isEqualTo(-1L);
        assertThat(b.maxTimestamp()).isEqualTo(-1L);
        assertThat(b.records()).allSatisfy(r -> assertThat(r.timestamp()).isEqualTo(-1L));
    }

    @Test
    void readsConcatenatedBatchesOfMixedCodecsFromKafka() {
        List<ByteBuffer> parts = new ArrayList<>();
        List<Read> expected = new ArrayList<>();
        long offset = 0;
        for (Compression c : Compression.values()) {
            List<Rec> recs = RandomRecords.generate(200 + c.id(), 30, true);
            BatchSpec spec = new BatchSpec(c, offset, 1, 5L, (short) 1, (int) offset, false, -1L);
            ByteBuffer kafka = KafkaOracle.kafkaBuild(spec, recs);
            parts.add(kafka);
            expected.addAll(KafkaOracle.kafkaRead(kafka));
            offset += recs.size();
        }
        ByteBuffer all = Records.concat(parts);
        assertThat(KafkaOracle.kwireRead(all)).isEqualTo(expected);
        List<RecordBatch> batches = Records.batches(all);
        assertThat(batches).extracting(RecordBatch::compression).containsExactly(Compression.values());
        assertThat(batches.get(4).baseOffset()).isEqualTo(120L);
        assertThat(batches.get(4).lastOffset()).isEqualTo(149L);
        // and kafka reads kwire's concatenation the same way
        List<ByteBuffer> kwireParts = new ArrayList<>();
        offset = 0;
        for (Compression c : Compression.values()) {
            List<Rec> recs = RandomRecords.generate(200 + c.id(), 30, true);
            kwireParts.add(KafkaOracle.kwireBuild(new BatchSpec(c, offset, 1, 5L, (short) 1, (int) offset, false,
                    -1L), recs));
            offset += recs.size();
        }
        assertThat(Records.concat(kwireParts)).isEqualTo(all);
    }

    @Test
    void readsKafkaControlBatch() {
        MemoryRecords marker = MemoryRecords.withEndTransactionMarker(55L, 1_700_000_000_123L, 3, 99L, (short) 2,
                new EndTransactionMarker(ControlRecordType.COMMIT, 7));
        List<RecordBatch> batches = Records.batches(marker.buffer());
        assertThat(batches).hasSize(1);
        RecordBatch b = batches.get(0);
        assertThat(b.isControlBatch()).isTrue();
        assertThat(b.isTransactional()).isTrue();
        assertThat(b.producerId()).isEqualTo(99L);
        assertThat(b.producerEpoch()).isEqualTo((short) 2);
        assertThat(b.partitionLeaderEpoch()).isEqualTo(3);
        Record r = b.records().get(0);
        assertThat(r.offset()).isEqualTo(55L);
        assertThat(r.key().getShort(2)).isEqualTo(ControlRecordType.COMMIT.type());
        assertThat(io.kwire.protocol.records.ControlRecordType.of(r))
                .isEqualTo(io.kwire.protocol.records.ControlRecordType.COMMIT);
        MemoryRecords abort = MemoryRecords.withEndTransactionMarker(56L, 1L, 3, 99L, (short) 2,
                new EndTransactionMarker(ControlRecordType.ABORT, 7));
        assertThat(io.kwire.protocol.records.ControlRecordType.of(Records.records(abort.buffer()).get(0)))
                .isEqualTo(io.kwire.protocol.records.ControlRecordType.ABORT);
        assertThat(io.kwire.protocol.records.ControlRecordType.parse(null))
                .isEqualTo(io.kwire.protocol.records.ControlRecordType.UNKNOWN);
    }

    @Test
    void controlBatchBuiltByKwireIsSeenAsControlByKafka() {
        ByteBuffer key = ByteBuffer.allocate(4).putShort((short) 0).putShort((short) 1).flip(); // v0, COMMIT
        ByteBuffer value = ByteBuffer.allocate(6).putShort((short) 0).putInt(7).flip();
        ByteBuffer batch = new RecordBatchBuilder().producerState(99L, (short) 2, -1).transactional(true)
                .controlBatch(true).append(1_700_000_000_123L, key, value).build();
        org.apache.kafka.common.record.internal.MutableRecordBatch kb =
                MemoryRecords.readableRecords(batch).batches().iterator().next();
        kb.ensureValid();
        assertThat(kb.isControlBatch()).isTrue();
        assertThat(ControlRecordType.parse(kb.iterator().next().key())).isEqualTo(ControlRecordType.COMMIT);
    }

    private static ByteBuffer checkSpec(BatchSpec spec, List<Rec> recs) {
        ByteBuffer kafka = KafkaOracle.kafkaBuild(spec, recs);
        ByteBuffer kwire = KafkaOracle.kwireBuild(spec, recs);
        assertThat(kwire.remaining()).as("batch size").isEqualTo(kafka.remaining());
        assertThat(kwire).as("batch bytes").isEqualTo(kafka);
        List<Read> expected = KafkaOracle.kafkaRead(kafka);
        assertThat(expected).hasSize(recs.size());
        assertThat(KafkaOracle.kafkaRead(kwire)).as("kafka reads kwire's batch").isEqualTo(expected);
        assertThat(KafkaOracle.kwireRead(kafka)).as("kwire reads kafka's batch").isEqualTo(expected);
        RecordBatch b = Records.batches(kafka).get(0);
        org.apache.kafka.common.record.internal.MutableRecordBatch kb =
                MemoryRecords.readableRecords(kafka.duplicate()).batches().iterator().next();
        assertThat(b.checksum()).isEqualTo(kb.checksum());
        assertThat(b.maxTimestamp()).isEqualTo(kb.maxTimestamp());
        assertThat(b.producerId()).isEqualTo(kb.producerId());
        assertThat(b.producerEpoch()).isEqualTo(kb.producerEpoch());
        assertThat(b.baseSequence()).isEqualTo(kb.baseSequence());
        assertThat(b.lastOffset()).isEqualTo(kb.lastOffset());
        assertThat(b.recordCount()).isEqualTo(kb.countOrNull());
        assertThat(b.isTransactional()).isEqualTo(kb.isTransactional());
        assertThat(b.timestampType().name()).isEqualTo(kb.timestampType().name());
        assertThat(b.partitionLeaderEpoch()).isEqualTo(kb.partitionLeaderEpoch());
        assertThat(b.compression().id()).isEqualTo(kb.compressionType().id);
        return kwire;
    }
}
