package io.kwire.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.kwire.KwireClient;
import io.kwire.client.KafkaClientConfig;
import io.kwire.errors.ClientClosedException;
import io.kwire.protocol.message.ApiVersionsRequest;
import io.kwire.protocol.message.MetadataRequest;
import io.kwire.spring.boot.autoconfigure.health.KwireHealthAutoConfiguration;
import io.kwire.spring.boot.autoconfigure.health.KwireHealthIndicator;
import io.kwire.spring.boot.autoconfigure.metrics.KwireMetricsAutoConfiguration;
import io.kwire.testkit.KafkaCluster;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

/**
 * The auto-configured client, health indicator and meters against a real broker: connect on start, UP with the
 * cluster id, meters counting real requests, DOWN with the reason when the broker stops and UP again after it
 * restarts, and a shutdown that completes or fails every request in flight.
 */
@Timeout(180)
class KwireRealBrokerTests {

    private static KafkaCluster cluster;

    @BeforeAll
    static void startBroker() {
        cluster = KafkaCluster.builder().brokers(1).build().start();
    }

    @AfterAll
    static void stopBroker() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
                        CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
                        KwireClientAutoConfiguration.class, KwireHealthAutoConfiguration.class,
                        KwireMetricsAutoConfiguration.class))
                .withPropertyValues("kwire.client.bootstrap-servers=" + cluster.bootstrapServers(),
                        "kwire.client.client-id=spring-it", "kwire.client.reconnect-backoff=20ms",
                        "kwire.client.reconnect-backoff-max=200ms", "kwire.client.request-timeout=5s",
                        "kwire.client.lifecycle.shutdown-timeout=5s");
    }

    private static Health waitFor(HealthIndicator health, Status wanted, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Health h = health.health();
        while (!h.getStatus().equals(wanted) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            h = health.health();
        }
        return h;
    }

    @Test
    void healthFollowsTheBrokerDownAndBackUpAndMetersCountRealRequests() {
        runner().run(context -> {
            assertThat(context).hasNotFailed();
            KwireClient client = context.getBean(KwireClient.class);
            KwireHealthIndicator health = context.getBean(KwireHealthIndicator.class);
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            String clusterId = cluster.admin().describeCluster().clusterId().get(30, TimeUnit.SECONDS);

            Health up = waitFor(health, Status.UP, Duration.ofSeconds(30));
            assertThat(up.getStatus()).isEqualTo(Status.UP);
            assertThat(up.getDetails()).containsEntry("clusterId", clusterId).containsEntry("brokers", 1);

            for (int i = 0; i < 10; i++) {
                client.send(new MetadataRequest().setTopics(List.of())).get(10, TimeUnit.SECONDS);
            }
            Supplier<Long> metadataRequests = () -> registry.find("kwire.client.requests").tags("api", "METADATA")
                    .timers().stream().mapToLong(Timer::count).sum();
            assertThat(metadataRequests.get()).isGreaterThanOrEqualTo(10);
            assertThat(registry.find("kwire.client.bytes.sent").counter()).isNotNull()
                    .satisfies(c -> assertThat(c.count()).isPositive());

            int broker = cluster.brokerIds().get(0);
            cluster.stopBroker(broker);
            Health down = waitFor(health, Status.DOWN, Duration.ofSeconds(60));
            assertThat(down.getStatus()).isEqualTo(Status.DOWN);
            assertThat(down.getDetails()).containsKey("reason").containsKey("lastError");

            cluster.restartBroker(broker);
            Health back = waitFor(health, Status.UP, Duration.ofSeconds(90));
            assertThat(back.getStatus()).isEqualTo(Status.UP);
            assertThat(client.send(new ApiVersionsRequest()).get(30, TimeUnit.SECONDS).errorCode()).isZero();
        });
    }

    @Test
    void shutdownWithRequestsInFlightCompletesOrFailsEveryOne() {
        List<CompletableFuture<?>> futures = new ArrayList<>();
        runner().run(context -> {
            KwireClient client = context.getBean(KwireClient.class);
            assertThat(client.awaitReady(Duration.ofSeconds(30))).isTrue();
            for (int i = 0; i < 300; i++) {
                futures.add(client.send(new MetadataRequest().setTopics(List.of())));
            }
        });
        for (CompletableFuture<?> f : futures) {
            assertThat(f).isDone();
            if (f.isCompletedExceptionally()) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    assertThat(e.getCause()).isInstanceOf(ClientClosedException.class);
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            }
        }
    }

    @Test
    void twoClientsDeclaredAsTheDocsSayBothConnectAndShowInHealthAndMeters() {
        runner().withUserConfiguration(TwoClients.class)
                .withPropertyValues("audit.kwire.bootstrap-servers=" + cluster.bootstrapServers(),
                        "audit.kwire.client-id=spring-it-audit")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    KwireClient main = context.getBean("kwireClient", KwireClient.class);
                    KwireClient audit = context.getBean("auditClient", KwireClient.class);
                    assertThat(audit.config().clientId()).isEqualTo("spring-it-audit");
                    CompositeHealthContributor health = (CompositeHealthContributor) context.getBean(
                            "kwireHealthContributor", HealthContributor.class);
                    for (String name : List.of("kwireClient", "auditClient")) {
                        HealthIndicator indicator = (HealthIndicator) health.getContributor(name);
                        assertThat(waitFor(indicator, Status.UP, Duration.ofSeconds(30)).getStatus())
                                .as("health of %s", name).isEqualTo(Status.UP);
                    }

                    for (int i = 0; i < 3; i++) {
                        audit.send(new MetadataRequest().setTopics(List.of())).get(10, TimeUnit.SECONDS);
                    }
                    main.send(new ApiVersionsRequest()).get(10, TimeUnit.SECONDS);
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    assertThat(registry.find("kwire.client.requests").tags("client.name", "auditClient",
                            "client.id", "spring-it-audit", "api", "METADATA").timers().stream()
                            .mapToLong(Timer::count).sum()).isGreaterThanOrEqualTo(3);
                    assertThat(registry.find("kwire.client.requests").tags("client.name", "kwireClient", "api",
                            "API_VERSIONS").timers().stream().mapToLong(Timer::count).sum()).isGreaterThanOrEqualTo(1);
                    assertThat(registry.find("kwire.client.connections").tags("client.name", "auditClient", "state",
                            "ready").gauge().value()).isPositive();
                    assertThat(registry.find("kwire.client.connections").tags("client.name", "kwireClient", "state",
                            "ready").gauge().value()).isPositive();

                    context.close();
                    assertThat(main.isRunning()).isFalse();
                    assertThat(audit.isRunning()).isFalse();
                });
    }

    /** The second client as docs/spring-boot.md declares it. */
    @Configuration(proxyBeanMethods = false)
    static class TwoClients {

        @Bean
        @Primary
        KwireClient kwireClient(KafkaClientConfig config) {
            return KwireClient.create(config);
        }

        @Bean
        KwireClient auditClient(KwireClientFactory clients) {
            return clients.create("audit.kwire");
        }
    }
}
