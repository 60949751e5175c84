package io.kwire.sample.api;

import io.kwire.errors.KwireException;
import io.kwire.protocol.message.FetchResponse;
import io.kwire.protocol.records.Record;
import io.kwire.protocol.records.RecordBatch;
import io.kwire.protocol.records.RecordBatchReader;
import io.kwire.sample.api.Views.HeaderView;
import io.kwire.sample.api.Views.RecordView;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The records of one partition in a Fetch answer, decoded from {@code offset} on, at most {@code maxRecords} of
 * them, and the offset to fetch next. Control batches (transaction markers) are skipped but advance the offset, as
 * a consumer's would; records before {@code offset} (a batch may start earlier) are skipped; records past
 * {@code maxRecords} are never decoded. Pure: any thread.
 *
 * @param records    the decoded records, by offset
 * @param nextOffset where to fetch next
 */
public record FetchedRecords(List<RecordView> records, long nextOffset) {

    /** The partition's data in a Fetch answer, or a {@link KwireException} when the broker left it out. */
    public static FetchResponse.PartitionData partition(FetchResponse response, PartitionLeader leader) {
        return response.responses().stream()
                .flatMap(t -> t.partitions().stream())
                .filter(p -> p.partitionIndex() == leader.partition()).findFirst()
                .orElseThrow(() -> new KwireException("Fetch answer does not mention partition " + leader.name()));
    }

    public static FetchedRecords decode(ByteBuffer bytes, long offset, int maxRecords) {
        List<RecordView> records = new ArrayList<>();
        long next = offset;
        if (bytes != null && bytes.hasRemaining()) {
            batches:
            for (RecordBatch batch : new RecordBatchReader(bytes)) {
                if (batch.isControlBatch()) {
                    next = Math.max(next, batch.nextOffset());
                    continue;
                }
                for (Record r : batch) {
                    if (r.offset() < offset) {
                        continue;
                    }
                    if (records.size() == maxRecords) {
                        break batches;
                    }
                    records.add(view(r, batch));
                    next = r.offset() + 1;
                }
                if (records.size() < maxRecords) {
                    next = Math.max(next, batch.nextOffset());
                }
            }
        }
        return new FetchedRecords(List.copyOf(records), next);
    }

    private static RecordView view(Record r, RecordBatch batch) {
        List<HeaderView> headers = r.headers().stream()
                .map(h -> new HeaderView(h.key(), text(h.valueBytes())))
                .toList();
        return new RecordView(r.offset(), r.timestamp(), batch.timestampType().name(),
                r.hasKey() ? text(r.keyBytes()) : null, r.hasValue() ? text(r.valueBytes()) : null, headers);
    }

    /** UTF-8 text; bytes that are not UTF-8 become U+FFFD. */
    private static String text(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }
}
