package io.kwire.spring.boot.autoconfigure.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.kwire.client.ClientObserver;
import io.kwire.client.Node;
import io.kwire.protocol.ApiKey;
import io.kwire.spring.boot.autoconfigure.KwireClientAutoConfiguration;
import io.kwire.testkit.KafkaCluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The idle soak: a client with default settings (only the address and a client id set) against a real broker,
 * sending nothing for {@code -Dkwire.idleSoak} (an ISO-8601 duration, {@code scripts/idle-soak.sh} passes PT5M),
 * with its health read every 200 ms: it must never leave UP, the liveness probes (ApiVersions every
 * {@code idle-probe-interval}, 30 s) must be answered, and no connection may be closed. Opt-in, because it takes
 * minutes; the result goes to the output and to {@code target/idle-soak.txt}.
 */
@EnabledIfSystemProperty(named = "kwire.idleSoak", matches = "P.+")
class KwireIdleSoakTests {

    /** What the client did on its own meanwhile. */
    static final class Counting implements ClientObserver {
        final AtomicInteger probes = new AtomicInteger();
        final AtomicInteger failedProbes = new AtomicInteger();
        final List<String> closed = new CopyOnWriteArrayList<>();

        @Override
        public void requestCompleted(ApiKey api, short version, int nodeId, long latencyNanos, int bytesSent,
                                     int bytesReceived, Outcome outcome) {
            if (api == ApiKey.API_VERSIONS) {
                (outcome == Outcome.SUCCESS ? probes : failedProbes).incrementAndGet();
            }
        }

        @Override
        public void connectionClosed(Node node, String reason) {
            closed.add(Instant.now() + " node " + node.id() + ": " + reason);
        }
    }

    @Test
    void anIdleClientWithDefaultSettingsStaysUp() throws Exception {
        Duration soak = Duration.parse(System.getProperty("kwire.idleSoak"));
        Counting observed = new Counting();
        try (KafkaCluster cluster = KafkaCluster.builder().brokers(1).start()) {
            new ApplicationContextRunner()
                    .withConfiguration(AutoConfigurations.of(KwireClientAutoConfiguration.class,
                            KwireHealthAutoConfiguration.class))
                    .withBean(ClientObserver.class, () -> observed)
                    .withPropertyValues("kwire.client.bootstrap-servers=" + cluster.bootstrapServers(),
                            "kwire.client.client-id=idle-soak")
                    .run(context -> {
                        KwireHealthIndicator health = context.getBean("kwireHealthContributor",
                                KwireHealthIndicator.class);
                        Awaitility.await("UP before the soak").atMost(Duration.ofSeconds(60))
                                .until(() -> health.health().getStatus().equals(Status.UP));
                        int setupVersions = observed.probes.get();
                        int closedBefore = observed.closed.size(); // the bootstrap connection, once metadata came
                        Map<String, Integer> statuses = new TreeMap<>();
                        String firstNotUp = null;
                        Instant start = Instant.now();
                        long end = System.nanoTime() + soak.toNanos();
                        while (System.nanoTime() < end) {
                            Health h = health.health();
                            statuses.merge(h.getStatus().getCode(), 1, Integer::sum);
                            if (firstNotUp == null && !h.getStatus().equals(Status.UP)) {
                                firstNotUp = Instant.now() + " " + h.getStatus() + " " + h.getDetails();
                            }
                            Thread.sleep(200); // the sampling period of the soak, not a wait for a condition
                        }
                        String result = String.format("idle soak %s from %s, default settings: health reads %s, "
                                        + "probes answered %d (failed %d), connections closed %s%s%n", soak, start,
                                statuses, observed.probes.get() - setupVersions, observed.failedProbes.get(),
                                observed.closed.subList(closedBefore, observed.closed.size()),
                                firstNotUp == null ? "" : ", first not UP: " + firstNotUp);
                        System.out.print(result);
                        Files.writeString(Path.of("target", "idle-soak.txt"), result, StandardCharsets.UTF_8);

                        assertThat(firstNotUp).as("health never left UP").isNull();
                        assertThat(observed.closed.subList(closedBefore, observed.closed.size()))
                                .as("no connection closed while idle").isEmpty();
                        assertThat(observed.failedProbes.get()).isZero();
                        // one per 30 s of silence, the first 30 s after the connection's last exchange
                        long expectedProbes = soak.toSeconds() / 30;
                        assertThat(observed.probes.get() - setupVersions).as("probes answered")
                                .isGreaterThanOrEqualTo((int) Math.max(0, expectedProbes - 2));
                    });
        }
    }
}
