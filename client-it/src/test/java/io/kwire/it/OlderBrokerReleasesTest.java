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
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * checkVersion and version negotiation against real brokers of older Kafka releases, each started as a separate
 * process from its Maven Central artifacts.
 */
@Timeout(240)
class OlderBrokerReleasesTest {

    @ParameterizedTest(name = "Kafka {0}")
    @CsvSource({"3.9.1, 3.9", "3.3.2, 3.3"})
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
}
