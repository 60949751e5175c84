package io.kwire.it;

import static io.kwire.it.Polling.body;
import static io.kwire.it.Polling.pollUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kwire.KafkaClient;
import io.kwire.client.ClusterMetadata;
import io.kwire.client.KafkaClientConfig;
import io.kwire.errors.ClusterIdMismatchException;
import io.kwire.errors.DisconnectedException;
import io.kwire.protocol.ApiKey;
import io.kwire.protocol.ByteReader;
import io.kwire.protocol.Errors;
import io.kwire.protocol.message.ApiVersionsRequest;
import io.kwire.protocol.message.ApiVersionsResponse;
import io.kwire.protocol.message.CreateTopicsResponse;
import io.kwire.protocol.message.MetadataResponse;
import io.kwire.testkit.FakeBroker;
import io.kwire.testkit.ReceivedRequest;
import io.kwire.testkit.Reply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Cluster identity through ApiVersions v5 (KIP-1242), against brokers scripted as Kafka 4.4 answers: the client
 * sends the cluster id and node id once both are known, a broker that takes them needs no further check, and one
 * that refuses them (REBOOTSTRAP_REQUIRED) is asked for its cluster id to say why. The real-broker counterparts are
 * in {@link ClusterIdentityTest}.
 */
class ClusterIdentityFakeBrokerTest {

    private final List<FakeBroker> brokers = new ArrayList<>();

    @AfterEach
    void close() {
        brokers.forEach(FakeBroker::close);
    }

    /** A broker of {@code clusterId} whose node id is 1 and whose metadata names node 1 at {@code node1}. */
    private FakeBroker broker(String clusterId, FakeBroker node1) {
        FakeBroker broker = FakeBroker.start();
        brokers.add(broker);
        broker.handle(ApiKey.API_VERSIONS.id(), r -> {
            ApiVersionsRequest request = new ApiVersionsRequest();
            request.read(new ByteReader(r.bodyBuffer()), r.apiVersion());
            boolean wrong = request.clusterId() != null
                    && (!request.clusterId().equals(clusterId) || request.nodeId() != 1);
            return Reply.respond(body(new ApiVersionsResponse()
                    .setErrorCode(wrong ? Errors.REBOOTSTRAP_REQUIRED.code() : Errors.NONE.code())
                    .setApiKeys(List.of(range(ApiKey.API_VERSIONS, 0, 5), range(ApiKey.METADATA, 0, 13),
                            range(ApiKey.CREATE_TOPICS, 2, 7))), r.apiVersion()));
        });
        broker.handle(ApiKey.METADATA.id(), r -> {
            FakeBroker target = node1 == null ? broker : node1;
            return Reply.respond(body(new MetadataResponse().setClusterId(clusterId).setControllerId(1)
                    .setBrokers(List.of(new MetadataResponse.MetadataResponseBroker().setNodeId(1)
                            .setHost("127.0.0.1").setPort(target.port()))), r.apiVersion()));
        });
        broker.handle(ApiKey.CREATE_TOPICS.id(), r -> Reply.respond(body(new CreateTopicsResponse(),
                r.apiVersion())));
        return broker;
    }

    private static KafkaClient client(FakeBroker bootstrap) {
        return new KafkaClient(KafkaClientConfig.builder().bootstrapServers(bootstrap.bootstrapServers()).build());
    }

    private static ApiVersionsRequest apiVersions(ReceivedRequest r) {
        ApiVersionsRequest request = new ApiVersionsRequest();
        request.read(new ByteReader(r.bodyBuffer()), r.apiVersion());
        return request;
    }

