package io.kwire.it;

import static io.kwire.it.Polling.pollUntil;
import static org.assertj.core.api.Assertions.assertThat;

import io.kwire.KafkaClient;
import io.kwire.client.BrokerVersion;
import io.kwire.client.ClientObserver;
import io.kwire.client.ClusterMetadata;
import io.kwire.client.KafkaClientConfig;
import io.kwire.protocol.ApiKey;
import io.kwire.protocol.Errors;
import io.kwire.protocol.message.ApiVersionsRequest;
import io.kwire.protocol.message.ApiVersionsResponse;
import io.kwire.testkit.ExternalKafkaBroker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Kafka 4.2, 4.3 and 4.4, newer than the in-JVM test brokers (which stay at the kafka-clients release Spring Boot
 * manages): each as a separate process from its Maven Central artifacts, in KRaft mode, started once for all tests
 * of the class. Before kwire knew these releases, a strict {@code checkVersion} refused them and a lenient one
 * answered 4.1.
 */
@Timeout(240)
class NewestBrokerReleasesTest {

    private static final Map<String, ExternalKafkaBroker> BROKERS = new ConcurrentHashMap<>();

    private static ExternalKafkaBroker broker(String release) {
        return BROKERS.computeIfAbsent(release, ExternalKafkaBroker::start);
    }

    @AfterAll
    static void stopBrokers() {
        BROKERS.values().forEach(ExternalKafkaBroker::close);
    }

    @ParameterizedTest(name = "Kafka {0}")
    @CsvSource({"4.4.0, 4.4", "4.3.2, 4.3", "4.2.2, 4.2"})
    void checkVersionNamesTheReleaseAndProduceFetchAndTopicIdsWork(String release, String expected)
            throws Exception {
        ReleaseCheck.Outcome outcome = new ReleaseCheck(broker(release).bootstrapServers())
                .run(BrokerVersion.parse(expected), "it-release-" + expected.replace('.', '-'));
        assertThat(outcome.produceFetch()).startsWith("yes");
        assertThat(outcome.topicIds()).startsWith("Fetch and Produce by id");
    }

    /**
     * KIP-1242 on a real 4.4 broker: the connection to a node known from metadata sends ApiVersions v5 with the
     * cluster id and node id, the broker takes them, and no Metadata round trip is needed to check the cluster. And
     * the broker's rules kwire follows: another cluster id is REBOOTSTRAP_REQUIRED, a node id without a cluster id
     * INVALID_REQUEST.
     */
    @Test
    void aKafka44BrokerTakesTheClusterIdAndNodeIdInApiVersionsV5() throws Exception {
        List<String> requests = new CopyOnWriteArrayList<>();
        ClientObserver observer = new ClientObserver() {
            @Override
            public void requestCompleted(ApiKey api, short version, int nodeId, long latencyNanos, int bytesSent,
                                         int bytesReceived, Outcome outcome) {
                requests.add(nodeId + " " + api.displayName() + " v" + version + " " + outcome);
            }
        };
        try (KafkaClient client = new KafkaClient(KafkaClientConfig.builder()
                .bootstrapServers(broker("4.4.0").bootstrapServers()).observer(observer).build())) {
            CompletableFuture<ClusterMetadata> known = client.requestMetadataUpdate();
            client.poll(Duration.ofSeconds(30), known);
            String clusterId = known.get().clusterId().orElseThrow();
            int node = known.get().brokers().get(0).id();
            requests.clear();

            pollUntil(client, Duration.ofSeconds(30), "node " + node + " ready", () -> client.ready(node, false));
            assertThat(requests).as("set-up of node " + node).containsExactly(node + " ApiVersions v5 SUCCESS");

            assertThat(apiVersions(client, node, new ApiVersionsRequest().setClusterId(clusterId).setNodeId(node)))
                    .isEqualTo(Errors.NONE.code());
            assertThat(apiVersions(client, node, new ApiVersionsRequest().setClusterId("AAAAAAAAAAAAAAAAAAAAAQ")
                    .setNodeId(node))).isEqualTo(Errors.REBOOTSTRAP_REQUIRED.code());
            assertThat(apiVersions(client, node, new ApiVersionsRequest().setClusterId(clusterId)
                    .setNodeId(node + 1))).isEqualTo(Errors.REBOOTSTRAP_REQUIRED.code());
            assertThat(Errors.forCode(apiVersions(client, node, new ApiVersionsRequest().setNodeId(node))).name())
                    .isEqualTo("INVALID_REQUEST");
        }
    }

    private static short apiVersions(KafkaClient client, int node, ApiVersionsRequest request) throws Exception {
        CompletableFuture<ApiVersionsResponse> f = client.send(node, request);
        client.poll(Duration.ofSeconds(10), f);
        return f.get().errorCode();
    }
}
