package io.kwire.protocol.records;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.kwire.errors.ProtocolException;
import io.kwire.protocol.records.KafkaOracle.BatchSpec;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Damaged or forged batches: each fails with a {@link ProtocolException} that says what is wrong, or is skipped. */
class CorruptionTest {

    private static ByteBuffer batch(Compression c, long seed, int count) {
        return KafkaOracle.kwireBuild(BatchSpec.simple(c), RandomRecords.generate(seed, count, true));
    }

    /** A small uncompressed batch: key "k", value "v", one header, so field offsets are known. */
    private static ByteBuffer tiny(int records) {
        RecordBatchBuilder b = new RecordBatchBuilder();
        for (int i = 0; i < records; i++) {
            b.append(1000L + i, new byte[] {'k'}, new byte[] {'v'}, Header.of("h", new byte[] {'x'}));
        }
        return b.build();
    }

    /** Recomputes the CRC, as a forger would, so that the damage is found by the later checks. */
    static ByteBuffer recrc(ByteBuffer b) {
        CRC32C crc = new CRC32C();
        crc.update(b.slice(RecordBatch.ATTRIBUTES_OFFSET, b.limit() - RecordBatch.ATTRIBUTES_OFFSET));
        b.putInt(RecordBatch.CRC_OFFSET, (int) crc.getValue());
        return b;
    }

    private static Throwable readAll(ByteBuffer b) {
        return catchThrowable(() -> Records.records(b));
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void everyFlippedBitUnderTheCrcIsDetected(Compression c) {
        ByteBuffer original = batch(c, 11, 12);
        Random rnd = new Random(c.ordinal());
        for (int i = 0; i < 200; i++) {
            ByteBuffer b = ByteBuffer.wrap(RecordBytes.copy(original));
            int pos = RecordBatch.ATTRIBUTES_OFFSET + rnd.nextInt(b.limit() - RecordBatch.ATTRIBUTES_OFFSET);
            b.put(pos, (byte) (b.get(pos) ^ (1 << rnd.nextInt(8))));
            assertThatThrownBy(() -> Records.batches(b))
                    .isInstanceOf(CorruptRecordException.class)
                    .hasMessageContaining("CRC32C");
        }
    }

    @Test
    void flippedCrcByteIsDetected() {
        ByteBuffer b = tiny(3);
        b.put(RecordBatch.CRC_OFFSET + 2, (byte) (b.get(RecordBatch.CRC_OFFSET + 2) ^ 0x10));
        assertThatThrownBy(() -> Records.batches(b)).isInstanceOf(CorruptRecordException.class)
                .hasMessageContaining("CRC32C").hasMessageContaining("offset 0");
    }

    @Test
    void truncatedTrailingBatchIsSkippedSilently() {
        ByteBuffer one = batch(Compression.NONE, 3, 10);
        ByteBuffer two = new RecordBatchBuilder(Compression.LZ4).baseOffset(10)
                .append(5L, null, new byte[] {1, 2, 3}).append(6L, null, new byte[] {4}).build();
        ByteBuffer both = Records.concat(one, two);
        for (int cut = 0; cut <= both.limit(); cut++) {
            ByteBuffer truncated = both.slice(0, cut);
            RecordBatchReader reader = new RecordBatchReader(truncated);
            int n = 0;
            for (RecordBatch b : reader) {
                b.records();
                n++;
            }
            int expected = cut == both.limit() ? 2 : cut >= one.limit() ? 1 : 0;
            assertThat(n).as("batches in the first %d bytes", cut).isEqualTo(expected);
            int consumed = expected == 0 ? 0 : expected == 1 ? one.limit() : both.limit();
            assertThat(reader.trailingBytes()).isEqualTo(cut - consumed);
        }
    }

    @Test
    void lengthFieldLongerThanTheBytesPresentIsAPartialBatch() {
        ByteBuffer b = tiny(2);
        b.putInt(RecordBatch.LENGTH_OFFSET, Integer.MAX_VALUE);
        assertThat(Records.batches(b)).isEmpty();
    }

    @Test
    void shortenedLengthFieldFailsTheCrc() {
        ByteBuffer b = tiny(2);
        b.putInt(RecordBatch.LENGTH_OFFSET, b.getInt(RecordBatch.LENGTH_OFFSET) - 3);
        assertThatThrownBy(() -> Records.batches(b)).isInstanceOf(CorruptRecordException.class)
                .hasMessageContaining("CRC32C");
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 0, 13, Integer.MIN_VALUE})
    void lengthBelowAnyMessageMinimumIsCorrupt(int length) {
        ByteBuffer b = tiny(1);
        b.putInt(RecordBatch.LENGTH_OFFSET, length);
        assertThatThrownBy(() -> Records.batches(b)).isInstanceOf(CorruptRecordException.class)
                .hasMessageContaining("length " + length);
    }

