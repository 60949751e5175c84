package io.kwire.it;

import static io.kwire.it.Polling.pollUntil;
import static org.assertj.core.api.Assertions.assertThat;

import io.kwire.KafkaClient;
import io.kwire.client.BrokerVersion;
import io.kwire.client.KafkaClientConfig;
import io.kwire.protocol.ApiKey;
import io.kwire.protocol.message.MetadataRequest;
import io.kwire.protocol.message.MetadataResponse;
import io.kwire.testkit.ExternalKafkaBroker;
import io.kwire.testkit.KafkaCluster;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * checkVersion and version negotiation against real brokers of older Kafka releases, each started as a separate
 * process from its Maven Central artifacts: one release of each line from 0.10 to 3.x (ZooKeeper mode before 3.3,
 * with a ZooKeeper process of its own), and the in-JVM 4.1 broker of the test kit. Each check is
 * {@link ReleaseCheck}: strict checkVersion, metadata, produce and fetch (not on 0.10, which predates the record
 * format kwire writes), topic-id requests both ways. The longer matrix is {@code scripts/compat.sh}.
 */
@Timeout(240)
class OlderBrokerReleasesTest {

    @ParameterizedTest(name = "Kafka {0}")
    @CsvSource({"3.3.2, 3.3"})
    void checkVersionInfersTheReleaseAndRequestsUseItsVersions(String release, String expected) throws Exception {
        try (ExternalKafkaBroker broker = ExternalKafkaBroker.start(release);
             KafkaClient client = new KafkaClient(KafkaClientConfig.builder()
                     .bootstrapServers(broker.bootstrapServers()).build())) {
            assertThat(client.checkVersion(null, Duration.ofSeconds(30), false)).isEqualTo(BrokerVersion.parse(expected));
            pollUntil(client, Duration.ofSeconds(30), "metadata", () -> client.cluster().lastUpdate().isPresent());
            int node = client.cluster().brokers().get(0).id();
            pollUntil(client, Duration.ofSeconds(30), "node ready", () -> client.ready(node, false));
            short brokerMax = client.getApiVersions(node).get(ApiKey.METADATA).max();
            assertThat(brokerMax).isLessThan(ApiKey.METADATA.highestSupportedVersion());
            CompletableFuture<MetadataResponse> f = client.send(node, new MetadataRequest().setTopics(List.of()));
            List<io.kwire.client.ClientResponse> done = client.poll(Duration.ofSeconds(10), f);
            MetadataResponse response = f.get();
            assertThat(response.brokers()).hasSize(1);
            assertThat(done).filteredOn(r -> r.response() == response).singleElement()
                    .satisfies(r -> assertThat(r.version()).isEqualTo(brokerMax));
        }
    }

    @ParameterizedTest(name = "Kafka {0}")
    @CsvSource({"0.10.2.2, 0.10.2", "0.11.0.3, 0.11.0", "1.1.1, 1.1", "2.8.2, 2.8", "3.9.1, 3.9"})
    void everyReleaseLineIsNamedExactlyAndServesMetadataProduceAndFetch(String release, String expected)
            throws Exception {
        try (ExternalKafkaBroker broker = ExternalKafkaBroker.start(release)) {
            ReleaseCheck.Outcome outcome = new ReleaseCheck(broker.bootstrapServers())
                    .run(BrokerVersion.parse(expected), "it-release-" + expected.replace('.', '-'));
            if (BrokerVersion.parse(expected).compareTo(BrokerVersion.V0_11_0) < 0) {
                assertThat(outcome.produceFetch()).startsWith("no:");
            } else {
                assertThat(outcome.produceFetch()).startsWith("yes");
            }
        }
    }

    @org.junit.jupiter.api.Test
    void theInJvmBrokerOfTheTestKitIsKafka41() throws Exception {
        ReleaseCheck.Outcome outcome = new ReleaseCheck(KafkaCluster.shared().bootstrapServers())
                .run(BrokerVersion.V4_1, "it-release-4-1");
        assertThat(outcome.topicIds()).startsWith("Fetch and Produce by id");
    }
}
