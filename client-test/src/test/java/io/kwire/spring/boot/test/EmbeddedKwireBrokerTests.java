package io.kwire.spring.boot.test;

import static org.assertj.core.api.Assertions.assertThat;

import io.kwire.KwireClient;
import io.kwire.client.SecurityProtocol;
import io.kwire.protocol.message.MetadataRequest;
import io.kwire.protocol.message.MetadataResponse;
import io.kwire.spring.boot.autoconfigure.KwireClientConnectionDetails;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;

/**
 * What a user writes: {@code @SpringBootTest} and {@code @EmbeddedKwireBroker}, and the auto-configured client talks
 * to a real broker with the topics asked for, with no kwire property set, and is UP in health.
 */
@Timeout(120)
@SpringBootTest(classes = TestApplication.class,
        // what the annotation replaces: a cluster that does not exist
        properties = "kwire.client.bootstrap-servers=nowhere.invalid:9092")
@EmbeddedKwireBroker(topics = {"orders", "payments"}, partitions = 2)
class EmbeddedKwireBrokerTests {

    @Autowired
    KwireClient client;

    @Autowired
    EmbeddedBroker broker;

    @Autowired
    ApplicationContext context;

    @Value("${" + EmbeddedKwireBroker.BOOTSTRAP_SERVERS_PROPERTY + "}")
    String bootstrapProperty;

    @Test
    void theClientTalksToTheEmbeddedBrokerAndSeesTheTopicsTheAnnotationNames() throws Exception {
        assertThat(client.awaitReady(Duration.ofSeconds(30))).as("client ready").isTrue();
        MetadataResponse metadata = client.send(new MetadataRequest().setTopics(null)).get(30, TimeUnit.SECONDS);

        assertThat(metadata.brokers()).singleElement()
                .satisfies(b -> assertThat("localhost:" + b.port()).isEqualTo(broker.bootstrapServers()));
        assertThat(metadata.topics()).extracting(MetadataResponse.MetadataResponseTopic::name)
                .contains("orders", "payments");
        assertThat(metadata.topics()).filteredOn(t -> t.name().equals("orders")).singleElement()
                .satisfies(t -> assertThat(t.partitions()).hasSize(2));
    }

    @Test
    void theBrokersConnectionDetailsReplaceTheApplicationsProperties() {
        KwireClientConnectionDetails details = context.getBean(KwireClientConnectionDetails.class);
        assertThat(details.getBootstrapServers()).isEqualTo(List.of(broker.bootstrapServers()));
        assertThat(details.getSecurityProtocol()).isEqualTo(SecurityProtocol.PLAINTEXT);
        assertThat(details.getSaslCredentials()).isNull();
        assertThat(client.config().bootstrapServers()).containsExactly(broker.bootstrapServers());
        assertThat(bootstrapProperty).isEqualTo(broker.bootstrapServers());
        assertThat(context.getBeansOfType(EmbeddedBroker.class)).containsOnlyKeys(EmbeddedBroker.BEAN_NAME);
        // spring-boot-kafka is on this module's class path: Boot's details name the same broker, for spring-kafka
        KafkaConnectionDetails boot = context.getBean(KafkaConnectionDetails.class);
        assertThat(boot.getBootstrapServers()).isEqualTo(List.of(broker.bootstrapServers()));
        assertThat(boot.getSecurityProtocol()).isEqualTo("PLAINTEXT");
    }

    @Test
    void healthIsUpWithTheBrokersClusterId() throws Exception {
        HealthIndicator kwire = context.getBean("kwireHealthContributor", HealthIndicator.class);
        Awaitility.await("health UP").atMost(Duration.ofSeconds(30))
                .until(() -> kwire.health().getStatus().equals(Status.UP));
        assertThat(kwire.health().getDetails()).containsEntry("brokers", 1);
    }
}
