package io.kwire.spring.boot.test;

import static org.assertj.core.api.Assertions.assertThat;

import io.kwire.KwireClient;
import io.kwire.client.SecurityProtocol;
import io.kwire.protocol.message.MetadataRequest;
import io.kwire.protocol.message.MetadataResponse;
import io.kwire.testkit.KafkaCluster;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * Three brokers behind a SASL_PLAINTEXT listener: the client authenticates with the test kit's super user from the
 * annotation's connection details (no kwire.client.sasl.* property), sees every broker and a topic replicated on
 * all three.
 */
@Timeout(180)
@SpringBootTest(classes = TestApplication.class)
@EmbeddedKwireBroker(brokers = 3, listener = EmbeddedKwireBroker.Listener.SASL_PLAINTEXT, topics = "replicated",
        partitions = 3, brokerProperties = "log.segment.bytes=1048576")
class EmbeddedKwireBrokerSaslClusterTests {

    @Autowired
    KwireClient client;

    @Autowired
    EmbeddedBroker broker;

    @Test
    void theClientAuthenticatesAndSeesThreeBrokersAndATopicReplicatedOnAll() throws Exception {
        assertThat(client.config().securityProtocol()).isEqualTo(SecurityProtocol.SASL_PLAINTEXT);
        assertThat(client.config().saslMechanism()).contains("PLAIN");
        assertThat(client.config().saslPlainUsername()).contains(KafkaCluster.SASL_ADMIN);
        assertThat(client.awaitReady(Duration.ofSeconds(60))).as("client ready over SASL").isTrue();

        MetadataResponse metadata = client.send(new MetadataRequest().setTopics(null)).get(30, TimeUnit.SECONDS);
        assertThat(metadata.brokers()).hasSize(3);
        assertThat(metadata.topics()).filteredOn(t -> t.name().equals("replicated")).singleElement()
                .satisfies(t -> {
                    assertThat(t.partitions()).hasSize(3);
                    assertThat(t.partitions()).allSatisfy(p -> assertThat(p.replicaNodes()).hasSize(3));
                });
        assertThat(broker.brokerIds()).hasSize(3);
        assertThat(broker.bootstrapServerList()).hasSize(3);
    }
}
