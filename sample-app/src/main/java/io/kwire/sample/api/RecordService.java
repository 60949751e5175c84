package io.kwire.sample.api;

import io.kwire.KwireClient;
import io.kwire.errors.KwireException;
import io.kwire.protocol.Errors;
import io.kwire.protocol.Errors.KafkaError;
import io.kwire.protocol.message.FetchResponse;
import io.kwire.protocol.message.ProduceResponse;
import io.kwire.protocol.records.Compression;
import io.kwire.protocol.records.Header;
import io.kwire.protocol.records.RecordBatchBuilder;
import io.kwire.sample.api.Views.ProducedView;
import io.kwire.sample.api.Views.RecordInput;
import io.kwire.sample.api.Views.RecordsView;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/**
 * Produces records to a partition's leader and reads them back with Fetch. Input shape (names, counts, offsets) is
 * checked by Bean Validation in {@link ApiController}; here only what the cluster decides. Any thread.
 */
@Service
public class RecordService {

    /** The most records one produce or read request may carry. */
    public static final int MAX_RECORDS_PER_REQUEST = 1000;

    private final KafkaCalls calls;
    private final PartitionLeaders leaders;

    public RecordService(KwireClient client) {
        this.calls = new KafkaCalls(client);
        this.leaders = new PartitionLeaders(calls);
    }

    /**
     * Errors a broker answers, before touching the log, when its view of the partition's leadership differs from the
     * metadata the request was built on (a topic created a moment ago, a leader that moved): safe to retry at the
     * leader a fresh lookup names, as a producer does, even for Produce.
     */
    private static final Set<String> STALE_LEADER = Set.of("NOT_LEADER_OR_FOLLOWER", "LEADER_NOT_AVAILABLE",
            "FENCED_LEADER_EPOCH", "UNKNOWN_LEADER_EPOCH");

    /** One record batch with all the records, produced with acks=-1 to the partition's leader. */
    public ProducedView produce(String topic, int partition, List<RecordInput> records) {
        return atLeader(topic, partition, leader -> produce(leader, records));
    }

    private ProducedView produce(PartitionLeader leader, List<RecordInput> records) {
        String topic = leader.topic();
        int partition = leader.partition();
        long now = System.currentTimeMillis();
        RecordBatchBuilder batch = new RecordBatchBuilder(Compression.NONE);
        for (RecordInput r : records) {
            List<Header> headers = new ArrayList<>();
            if (r.headers() != null) {
                r.headers().forEach((k, v) -> headers.add(v == null ? new Header(k, (ByteBuffer) null) : Header.of(k, v)));
            }
            batch.append(now, utf8(r.key()), utf8(r.value()), headers.toArray(new Header[0]));
        }
        ProduceResponse response = calls.call(leader.leader(),
                KafkaRequests.produce(leader, batch, calls.brokerTimeouts()), "Produce to broker " + leader.leader());
        ProduceResponse.PartitionProduceResponse result = response.responses().stream()
                .flatMap(t -> t.partitionResponses().stream())
                .filter(p -> p.index() == partition).findFirst()
                .orElseThrow(() -> new KwireException("Produce answer does not mention partition " + leader.name()));
        KafkaError error = Errors.forCode(result.errorCode());
        if (!error.isNone()) {
            String message = result.errorMessage() != null && !result.errorMessage().isBlank() ? result.errorMessage()
                    : error.description();
            throw ApiException.kafka(error, "Produce to " + leader.name() + " failed: " + message);
        }
        Long appendTime = result.logAppendTimeMs() >= 0 ? result.logAppendTimeMs() : null;
        return new ProducedView(topic, partition, result.baseOffset(), records.size(), appendTime);
    }

    /** Fetches from the leader, from {@code offset} on, without waiting, and decodes at most {@code maxRecords}. */
    public RecordsView fetch(String topic, int partition, long offset, int maxRecords) {
        return atLeader(topic, partition, leader -> fetch(leader, offset, maxRecords));
    }

    private RecordsView fetch(PartitionLeader leader, long offset, int maxRecords) {
        String topic = leader.topic();
        int partition = leader.partition();
        FetchResponse response = calls.call(leader.leader(), KafkaRequests.fetch(leader, offset, 0, 0),
                "Fetch from broker " + leader.leader());
        KafkaError topLevel = Errors.forCode(response.errorCode());
        if (!topLevel.isNone()) {
            throw ApiException.kafka(topLevel, "Fetch from " + leader.name() + " failed: " + topLevel.description());
        }
        FetchResponse.PartitionData data = FetchedRecords.partition(response, leader);
        KafkaError error = Errors.forCode(data.errorCode());
        if (error.name().equals("OFFSET_OUT_OF_RANGE")) {
            throw offsetOutOfRange(leader, offset, error);
        }
        if (!error.isNone()) {
            throw ApiException.kafka(error, "Fetch from " + leader.name() + " failed: " + error.description());
        }
        FetchedRecords page = FetchedRecords.decode(data.records(), offset, maxRecords);
        return new RecordsView(topic, partition, offset, page.nextOffset(), data.highWatermark(),
                data.logStartOffset(), page.records());
    }

    /**
     * Runs a request at the partition's leader, looking the leader up again and retrying (with the client's retry
     * back-off) while the broker answers that it is not the leader, within the client's request timeout.
     */
    private <T> T atLeader(String topic, int partition, Function<PartitionLeader, T> request) {
        long deadline = System.nanoTime() + calls.client().config().requestTimeout().toNanos();
        for (int failures = 1; ; failures++) {
            try {
                return request.apply(leaders.leaderOf(topic, partition));
            } catch (ApiException e) {
                boolean stale = e.kafkaError() != null && STALE_LEADER.contains(e.kafkaError().name());
                Duration pause = calls.brokerTimeouts().backoff(failures);
                if (!stale || System.nanoTime() + pause.toNanos() > deadline) {
                    throw e;
                }
                pauseBeforeRetry(pause, e);
            }
        }
    }

    private static void pauseBeforeRetry(Duration pause, ApiException cause) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw cause;
        }
    }

    /** 416 with the partition's actual range (asked with ListOffsets), so the caller can correct the offset. */
    private ApiException offsetOutOfRange(PartitionLeader leader, long offset, KafkaError error) {
        String range = "";
        try {
            long earliest = leaders.offset(leader, KafkaRequests.EARLIEST);
            long latest = leaders.offset(leader, KafkaRequests.LATEST);
            range = ": the partition holds offsets from " + earliest + " up to (not including) " + latest;
        } catch (RuntimeException e) {
            // the range is a courtesy; the error stands without it
        }
        return new ApiException(HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE, "Offset out of range",
                "Offset " + offset + " is out of range for " + leader.name() + range, error);
    }

    private static byte[] utf8(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }
}
