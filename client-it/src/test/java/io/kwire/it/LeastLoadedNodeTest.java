package io.kwire.it;

import static io.kwire.it.FakeBrokerKafkaClientTest.body;
import static io.kwire.it.Polling.pollUntil;
import static org.assertj.core.api.Assertions.assertThat;

import io.kwire.KafkaClient;
import io.kwire.client.KafkaClientConfig;
import io.kwire.protocol.ApiKey;
import io.kwire.protocol.message.ApiVersionsResponse;
import io.kwire.protocol.message.DescribeClusterRequest;
import io.kwire.protocol.message.MetadataResponse;
import io.kwire.testkit.FakeBroker;
import io.kwire.testkit.Reply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The least-loaded choice over three fake brokers: idle ready first, then fewest in flight, never one in back-off. */
class LeastLoadedNodeTest {

    @Test
    void prefersAnIdleReadyNodeThenTheFewestInFlightAndNeverANodeInBackoff() throws Exception {
        try (FakeBroker b1 = FakeBroker.start(); FakeBroker b2 = FakeBroker.start(); FakeBroker b3 = FakeBroker.start()) {
            MetadataResponse metadata = new MetadataResponse().setClusterId("c").setControllerId(1);
            metadata.setBrokers(new ArrayList<>(List.of(broker(1, b1), broker(2, b2), broker(3, b3))));
            for (FakeBroker b : List.of(b1, b2, b3)) {
                b.handle(ApiKey.API_VERSIONS.id(), r -> Reply.respond(body(apiVersions(), r.apiVersion())));
                b.handle(ApiKey.METADATA.id(), r -> Reply.respond(body(metadata, r.apiVersion())));
                // DescribeCluster never gets an answer: it keeps requests in flight for as long as the test needs.
                b.handle(ApiKey.DESCRIBE_CLUSTER.id(), r -> Reply.stall());
            }
            b3.acceptConnections(false);
            try (KafkaClient client = new KafkaClient(KafkaClientConfig.builder().bootstrapServers(b1.bootstrapServers())
                    .maxInFlightRequestsPerConnection(2).requestTimeout(Duration.ofSeconds(30))
                    .reconnectBackoff(Duration.ofSeconds(10)).reconnectBackoffMax(Duration.ofSeconds(10)).build())) {
                pollUntil(client, Duration.ofSeconds(10), "metadata", () -> client.cluster().brokers().size() == 3);
                client.maybeConnect(3);
                pollUntil(client, Duration.ofSeconds(10), "node 3 refused", () -> client.isDisconnected(3)
                        && client.connectionDelay(3) > 0);
                pollUntil(client, Duration.ofSeconds(10), "nodes 1 and 2 ready and idle",
                        () -> client.ready(1, false) & client.ready(2, false) && client.inFlightRequestCount() == 0);

                client.send(1, new DescribeClusterRequest());
                assertThat(client.leastLoadedNode()).isEqualTo(OptionalInt.of(2)); // idle ready node
                client.send(2, new DescribeClusterRequest());
                client.send(2, new DescribeClusterRequest());
                assertThat(client.leastLoadedNode()).isEqualTo(OptionalInt.of(1)); // 1 in flight beats 2 (full)
                client.send(1, new DescribeClusterRequest());
                assertThat(client.leastLoadedNode()).as("every ready node is full and node 3 backs off").isEmpty();
            }
        }
    }

    static MetadataResponse.MetadataResponseBroker broker(int id, FakeBroker b) {
        return new MetadataResponse.MetadataResponseBroker().setNodeId(id).setHost("127.0.0.1").setPort(b.port());
    }

    /** ApiVersions, Metadata and DescribeCluster (which fake-broker tests use to hold a request in flight). */
    static ApiVersionsResponse apiVersions() {
        ApiVersionsResponse r = new ApiVersionsResponse();
        r.setApiKeys(new ArrayList<>(List.of(
                new ApiVersionsResponse.ApiVersion().setApiKey(ApiKey.API_VERSIONS.id()).setMinVersion((short) 0)
                        .setMaxVersion(ApiKey.API_VERSIONS.highestSupportedVersion()),
                new ApiVersionsResponse.ApiVersion().setApiKey(ApiKey.METADATA.id()).setMinVersion((short) 0)
                        .setMaxVersion((short) 12),
                new ApiVersionsResponse.ApiVersion().setApiKey(ApiKey.DESCRIBE_CLUSTER.id()).setMinVersion((short) 0)
                        .setMaxVersion((short) 1))));
        return r;
    }
}
