package io.kwire.it;

import static io.kwire.it.Polling.body;
import static io.kwire.it.Polling.pollUntil;
import static org.assertj.core.api.Assertions.assertThat;

import io.kwire.KafkaClient;
import io.kwire.client.KafkaClientConfig;
import io.kwire.protocol.ApiKey;
import io.kwire.protocol.message.ApiVersionsResponse;
import io.kwire.protocol.message.FetchRequest;
import io.kwire.protocol.message.FetchResponse;
import io.kwire.protocol.message.MetadataResponse;
import io.kwire.testkit.FakeBroker;
import io.kwire.testkit.Reply;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The connections of a client share its read buffers: a connection gives its buffer back once a read ends between
 * frames, and the next connection to read fills the same bytes. A response that keeps slices of its frame (a
 * Fetch's records) must not see them change when another connection reads after it.
 */
class SharedReadBufferTest {

    private static final int RECORDS = 3_000;

    @Test
    void aFetchResponseKeepsItsRecordsAfterAnotherConnectionReadsIntoTheSameBuffer() throws Exception {
        try (FakeBroker b1 = FakeBroker.start(); FakeBroker b2 = FakeBroker.start()) {
            MetadataResponse metadata = new MetadataResponse().setClusterId("c").setControllerId(1);
            metadata.setBrokers(new ArrayList<>(List.of(LeastLoadedNodeTest.broker(1, b1), LeastLoadedNodeTest.broker(2, b2))));
            byte fill = 0x11;
            for (FakeBroker b : List.of(b1, b2)) {
                b.handle(ApiKey.API_VERSIONS.id(), r -> Reply.respond(body(apiVersions(), r.apiVersion())));
                b.handle(ApiKey.METADATA.id(), r -> Reply.respond(body(metadata, r.apiVersion())));
                byte[] records = new byte[RECORDS];
                Arrays.fill(records, fill);
                b.handle(ApiKey.FETCH.id(), r -> Reply.respond(body(fetchResponse(records), r.apiVersion())));
                fill = 0x22;
            }
            try (KafkaClient client = new KafkaClient(KafkaClientConfig.builder().bootstrapServers(b1.bootstrapServers())
                    .build())) {
                pollUntil(client, Duration.ofSeconds(10), "metadata", () -> client.cluster().brokers().size() == 2);
                pollUntil(client, Duration.ofSeconds(10), "nodes 1 and 2 ready",
                        () -> client.ready(1, false) & client.ready(2, false) && client.inFlightRequestCount() == 0);

                FetchResponse first = fetch(client, 1);
                ByteBuffer kept = first.responses().get(0).partitions().get(0).records();
                assertThat(bytes(kept)).containsOnly((byte) 0x11).hasSize(RECORDS);

                for (int i = 0; i < 3; i++) { // node 2's frames land where node 1's was, in the buffer it gave back
                    FetchResponse second = fetch(client, 2);
                    assertThat(bytes(second.responses().get(0).partitions().get(0).records()))
                            .containsOnly((byte) 0x22);
                }
                assertThat(bytes(kept)).as("node 1's records after node 2's reads").containsOnly((byte) 0x11)
                        .hasSize(RECORDS);
            }
        }
    }

    private static FetchResponse fetch(KafkaClient client, int node) throws Exception {
        CompletableFuture<FetchResponse> f = client.send(node, new FetchRequest().setMaxWaitMs(0).setMinBytes(1)
                .setMaxBytes(1 << 20).setTopics(new ArrayList<>(List.of(new FetchRequest.FetchTopic().setTopic("t")
                        .setPartitions(new ArrayList<>(List.of(new FetchRequest.FetchPartition().setPartition(0)
                                .setPartitionMaxBytes(1 << 20))))))));
        client.poll(Duration.ofSeconds(10), f);
        assertThat(f).isDone();
        return f.get();
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    private static FetchResponse fetchResponse(byte[] records) {
        return new FetchResponse().setResponses(new ArrayList<>(List.of(new FetchResponse.FetchableTopicResponse()
                .setTopic("t").setPartitions(new ArrayList<>(List.of(new FetchResponse.PartitionData()
                        .setPartitionIndex(0).setHighWatermark(RECORDS).setRecords(ByteBuffer.wrap(records))))))));
    }

    private static ApiVersionsResponse apiVersions() {
        ApiVersionsResponse r = new ApiVersionsResponse();
        r.setApiKeys(new ArrayList<>(List.of(
                new ApiVersionsResponse.ApiVersion().setApiKey(ApiKey.API_VERSIONS.id()).setMinVersion((short) 0)
                        .setMaxVersion(ApiKey.API_VERSIONS.highestSupportedVersion()),
                new ApiVersionsResponse.ApiVersion().setApiKey(ApiKey.METADATA.id()).setMinVersion((short) 0)
                        .setMaxVersion((short) 12),
                new ApiVersionsResponse.ApiVersion().setApiKey(ApiKey.FETCH.id()).setMinVersion((short) 4)
                        .setMaxVersion((short) 12))));
        return r;
    }
}
