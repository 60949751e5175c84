package io.kwire.sample;

import io.kwire.KwireClient;
import io.kwire.client.KafkaClientConfig;
import io.kwire.errors.KwireException;
import io.kwire.protocol.message.ProduceResponse;
import io.kwire.protocol.records.Compression;
import io.kwire.protocol.records.RecordBatchBuilder;
import io.kwire.sample.api.KafkaCalls;
import io.kwire.sample.api.KafkaRequests;
import io.kwire.sample.api.PartitionLeader;
import io.kwire.sample.api.PartitionLeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A producer outside the app: a kwire client of the test's own, with its own connections, producing straight to
 * the broker. Records it writes reach the page only through the broker, as any other producer's would.
 */
final class OtherProducer implements AutoCloseable {

    private final KwireClient client;
    private final KafkaCalls calls;

    OtherProducer(String bootstrapServers) {
        client = KwireClient.create(KafkaClientConfig.builder()
                .bootstrapServers(bootstrapServers)
                .clientId("kwire-sample-test-producer")
                .build());
        client.start();
        calls = new KafkaCalls(client);
    }

    /** Produces one record and returns its offset. */
    long produce(String topic, int partition, String key, String value) {
        PartitionLeader leader = new PartitionLeaders(calls).leaderOf(topic, partition);
        RecordBatchBuilder batch = new RecordBatchBuilder(Compression.NONE);
        batch.append(System.currentTimeMillis(), key.getBytes(StandardCharsets.UTF_8),
                value.getBytes(StandardCharsets.UTF_8));
        ProduceResponse response = calls.call(leader.leader(),
                KafkaRequests.produce(leader, batch, calls.brokerTimeouts()), "Produce");
        ProduceResponse.PartitionProduceResponse result = response.responses().get(0).partitionResponses().get(0);
        if (result.errorCode() != 0) {
            throw new KwireException("produce failed with error code " + result.errorCode());
        }
        return result.baseOffset();
    }

    @Override
    public void close() {
        client.close(Duration.ofSeconds(5));
    }
}
