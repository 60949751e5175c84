package io.kwire.spring.boot.autoconfigure.metrics;

import static io.kwire.spring.boot.autoconfigure.FakeKwireClient.runningStatus;
import static org.assertj.core.api.Assertions.assertThat;

import io.kwire.client.ClientObserver;
import io.kwire.client.ClientObserver.Outcome;
import io.kwire.client.KafkaClientConfig;
import io.kwire.client.Node;
import io.kwire.errors.KwireException;
import io.kwire.protocol.ApiKey;
import io.kwire.spring.boot.autoconfigure.FakeKwireClient;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class KwireMetricsObserverTests {

    private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final FakeKwireClient client = new FakeKwireClient();
    private final KwireMetricsObserver observer = new KwireMetricsObserver();
    private final Node node = new Node(1, "broker-1", 9092, null);

    KwireMetricsObserverTests() {
        new KwireClientMetrics(client, observer, Tags.of("client.id", "app"), Clock.fixed(NOW, ZoneOffset.UTC))
                .bindTo(registry);
    }

    @Test
    void recordsRequestsByApiAndOutcome() {
        observer.requestCompleted(ApiKey.METADATA, (short) 12, 1, 5_000_000, 100, 2_000, Outcome.SUCCESS);
        observer.requestCompleted(ApiKey.METADATA, (short) 12, 2, 7_000_000, 100, 3_000, Outcome.SUCCESS);
        observer.requestCompleted(ApiKey.PRODUCE, (short) 9, 1, 30_000_000, 500, 0, Outcome.TIMEOUT);

        Timer metadata = registry.get("kwire.client.requests").tags("api", "METADATA", "outcome", "SUCCESS",
                "client.id", "app").timer();
        assertThat(metadata.count()).isEqualTo(2);
        assertThat(metadata.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(12.0);
        assertThat(registry.get("kwire.client.requests").tags("api", "PRODUCE", "outcome", "TIMEOUT").timer().count())
                .isEqualTo(1);
        assertThat(registry.get("kwire.client.bytes.sent").tag("api", "METADATA").counter().count()).isEqualTo(200);
        assertThat(registry.get("kwire.client.bytes.received").tag("api", "METADATA").counter().count())
                .isEqualTo(5_000);
        assertThat(registry.get("kwire.client.bytes.sent").counter().getId().getBaseUnit()).isEqualTo("bytes");
        // No node tag anywhere: cardinality does not grow with the cluster.
        registry.getMeters().forEach(m -> assertThat(m.getId().getTag("node")).isNull());
    }

    @Test
    void requestsThatFailedBeforeBeingSentAreCountedAndTaggedNotSent() {
        // As the core reports them: version -1, no node, no bytes.
        observer.requestCompleted(ApiKey.METADATA, (short) -1, ClientObserver.NO_NODE, 2_000_000, 0, 0,
                Outcome.DISCONNECTED);
        observer.requestCompleted(ApiKey.METADATA, (short) -1, ClientObserver.NO_NODE, 30_000_000, 0, 0,
                Outcome.TIMEOUT);
        observer.requestCompleted(ApiKey.METADATA, (short) 12, 1, 5_000_000, 100, 2_000, Outcome.SUCCESS);

        assertThat(registry.get("kwire.client.requests").tags("api", "METADATA", "sent", "false").timers())
                .extracting(t -> t.getId().getTag("outcome")).containsExactlyInAnyOrder("DISCONNECTED", "TIMEOUT");
        assertThat(registry.get("kwire.client.requests").tags("outcome", "TIMEOUT", "sent", "false").timer()
                .totalTime(TimeUnit.MILLISECONDS)).isEqualTo(30.0);
        assertThat(registry.get("kwire.client.requests").tags("outcome", "SUCCESS", "sent", "true").timer().count())
                .isEqualTo(1);
        // Every request's end is counted once, sent or not; nothing was written for the unsent ones.
        assertThat(registry.get("kwire.client.requests").timers().stream().mapToLong(Timer::count).sum()).isEqualTo(3);
        assertThat(registry.get("kwire.client.bytes.sent").counter().count()).isEqualTo(100);
    }

    @Test
    void everyOutcomeTagIsUpperCase() {
        observer.connectionReady(node);
        observer.connectionFailed(node, new KwireException("refused"));
        for (Outcome outcome : Outcome.values()) {
            observer.requestCompleted(ApiKey.FETCH, (short) 12, 1, 1_000, 10, 10, outcome);
        }
        assertThat(registry.getMeters()).map(m -> m.getId().getTag("outcome")).filteredOn(o -> o != null)
                .hasSize(Outcome.values().length + 2).allSatisfy(o -> assertThat(o).isUpperCase());
    }

    @Test
    void recordsConnectionsAuthenticationAndThrottling() {
        observer.connectionReady(node);
        observer.connectionFailed(node, new KwireException("refused"));
        observer.connectionFailed(node, new KwireException("refused"));
        observer.connectionClosed(node, "idle");
        observer.authenticationFailed(node, new KwireException("bad password"));
        observer.throttled(1, ApiKey.PRODUCE, 250);

        assertThat(registry.get("kwire.client.connection.attempts").tag("outcome", "SUCCESS").counter().count())
                .isEqualTo(1);
        assertThat(registry.get("kwire.client.connection.attempts").tag("outcome", "FAILURE").counter().count())
                .isEqualTo(2);
        // The failures are counted once, as attempts with outcome FAILURE.
        assertThat(registry.find("kwire.client.connection.failures").meters()).isEmpty();
        assertThat(registry.get("kwire.client.connection.closed").counter().count()).isEqualTo(1);
        assertThat(registry.get("kwire.client.authentication.failures").counter().count()).isEqualTo(1);
        assertThat(registry.get("kwire.client.throttle.time").tag("api", "PRODUCE").timer()
                .totalTime(TimeUnit.MILLISECONDS)).isEqualTo(250.0);
    }

    @Test
    void classGaugesCountConnectionsPerConnectionClassAndState() {
        client.start();
        client.status(runningStatus(1, NOW, true, null, null).toBuilder().connectionsByClass(java.util.Map.of(
                io.kwire.client.ConnectionClass.CONTROL, new io.kwire.client.ConnectionCounts(3, 0),
                io.kwire.client.ConnectionClass.FETCH, new io.kwire.client.ConnectionCounts(2, 1))).build());
        assertThat(registry.get("kwire.client.class.connections").tags("class", "control", "state", "ready").gauge()
                .value()).isEqualTo(3);
        assertThat(registry.get("kwire.client.class.connections").tags("class", "fetch", "state", "connecting")
                .gauge().value()).isEqualTo(1);
        assertThat(registry.get("kwire.client.class.connections").tags("class", "slow", "state", "ready").gauge()
                .value()).isZero();
        assertThat(registry.find("kwire.client.class.connections").gauges()).as("4 classes x 2 states, bounded")
                .hasSize(8);
    }

    @Test
    void gaugesReadTheClientStatus() {
        client.start();
        client.status(runningStatus(2, NOW.minusSeconds(12), true, null, null));
        client.inFlight(7);
        assertThat(registry.get("kwire.client.connections").tag("state", "ready").gauge().value()).isEqualTo(2);
        assertThat(registry.get("kwire.client.connections").tag("state", "connecting").gauge().value()).isZero();
        assertThat(registry.get("kwire.client.requests.in.flight").gauge().value()).isEqualTo(7);
        assertThat(registry.get("kwire.client.metadata.age").gauge().value()).isEqualTo(12.0);
        assertThat(registry.get("kwire.client.brokers").gauge().value()).isEqualTo(3);
    }

    @Test
    void metadataAgeIsNaNBeforeTheFirstMetadata() {
        assertThat(registry.get("kwire.client.metadata.age").gauge().value()).isNaN();
    }

    @Test
    void theMetricGroupPrefixBecomesAGroupTagOnEveryMeterAndIsLeftOutWhenEmpty() {
        KafkaClientConfig.Builder config = KafkaClientConfig.builder().bootstrapServers("localhost:9092")
                .clientId("orders");
        assertThat(KwireClientMetrics.tags("ordersClient", config.build()))
                .containsExactly(Tag.of("client.id", "orders"), Tag.of("client.name", "ordersClient"));

        SimpleMeterRegistry grouped = new SimpleMeterRegistry();
        KwireMetricsObserver groupedObserver = new KwireMetricsObserver();
        Tags tags = KwireClientMetrics.tags("ordersClient", config.metricGroupPrefix("producer").build());
        assertThat(tags).containsExactlyInAnyOrder(Tag.of("client.name", "ordersClient"),
                Tag.of("client.id", "orders"), Tag.of("group", "producer"));
        new KwireClientMetrics(client, groupedObserver, tags, Clock.systemUTC()).bindTo(grouped);
        groupedObserver.connectionReady(node);
        groupedObserver.requestCompleted(ApiKey.METADATA, (short) 12, 1, 1_000, 10, 20, Outcome.SUCCESS);

        assertThat(grouped.getMeters()).hasSizeGreaterThan(5)
                .allSatisfy(m -> assertThat(m.getId().getTag("group")).isEqualTo("producer"));
        assertThat(registry.getMeters()).isNotEmpty().allSatisfy(m -> assertThat(m.getId().getTag("group")).isNull());
    }

    @Test
    void bindingTheSameRegistryTwiceDoesNotDoubleCount() {
        new KwireClientMetrics(client, observer, Tags.of("client.id", "app"), Clock.systemUTC()).bindTo(registry);
        observer.connectionReady(node);
        assertThat(registry.get("kwire.client.connection.attempts").tag("outcome", "SUCCESS").counter().count())
                .isEqualTo(1);
    }
}