    @Test
    void aBrokerKnownFromMetadataGetsTheClusterIdAndNodeIdAndNeedsNoFurtherCheck() throws Exception {
        FakeBroker broker = broker("cluster-A", null);
        try (KafkaClient client = client(broker)) {
            CompletableFuture<ClusterMetadata> known = client.requestMetadataUpdate();
            client.poll(Duration.ofSeconds(10), known);
            assertThat(known.get().clusterId()).contains("cluster-A");
            int metadataBefore = broker.requests(ApiKey.METADATA.id()).size();

            pollUntil(client, Duration.ofSeconds(10), "node 1 ready", () -> client.ready(1, false));

            List<ReceivedRequest> handshakes = broker.requests(ApiKey.API_VERSIONS.id());
            ApiVersionsRequest first = apiVersions(handshakes.get(0));
            ApiVersionsRequest last = apiVersions(handshakes.get(handshakes.size() - 1));
            assertThat(first.clusterId()).as("bootstrap: no node id yet, so neither id").isNull();
            assertThat(first.nodeId()).isEqualTo(-1);
            assertThat(handshakes.get(handshakes.size() - 1).apiVersion()).isEqualTo((short) 5);
            assertThat(last.clusterId()).isEqualTo("cluster-A");
            assertThat(last.nodeId()).isEqualTo(1);
            assertThat(broker.requests(ApiKey.METADATA.id())).as("no Metadata round trip to check the id")
                    .hasSize(metadataBefore);
        }
    }

    @Test
    void aBrokerOfAnotherClusterAtAKnownNodesAddressIsRefusedNamingBothIds() throws Exception {
        FakeBroker other = broker("cluster-B", null);
        FakeBroker ours = broker("cluster-A", other); // its metadata says node 1 is at the other cluster's address
        try (KafkaClient client = client(ours)) {
            client.poll(Duration.ofSeconds(10), client.requestMetadataUpdate());

            // KafkaClient.send wants a ready node; checkVersion waits for one and throws why it cannot be had.
            assertThatThrownBy(() -> client.checkVersion(1, Duration.ofSeconds(10), false))
                    .isInstanceOfSatisfying(ClusterIdMismatchException.class, e -> {
                        assertThat(e.expectedClusterId()).isEqualTo("cluster-A");
                        assertThat(e.reportedClusterId()).isEqualTo("cluster-B");
                        assertThat(e.address()).isEqualTo("127.0.0.1:" + other.port());
                        assertThat(e.isRetriable()).isFalse();
                    })
                    .hasMessageContaining("cluster-A").hasMessageContaining("cluster-B")
                    .hasMessageContaining("127.0.0.1:" + other.port());
            List<ReceivedRequest> got = other.requests();
            assertThat(got).extracting(ReceivedRequest::apiKey).as("refused ids, asked again, cluster id asked")
                    .containsExactly(ApiKey.API_VERSIONS.id(), ApiKey.API_VERSIONS.id(), ApiKey.METADATA.id());
            assertThat(apiVersions(got.get(0)).clusterId()).isEqualTo("cluster-A");
            assertThat(apiVersions(got.get(1)).clusterId()).isNull();
            assertThat(other.requests(ApiKey.CREATE_TOPICS.id())).as("never used for requests").isEmpty();
        }
    }

    @Test
    void aBrokerOfOurClusterThatIsNotTheNodeItsAddressSaysFailsAsStaleMetadata() throws Exception {
        FakeBroker sibling = broker("cluster-A", null);
        // Its node 1 is at the sibling's address, but the sibling refuses to be node 1 when asked with another id:
        // script that by answering REBOOTSTRAP_REQUIRED to every request carrying ids.
        sibling.handle(ApiKey.API_VERSIONS.id(), r -> Reply.respond(body(new ApiVersionsResponse()
                .setErrorCode(apiVersions(r).clusterId() != null ? Errors.REBOOTSTRAP_REQUIRED.code()
                        : Errors.NONE.code())
                .setApiKeys(List.of(range(ApiKey.API_VERSIONS, 0, 5), range(ApiKey.METADATA, 0, 13),
                        range(ApiKey.CREATE_TOPICS, 2, 7))), r.apiVersion())));
        FakeBroker ours = broker("cluster-A", sibling);
        try (KafkaClient client = client(ours)) {
            client.poll(Duration.ofSeconds(10), client.requestMetadataUpdate());

            assertThatThrownBy(() -> client.checkVersion(1, Duration.ofSeconds(10), false))
                    .isInstanceOf(DisconnectedException.class).hasMessageContaining("is not node 1")
                    .hasMessageContaining("stale");
            assertThat(sibling.requests(ApiKey.CREATE_TOPICS.id())).isEmpty();
        }
    }

    private static ApiVersionsResponse.ApiVersion range(ApiKey key, int min, int max) {
        return new ApiVersionsResponse.ApiVersion().setApiKey(key.id()).setMinVersion((short) min)
                .setMaxVersion((short) max);
    }
}
