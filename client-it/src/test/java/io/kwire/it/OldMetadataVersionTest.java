package io.kwire.it;

import static io.kwire.it.Polling.body;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

import io.kwire.KafkaClient;
import io.kwire.client.ClusterMetadata;
import io.kwire.client.KafkaClientConfig;
import io.kwire.errors.UnsupportedVersionException;
import io.kwire.protocol.ApiKey;
import io.kwire.protocol.message.ApiVersionsResponse;
import io.kwire.protocol.message.MetadataRequest;
import io.kwire.protocol.message.MetadataResponse;
import io.kwire.testkit.FakeBroker;
import io.kwire.testkit.ReceivedRequest;
import io.kwire.testkit.Reply;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A broker of the 0.10 line answers Metadata up to v2, which has no allowAutoTopicCreation: the client's own
 * metadata request must be built for the version it is sent at. Before, encoding failed and the refresh was retried
 * forever in silence, so addTopic never completed and cluster() stayed empty. A caller's request that sets the field
 * fails at once, naming it, and is logged once.
 */
class OldMetadataVersionTest {

    @Test
    void metadataArrivesFromABrokerThatAnswersMetadataUpToV2() throws Exception {
        try (FakeBroker broker = FakeBroker.start()) {
            broker.handle(ApiKey.API_VERSIONS.id(), r -> Reply.respond(body(new ApiVersionsResponse().setApiKeys(
                    List.of(range(ApiKey.API_VERSIONS, 0, 1), range(ApiKey.METADATA, 0, 2))), r.apiVersion())));
            broker.handle(ApiKey.METADATA.id(), r -> Reply.respond(body(new MetadataResponse().setControllerId(0)
                    .setBrokers(List.of(new MetadataResponse.MetadataResponseBroker().setNodeId(0)
                            .setHost("127.0.0.1").setPort(broker.port())))
                    .setTopics(List.of(new MetadataResponse.MetadataResponseTopic().setName("orders"))),
                    r.apiVersion())));
            try (KafkaClient client = new KafkaClient(KafkaClientConfig.builder()
                    .bootstrapServers(broker.bootstrapServers()).build())) {
                CompletableFuture<ClusterMetadata> added = client.addTopic("orders");
                client.poll(Duration.ofSeconds(10), added);

                assertThat(added).isCompleted();
                assertThat(client.cluster().brokers()).hasSize(1);
                List<ReceivedRequest> metadata = broker.requests(ApiKey.METADATA.id());
                assertThat(metadata).isNotEmpty().allSatisfy(r -> assertThat(r.apiVersion()).isEqualTo((short) 2));
            }
        }
    }

    @Test
    void aFieldTheVersionCannotCarryFailsTheCallersRequestAtOnceNamingItAndIsLoggedOnce() throws Exception {
        Logger codecLog = (Logger) LoggerFactory.getLogger("io.kwire.internal.network.FrameCodec");
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        codecLog.addAppender(logs);
        try (FakeBroker broker = FakeBroker.start()) {
            broker.handle(ApiKey.API_VERSIONS.id(), r -> Reply.respond(body(new ApiVersionsResponse().setApiKeys(
                    List.of(range(ApiKey.API_VERSIONS, 0, 1), range(ApiKey.METADATA, 0, 2))), r.apiVersion())));
            broker.handle(ApiKey.METADATA.id(), r -> Reply.respond(body(new MetadataResponse().setControllerId(0)
                    .setBrokers(List.of(new MetadataResponse.MetadataResponseBroker().setNodeId(0)
                            .setHost("127.0.0.1").setPort(broker.port()))), r.apiVersion())));
            try (KafkaClient client = new KafkaClient(KafkaClientConfig.builder()
                    .bootstrapServers(broker.bootstrapServers()).build())) {
                Polling.pollUntil(client, Duration.ofSeconds(10), "node 0 ready", () -> client.ready(0));
                long metadataSeen = broker.requests(ApiKey.METADATA.id()).size();
                for (int i = 0; i < 2; i++) {
                    // allowAutoTopicCreation=false exists from Metadata v4: the broker's v2 cannot say it
                    CompletableFuture<MetadataResponse> f = client.send(0,
                            new MetadataRequest().setTopics(List.of()).setAllowAutoTopicCreation(false));
                    client.poll(Duration.ZERO); // futures complete at the end of a poll; nothing waits on the broker
                    assertThat(f).as("failed by the first poll, without a round trip").isCompletedExceptionally();
                    assertThatThrownBy(f::join).hasCauseInstanceOf(UnsupportedVersionException.class)
                            .hasMessageContaining("AllowAutoTopicCreation").hasMessageContaining("version 2");
                }
                client.poll(Duration.ofMillis(50));
                assertThat(broker.requests(ApiKey.METADATA.id())).as("nothing sent for them").hasSize((int) metadataSeen);
            }
        } finally {
            codecLog.detachAppender(logs);
        }
        assertThat(logs.list).as("one warning for two failures").hasSize(1)
                .allSatisfy(e -> assertThat(e.getFormattedMessage()).contains("Metadata").contains("v2")
                        .contains("AllowAutoTopicCreation"));
    }

    private static ApiVersionsResponse.ApiVersion range(ApiKey key, int min, int max) {
        return new ApiVersionsResponse.ApiVersion().setApiKey(key.id()).setMinVersion((short) min)
                .setMaxVersion((short) max);
    }
}
