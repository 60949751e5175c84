package io.kwire.protocol.records;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.CompressionType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.TimestampType;

/** kafka-clients as the reference: builds batches with MemoryRecordsBuilder and reads them back. */
final class KafkaOracle {

    /** Batch fields shared by the kwire and the Kafka build of one test case. */
    record BatchSpec(io.kwire.protocol.records.Compression compression, long baseOffset, int partitionLeaderEpoch,
            long producerId, short producerEpoch, int baseSequence, boolean transactional,
            long logAppendTime /* -1: CREATE_TIME */) {

        static BatchSpec simple(io.kwire.protocol.records.Compression c) {
            return new BatchSpec(c, 0L, -1, -1L, (short) -1, -1, false, -1L);
        }

        RecordBatchBuilder kwireBuilder() {
            RecordBatchBuilder b = new RecordBatchBuilder(compression).baseOffset(baseOffset)
                    .partitionLeaderEpoch(partitionLeaderEpoch)
                    .producerState(producerId, producerEpoch, baseSequence)
                    .transactional(transactional);
            if (logAppendTime >= 0) {
                b.logAppendTime(logAppendTime);
            }
            return b;
        }
    }

    /** A record as read back, in plain values for comparison. */
    record Read(long offset, long timestamp, ByteBuffer key, ByteBuffer value, List<String> headerKeys,
            List<ByteBuffer> headerValues) {
    }

    private KafkaOracle() {
    }

    static ByteBuffer kafkaBuild(BatchSpec spec, List<RandomRecords.Rec> recs) {
        Compression compression = Compression.of(CompressionType.forId(spec.compression().id())).build();
        TimestampType tt = spec.logAppendTime() >= 0 ? TimestampType.LOG_APPEND_TIME : TimestampType.CREATE_TIME;
        MemoryRecordsBuilder b = MemoryRecords.builder(ByteBuffer.allocate(1024), RecordBatch.MAGIC_VALUE_V2,
                compression, tt, spec.baseOffset(), spec.logAppendTime(), spec.producerId(), spec.producerEpoch(),
                spec.baseSequence(), spec.transactional(), false, spec.partitionLeaderEpoch());
        for (RandomRecords.Rec r : recs) {
            b.append(r.timestamp(), RandomRecords.wrap(r.key()), RandomRecords.wrap(r.value()), r.kafkaHeaders());
        }
        return b.build().buffer();
    }

    static ByteBuffer kwireBuild(BatchSpec spec, List<RandomRecords.Rec> recs) {
        return kwireBuilder(spec, recs).build();
    }

    /** kwire's builder for {@code spec} with {@code recs} appended, not yet built. */
    static RecordBatchBuilder kwireBuilder(BatchSpec spec, List<RandomRecords.Rec> recs) {
        RecordBatchBuilder b = spec.kwireBuilder();
        for (RandomRecords.Rec r : recs) {
            b.append(r.timestamp(), r.key(), r.value(), r.kwireHeaders());
        }
        return b;
    }

    /** Reads every record with kafka-clients, validating every batch's CRC first. */
    static List<Read> kafkaRead(ByteBuffer records) {
        List<Read> out = new ArrayList<>();
        for (org.apache.kafka.common.record.internal.MutableRecordBatch batch :
                MemoryRecords.readableRecords(records.duplicate()).batches()) {
            batch.ensureValid();
            for (org.apache.kafka.common.record.internal.Record r : batch) {
                List<String> keys = new ArrayList<>();
                List<ByteBuffer> values = new ArrayList<>();
                for (org.apache.kafka.common.header.Header h : r.headers()) {
                    keys.add(h.key());
                    values.add(h.value() == null ? null : ByteBuffer.wrap(h.value()));
                }
                out.add(new Read(r.offset(), r.timestamp(), r.key(), r.value(), keys, values));
            }
        }
        return out;
    }

    static List<Read> kwireRead(ByteBuffer records) {
        List<Read> out = new ArrayList<>();
        for (io.kwire.protocol.records.Record r : Records.records(records)) {
            List<String> keys = new ArrayList<>();
            List<ByteBuffer> values = new ArrayList<>();
            for (Header h : r.headers()) {
                keys.add(h.key());
                values.add(h.value());
            }
            out.add(new Read(r.offset(), r.timestamp(), r.key(), r.value(), keys, values));
        }
        return out;
    }
}
