package io.kwire.bench.codec;

import io.kwire.bench.Payloads;
import io.kwire.protocol.ByteReader;
import io.kwire.protocol.ByteWriter;
import io.kwire.protocol.message.ApiVersionsResponse;
import io.kwire.protocol.message.FetchResponse;
import io.kwire.protocol.message.MetadataRequest;
import io.kwire.protocol.message.MetadataResponse;
import io.kwire.protocol.message.ProduceRequest;
import io.kwire.protocol.message.RequestHeader;
import io.kwire.protocol.records.RecordBatchBuilder;
import io.kwire.protocol.records.RecordBatchReader;
import io.kwire.protocol.records.RecordCursor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.network.Send;
import org.apache.kafka.common.network.TransferableChannel;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.MemoryRecordsBuilder;
import org.apache.kafka.common.record.MutableRecordBatch;
import org.apache.kafka.common.record.Record;
import org.apache.kafka.common.record.TimestampType;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Codec cost, kwire against Apache kafka-clients 4.1.2 on identical bytes. Method names pair up as
 * {@code <op>_kwire} / {@code <op>_apache}; scripts/bench.sh turns the pairs into ratio tables. Run with
 * {@code -prof gc} for B/op.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class CodecBenchmark {

    private static final int RECORDS = 100;
    private static final int VALUE_SIZE = 100;

    ByteBuffer apiVersionsBytes;
    ByteBuffer metadataResponseBytes;
    ByteBuffer fetchResponseBytes;
    ByteBuffer batchBytes;
    byte[] value;

    MetadataRequestData apacheMetadataRequest;
    MetadataRequest kwireMetadataRequest;
    ProduceRequestData apacheProduce;
    ProduceRequest kwireProduce;
    org.apache.kafka.common.requests.MetadataRequest apacheMetadataRequestObject;
    org.apache.kafka.common.requests.ProduceRequest apacheProduceObject;
    org.apache.kafka.common.requests.RequestHeader apacheMetadataHeader;
    org.apache.kafka.common.requests.RequestHeader apacheProduceHeader;
    final RequestHeader kwireHeader = new RequestHeader();
    final io.kwire.protocol.SplicedFrame.Builder splices = new io.kwire.protocol.SplicedFrame.Builder();
    /** As KafkaClient's: one per client, with the same initial scratch capacity. */
    final ByteBuffer sendQueueBuffer = ByteBuffer.allocate(16 * 1024);
    final ByteReader kwireReader = new ByteReader(ByteBuffer.allocate(0));

    @Setup
    public void setup() {
        apiVersionsBytes = Payloads.bytes(Payloads.apiVersionsResponse(), Payloads.API_VERSIONS_VERSION);
        metadataResponseBytes = Payloads.bytes(Payloads.metadataResponse(100, 10), Payloads.METADATA_VERSION);
        batchBytes = Payloads.recordBatch(RECORDS, VALUE_SIZE);
        fetchResponseBytes = Payloads.bytes(Payloads.fetchResponse(5, 3, batchBytes), Payloads.FETCH_VERSION);
        value = Payloads.value(VALUE_SIZE);

        apacheMetadataRequest = Payloads.metadataRequest(10);
        ByteBuffer mr = Payloads.bytes(apacheMetadataRequest, Payloads.METADATA_VERSION);
        kwireMetadataRequest = new MetadataRequest();
        kwireMetadataRequest.read(new ByteReader(mr.duplicate()), Payloads.METADATA_VERSION);

        apacheProduce = Payloads.produceRequest(5, 3, batchBytes);
        ByteBuffer pr = Payloads.bytes(apacheProduce, Payloads.PRODUCE_VERSION);
        kwireProduce = new ProduceRequest();
        kwireProduce.read(new ByteReader(pr.duplicate()), Payloads.PRODUCE_VERSION);

        apacheMetadataRequestObject = new org.apache.kafka.common.requests.MetadataRequest.Builder(apacheMetadataRequest)
                .build(Payloads.METADATA_VERSION);
        apacheProduceObject = new org.apache.kafka.common.requests.ProduceRequest.Builder(Payloads.PRODUCE_VERSION,
                Payloads.PRODUCE_VERSION, apacheProduce).build(Payloads.PRODUCE_VERSION);
        apacheMetadataHeader = new org.apache.kafka.common.requests.RequestHeader(ApiKeys.METADATA,
                Payloads.METADATA_VERSION, "bench", 42);
        apacheProduceHeader = new org.apache.kafka.common.requests.RequestHeader(ApiKeys.PRODUCE,
                Payloads.PRODUCE_VERSION, "bench", 42);

        // Both encoders must write the same bytes, or the comparison means nothing.
        same("Metadata request", sent(metadataRequestEncode_apache()), metadataRequestEncode_kwire());
        same("Produce request", sent(produceRequestEncode_apache()), joined(produceRequestEncode_kwire()));
        same("record batch", recordBatchBuild_apache(), recordBatchBuild_kwire());
    }

    /** The bytes a Send would put on the wire. */
    static ByteBuffer sent(Send send) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TransferableChannel ch = new TransferableChannel() {
            @Override
            public boolean hasPendingWrites() {
                return false;
            }

            @Override
            public long transferFrom(FileChannel fileChannel, long position, long count) {
                throw new UnsupportedOperationException();
            }

            @Override
            public long write(ByteBuffer[] srcs, int offset, int length) {
                long n = 0;
                for (int i = offset; i < offset + length; i++) {
                    n += write(srcs[i]);
                }
                return n;
            }

            @Override
            public long write(ByteBuffer[] srcs) {
                return write(srcs, 0, srcs.length);
            }

            @Override
            public int write(ByteBuffer src) {
                int n = src.remaining();
                byte[] b = new byte[n];
                src.get(b);
                bytes.writeBytes(b);
                return n;
            }

            @Override
            public boolean isOpen() {
                return true;
            }

            @Override
            public void close() {
            }
        };
        try {
            while (!send.completed()) {
                send.writeTo(ch);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ByteBuffer.wrap(bytes.toByteArray());
    }

    /** The client's engine keeps one writer and points it at each frame, as here. */
    private final io.kwire.protocol.ByteWriter kwireWriter = new io.kwire.protocol.ByteWriter();

    /**
     * A request frame the way KafkaClient.encodeAndQueue makes one for a request without record batches: size
     * prefix, header, body, written once into the connection's send queue buffer, which is reused from request to
     * request (the connection copies it into its staging buffer at write time, where the JDK would otherwise copy
     * Apache's heap buffers itself).
     */
    private ByteBuffer kwireFrame(io.kwire.protocol.ApiMessage body, io.kwire.protocol.ApiKey key, short version) {
        short hv = key.requestHeaderVersion(version);
        kwireHeader.setRequestApiKey(key.id()).setRequestApiVersion(version).setCorrelationId(42).setClientId("bench");
        ByteBuffer out = sendQueueBuffer.clear();
        if (!io.kwire.internal.network.FrameCodec.tryEncode(kwireWriter, out, kwireHeader, hv, body, version)) {
            throw new IllegalStateException("the benchmark's frames fit the send queue's first 16 KiB");
        }
        return out.flip();
    }

    private static void same(String what, ByteBuffer a, ByteBuffer b) {
        if (!Arrays.equals(Payloads.array(a), Payloads.array(b))) {
            throw new IllegalStateException(what + ": kwire and Apache encodings differ");
        }
    }

    /** Facts about the payloads, printed by scripts/bench.sh next to the table. */
    public static String describe() {
        CodecBenchmark b = new CodecBenchmark();
        b.setup();
        return "ApiVersions response " + b.apiVersionsBytes.remaining() + " B; Metadata request (10 topics) "
                + b.metadataRequestEncode_kwire().remaining() + " B; Metadata response (100x10) "
                + b.metadataResponseBytes.remaining() + " B; Produce request (5x3) "
                + joined(b.produceRequestEncode_kwire()).remaining() + " B; Fetch response (5x3) "
                + b.fetchResponseBytes.remaining() + " B; record batch (100 x 100 B) " + b.batchBytes.remaining() + " B";
    }

    // ------------------------------------------------------------------ ApiVersions response decode
    // kwire: the generated static decode, which is what KafkaClient uses (ApiRequest.decodeResponse), through one
    // ByteReader reset for each frame, as KafkaClient's is. Both sides take a duplicate of the payload.

    @Benchmark
    public ApiVersionsResponse apiVersionsDecode_kwire() {
        return ApiVersionsResponse.decode(kwireReader.reset(apiVersionsBytes.duplicate()), Payloads.API_VERSIONS_VERSION);
    }

    @Benchmark
    public ApiVersionsResponseData apiVersionsDecode_apache() {
        return new ApiVersionsResponseData(new ByteBufferAccessor(apiVersionsBytes.duplicate()),
                Payloads.API_VERSIONS_VERSION);
    }

    // ------------------------------------------------------------------ Metadata request encode (10 topics)

    /** kwire: the frame KafkaClient queues (size, header, body in one heap buffer). */
    @Benchmark
    public ByteBuffer metadataRequestEncode_kwire() {
        return kwireFrame(kwireMetadataRequest, io.kwire.protocol.ApiKey.METADATA, Payloads.METADATA_VERSION);
    }

    /** Apache: what NetworkClient does per request, AbstractRequest.toSend(header). */
    @Benchmark
    public Send metadataRequestEncode_apache() {
        return apacheMetadataRequestObject.toSend(apacheMetadataHeader);
    }

    // ------------------------------------------------------------------ Metadata response decode (100 x 10)

    @Benchmark
    public MetadataResponse metadataResponseDecode_kwire() {
        return MetadataResponse.decode(kwireReader.reset(metadataResponseBytes.duplicate()), Payloads.METADATA_VERSION);
    }

    @Benchmark
    public MetadataResponseData metadataResponseDecode_apache() {
        return new MetadataResponseData(new ByteBufferAccessor(metadataResponseBytes.duplicate()),
                Payloads.METADATA_VERSION);
    }

    // ------------------------------------------------------------------ Produce request encode (5 x 3, 11 KB batches)

    @Benchmark
    public io.kwire.protocol.SplicedFrame produceRequestEncode_kwire() {
        return kwireSplicedFrame(kwireProduce, io.kwire.protocol.ApiKey.PRODUCE, Payloads.PRODUCE_VERSION);
    }

    /**
     * What KafkaClient does for a request with record batches: header and fields into one small buffer, each batch
     * of 4 KiB or more referenced in place (a SplicedFrame), as Apache's toSend does. The connection copies the
     * pieces into its staging buffer at write time, where the JDK would otherwise copy heap buffers itself.
     */
    private io.kwire.protocol.SplicedFrame kwireSplicedFrame(io.kwire.protocol.ApiMessage body,
                                                             io.kwire.protocol.ApiKey key, short version) {
        short hv = key.requestHeaderVersion(version);
        kwireHeader.setRequestApiKey(key.id()).setRequestApiVersion(version).setCorrelationId(42).setClientId("bench");
        int size = kwireHeader.size(hv) + body.size(version);
        int spliced = body.splicedSize(version, 4096);
        ByteBuffer head = ByteBuffer.allocate(4 + size - spliced);
        ByteWriter w = new ByteWriter(head, splices, 4096);
        w.writeInt(size);
        kwireHeader.write(w, hv);
        body.write(w, version);
        return splices.build(head, false);
    }

    private static ByteBuffer joined(io.kwire.protocol.SplicedFrame frame) {
        ByteBuffer all = ByteBuffer.allocate(frame.size());
        frame.copyTo(0, all);
        return all.flip();
    }

    /** Apache's send path: header and fields serialized, record batches referenced (zero-copy), not copied. */
    @Benchmark
    public Send produceRequestEncode_apache() {
        return apacheProduceObject.toSend(apacheProduceHeader);
    }

    /** For reference: Apache's generated-message path (MessageUtil style), which copies the records. */
    @Benchmark
    public ByteBuffer produceRequestEncodeCopy_apache() {
        ObjectSerializationCache cache = new ObjectSerializationCache();
        ByteBuffer buf = ByteBuffer.allocate(apacheProduce.size(cache, Payloads.PRODUCE_VERSION));
        apacheProduce.write(new ByteBufferAccessor(buf), cache, Payloads.PRODUCE_VERSION);
        return buf.flip();
    }

    // ------------------------------------------------------------------ Fetch response decode (5 x 3, ~166 KB)

    @Benchmark
    public FetchResponse fetchResponseDecode_kwire() {
        return FetchResponse.decode(kwireReader.reset(fetchResponseBytes.duplicate()), Payloads.FETCH_VERSION);
    }

    @Benchmark
    public FetchResponseData fetchResponseDecode_apache() {
        return new FetchResponseData(new ByteBufferAccessor(fetchResponseBytes.duplicate()), Payloads.FETCH_VERSION);
    }

    // ------------------------------------------------------------------ record batch: build 100 x 100 B

    @Benchmark
    public ByteBuffer recordBatchBuild_kwire() {
        RecordBatchBuilder b = new RecordBatchBuilder();
        for (int i = 0; i < RECORDS; i++) {
            b.append(Payloads.TIMESTAMP + i, (byte[]) null, value);
        }
        return b.build();
    }

    @Benchmark
    public ByteBuffer recordBatchBuild_apache() {
        MemoryRecordsBuilder b = MemoryRecords.builder(ByteBuffer.allocate(16 * 1024), Compression.NONE,
                TimestampType.CREATE_TIME, 0L);
        for (int i = 0; i < RECORDS; i++) {
            b.append(Payloads.TIMESTAMP + i, (byte[]) null, value);
        }
        return b.build().buffer();
    }

    // ------------------------------------------------------------------ record batch: read with CRC check

    /** kwire's allocation-free way to read a batch: a cursor, with a value view made per record as Apache does. */
    @Benchmark
    public void recordBatchRead_kwire(Blackhole bh) {
        for (io.kwire.protocol.records.RecordBatch batch : new RecordBatchReader(batchBytes.duplicate())) {
            RecordCursor c = batch.cursor();
            while (c.next()) {
                bh.consume(c.value());
            }
        }
    }

    /** For reference: iterating kwire's {@code Record} objects, the same shape as Apache's loop below. */
    @Benchmark
    public void recordBatchIterate_kwire(Blackhole bh) {
        for (io.kwire.protocol.records.RecordBatch batch : new RecordBatchReader(batchBytes.duplicate())) {
            for (io.kwire.protocol.records.Record r : batch) {
                bh.consume(r.value());
            }
        }
    }

    @Benchmark
    public void recordBatchRead_apache(Blackhole bh) {
        for (MutableRecordBatch batch : MemoryRecords.readableRecords(batchBytes.duplicate()).batches()) {
            batch.ensureValid();
            for (Record r : batch) {
                bh.consume(r.value());
            }
        }
    }
}