    @Test
    void lengthTooSmallForAV2HeaderIsCorrupt() {
        ByteBuffer b = tiny(1);
        b.putInt(RecordBatch.LENGTH_OFFSET, 30);
        assertThatThrownBy(() -> Records.batches(b)).isInstanceOf(CorruptRecordException.class)
                .hasMessageContaining("v2 header");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 3, -1})
    void otherMagicIsRejectedClearly(int magic) {
        ByteBuffer b = tiny(1);
        b.put(RecordBatch.MAGIC_OFFSET, (byte) magic);
        assertThatThrownBy(() -> Records.batches(b)).isInstanceOf(CorruptRecordException.class)
                .hasMessageContaining("magic " + magic).hasMessageContaining("v2");
    }

    @Test
    void unknownCompressionIdIsCorrupt() {
        ByteBuffer b = tiny(1);
        b.putShort(RecordBatch.ATTRIBUTES_OFFSET, (short) 5);
        recrc(b);
        assertThatThrownBy(() -> Records.batches(b)).isInstanceOf(CorruptRecordException.class)
                .hasMessageContaining("compression id 5");
    }

    @ParameterizedTest
    @ValueSource(ints = {Integer.MAX_VALUE, 1_000_000, 4})
    void recordCountAboveWhatTheBytesHoldIsCorrupt(int count) {
        ByteBuffer b = tiny(3);
        b.putInt(RecordBatch.RECORDS_COUNT_OFFSET, count);
        recrc(b);
        RecordBatch batch = Records.batches(b).get(0);
        assertThatThrownBy(batch::records).isInstanceOf(CorruptRecordException.class)
                .hasMessageContaining("record");
    }

    @Test
    void negativeRecordCountIsCorrupt() {
        ByteBuffer b = tiny(3);
        b.putInt(RecordBatch.RECORDS_COUNT_OFFSET, -2);
        recrc(b);
        assertThatThrownBy(() -> Records.batches(b)).isInstanceOf(CorruptRecordException.class)
                .hasMessageContaining("negative record count");
    }

    @Test
    void recordCountBelowTheRecordsPresentIsCorrupt() {
        ByteBuffer b = tiny(3);
        b.putInt(RecordBatch.RECORDS_COUNT_OFFSET, 2);
        recrc(b);
        assertThatThrownBy(() -> Records.records(b)).isInstanceOf(CorruptRecordException.class)
                .hasMessageContaining("left over after the declared 2 records");
    }

    @Test
    void forgedRecordAndFieldLengthsAreCorrupt() {
        // layout of tiny(1)'s record at 61: length, attributes, tsDelta, offsetDelta, keyLen, 'k', valueLen, 'v',
        // headerCount, headerKeyLen, 'h', headerValueLen, 'x'
        int rec = RecordBatch.HEADER_SIZE;
        int[][] forgeries = {
            {rec, zigzag(63)},      // record length beyond the section
            {rec, zigzag(3)},       // record length below the minimum
            {rec, zigzag(11)},      // record length shorter than its fields
            {rec + 4, zigzag(60)},  // key length beyond the record
            {rec + 4, zigzag(-7)},  // negative key length other than -1
            {rec + 6, zigzag(40)},  // value length beyond the record
            {rec + 8, zigzag(60)},  // header count beyond the bytes
            {rec + 8, zigzag(-1)},  // negative header count
            {rec + 9, zigzag(-1)},  // null header key
            {rec + 9, zigzag(50)},  // header key length beyond the record
            {rec + 11, zigzag(9)},  // header value length beyond the record
        };
        for (int[] f : forgeries) {
            ByteBuffer b = tiny(1);
            assertThat(b.get(rec)).isEqualTo((byte) zigzag(12));
            b.put(f[0], (byte) f[1]);
            recrc(b);
            assertThatThrownBy(() -> Records.records(b)).as("forged byte at %d", f[0])
                    .isInstanceOf(CorruptRecordException.class)
                    .hasMessageContaining("Corrupt record batch at offset 0: record 0");
        }
    }

    @Test
    void malformedVarintIsCorrupt() {
        ByteBuffer b = tiny(1);
        for (int i = 0; i < 6; i++) {
            b.put(RecordBatch.HEADER_SIZE + 1 + i, (byte) 0xff);
        }
        recrc(b);
        assertThatThrownBy(() -> Records.records(b)).isInstanceOf(CorruptRecordException.class);
    }

    @ParameterizedTest
    @EnumSource(value = Compression.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void garbageCompressedSectionIsCorrupt(Compression c) {
        ByteBuffer b = batch(c, 5, 20);
        Random rnd = new Random(9);
        for (int i = RecordBatch.HEADER_SIZE; i < b.limit(); i++) {
            b.put(i, (byte) rnd.nextInt());
        }
        recrc(b);
        assertThatThrownBy(() -> Records.records(b)).isInstanceOf(CorruptRecordException.class)
                .hasMessageContaining(c.configName());
    }

    @ParameterizedTest
    @EnumSource(value = Compression.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void truncatedCompressedSectionIsCorrupt(Compression c) {
        ByteBuffer full = batch(c, 6, 30);
        // the batch is cut inside its compressed section, with the length field and CRC fixed to match
        ByteBuffer b = ByteBuffer.wrap(RecordBytes.copy(full.slice(0, full.limit() - 9)));
        b.putInt(RecordBatch.LENGTH_OFFSET, b.limit() - RecordBatch.LOG_OVERHEAD);
        recrc(b);
        assertThatThrownBy(() -> Records.records(b)).isInstanceOf(CorruptRecordException.class);
    }

    @ParameterizedTest
    @EnumSource(value = Compression.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void decompressionBombIsStoppedAtTheLimit(Compression c) {
        byte[] zeros = new byte[8 * 1024 * 1024];
        ByteBuffer b = new RecordBatchBuilder(c).append(1L, null, zeros).build();
        assertThat(b.limit()).isLessThan(zeros.length / 20);
        int limit = 1024 * 1024;
        RecordBatch batch = new RecordBatchReader(b, limit).next();
        assertThatThrownBy(batch::records).isInstanceOf(CorruptRecordException.class)
                .hasMessageContaining("limit of " + limit);
        // within the limit it reads fine
        assertThat(new RecordBatchReader(b, 9 * 1024 * 1024).next().records().get(0).valueSize())
                .isEqualTo(zeros.length);
    }

    @Test
    void snappyBlockDeclaringAHugeLengthIsStoppedBeforeAllocating() {
        ByteBuffer b = new RecordBatchBuilder(Compression.SNAPPY).append(1L, null, new byte[100]).build();
        // the raw block after the 16-byte stream header and 4-byte chunk length starts with its uncompressed
        // length as a varint; forge it to ~2 GiB
        int varint = RecordBatch.HEADER_SIZE + 16 + 4;
        ByteBuffer forged = ByteBuffer.allocate(b.limit() + 4);
        forged.put(b.slice(0, varint));
        forged.put(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07});
        int oldVarintLen = 1; // 100 + record overhead < 128
        forged.put(b.slice(varint + oldVarintLen, b.limit() - varint - oldVarintLen));
        forged.flip();
        forged.putInt(RecordBatch.HEADER_SIZE + 16, forged.getInt(RecordBatch.HEADER_SIZE + 16) + 4);
        forged.putInt(RecordBatch.LENGTH_OFFSET, forged.limit() - RecordBatch.LOG_OVERHEAD);
        recrc(forged);
        assertThatThrownBy(() -> Records.records(forged)).isInstanceOf(CorruptRecordException.class);
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void randomForgeriesOnlyEverRaiseProtocolExceptions(Compression c) {
        ByteBuffer original = batch(c, 21, 8);
        Random rnd = new Random(31 + c.ordinal());
        int caught = 0;
        int iterations = Integer.getInteger("kwire.fuzz.iterations", 400);
        for (int i = 0; i < iterations; i++) {
            ByteBuffer b = ByteBuffer.wrap(RecordBytes.copy(original));
            int edits = 1 + rnd.nextInt(4);
            for (int e = 0; e < edits; e++) {
                int pos = rnd.nextInt(b.limit());
                b.put(pos, (byte) rnd.nextInt());
            }
            if (rnd.nextBoolean()) {
                b.putInt(RecordBatch.LENGTH_OFFSET, b.limit() - RecordBatch.LOG_OVERHEAD);
                b.put(RecordBatch.MAGIC_OFFSET, RecordBatch.MAGIC);
                recrc(b);
            }
            Throwable t = catchThrowable(() -> {
                for (RecordBatch batch : new RecordBatchReader(b, 4 * 1024 * 1024)) {
                    for (Record r : batch.records()) {
                        r.headers().forEach(Header::valueBytes);
                    }
                }
            });
            if (t != null) {
                assertThat(t).isInstanceOf(ProtocolException.class);
                caught++;
            }
        }
        assertThat(caught).isPositive();
    }

    @Test
    void emptyAndTinyBuffersHoldNoBatches() {
        assertThat(Records.batches(ByteBuffer.allocate(0))).isEmpty();
        assertThat(Records.batches(ByteBuffer.allocate(11))).isEmpty();
        assertThat(readAll(Records.empty())).isNull();
    }

    private static int zigzag(int v) {
        return (v << 1) ^ (v >> 31);
    }
}
