package io.kwire.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.kwire.client.BrokerVersion;
import io.kwire.testkit.ExternalKafkaBroker;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Kafka 4.2, 4.3 and 4.4, newer than the in-JVM test brokers (which stay at the kafka-clients release Spring Boot
 * manages): each as a separate process from its Maven Central artifacts, in KRaft mode. Before kwire knew these
 * releases, a strict {@code checkVersion} refused them and a lenient one answered 4.1.
 */
@Timeout(240)
class NewestBrokerReleasesTest {

    @ParameterizedTest(name = "Kafka {0}")
    @CsvSource({"4.4.0, 4.4", "4.3.2, 4.3", "4.2.2, 4.2"})
    void checkVersionNamesTheReleaseAndProduceFetchAndTopicIdsWork(String release, String expected)
            throws Exception {
        try (ExternalKafkaBroker broker = ExternalKafkaBroker.start(release)) {
            ReleaseCheck.Outcome outcome = new ReleaseCheck(broker.bootstrapServers())
                    .run(BrokerVersion.parse(expected), "it-release-" + expected.replace('.', '-'));
            assertThat(outcome.produceFetch()).startsWith("yes");
            assertThat(outcome.topicIds()).startsWith("Fetch and Produce by id");
        }
    }
}
