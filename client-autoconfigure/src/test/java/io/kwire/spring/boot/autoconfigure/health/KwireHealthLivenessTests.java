package io.kwire.spring.boot.autoconfigure.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.kwire.client.ClientObserver;
import io.kwire.protocol.ApiKey;
import io.kwire.spring.boot.autoconfigure.KwireClientAutoConfiguration;
import io.kwire.testkit.ExternalKafkaBroker;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Liveness with no traffic at all: a real broker in its own process (the test kit's {@link ExternalKafkaBroker}) is
 * frozen with SIGSTOP while the client is idle, and the health indicator goes DOWN within the documented bound,
 * {@code idle-probe-interval + request-timeout} (here 1 s + 2 s), through the client's own ApiVersions probe; after
 * SIGCONT it is UP again. The test sends no request of its own.
 */
@Timeout(180)
@DisabledIfSystemProperty(named = "kwire.skipExternalKafka", matches = "true")
class KwireHealthLivenessTests {

    static final Duration PROBE_INTERVAL = Duration.ofSeconds(1);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(2);
    /** Beyond the bound: the I/O thread's wake-up and the status snapshot's refresh on a busy 2-core machine. */
    static final Duration SCHEDULING_SLACK = Duration.ofSeconds(5);

    private static ExternalKafkaBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = ExternalKafkaBroker.builder()
                .version(System.getProperty("kwire.externalKafkaVersion", "3.9.1")).start();
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (broker != null) {
            signal("CONT"); // a stopped process would not act on close()'s SIGTERM
            broker.close();
        }
    }

    private static void signal(String name) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(broker.pid())).inheritIO().start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).as("kill -%s %d", name, broker.pid()).isZero();
    }

    /** Counts the ApiVersions requests the client makes on its own: set-up and liveness probes. */
    static final class Counting implements ClientObserver {
        final AtomicInteger apiVersions = new AtomicInteger();

        @Override
        public void requestCompleted(ApiKey api, short version, int nodeId, long latencyNanos, int bytesSent,
                                     int bytesReceived, Outcome outcome) {
            if (api == ApiKey.API_VERSIONS && outcome == Outcome.SUCCESS) {
                apiVersions.incrementAndGet();
            }
        }
    }

    @Test
    void aFrozenBrokerTurnsHealthDownWithNoTrafficWithinTheProbeIntervalPlusTheRequestTimeoutAndUpAfterSigcont() {
        Counting observed = new Counting();
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(KwireClientAutoConfiguration.class,
                        KwireHealthAutoConfiguration.class))
                .withBean(ClientObserver.class, () -> observed)
                .withPropertyValues("kwire.client.bootstrap-servers=" + broker.bootstrapServers(),
                        "kwire.client.client-id=liveness",
                        "kwire.client.idle-probe-interval=" + PROBE_INTERVAL.toMillis() + "ms",
                        "kwire.client.request-timeout=" + REQUEST_TIMEOUT.toMillis() + "ms",
                        "kwire.client.socket-connection-setup-timeout=2s",
                        "kwire.client.socket-connection-setup-timeout-max=2s",
                        "kwire.client.reconnect-backoff-max=500ms",
                        "kwire.client.lifecycle.shutdown-timeout=1s")
                .run(context -> {
                    KwireHealthIndicator health = context.getBean("kwireHealthContributor",
                            KwireHealthIndicator.class);
                    assertThat(waitFor(health, Status.UP, Duration.ofSeconds(60)).getStatus()).isEqualTo(Status.UP);
                    // idle and UP across several probe intervals: the probes are answered
                    int probesBefore = observed.apiVersions.get();
                    waitUntil(() -> observed.apiVersions.get() >= probesBefore + 2, Duration.ofSeconds(30));
                    assertThat(health.health().getStatus()).isEqualTo(Status.UP);

                    long stoppedAt = System.nanoTime();
                    signal("STOP");
                    Health down = waitFor(health, Status.DOWN, Duration.ofSeconds(60));
                    Duration toDown = Duration.ofNanos(System.nanoTime() - stoppedAt);
                    assertThat(down.getStatus()).isEqualTo(Status.DOWN);
                    System.out.printf("SIGSTOP -> health DOWN after %d ms (bound %d ms + slack %d ms): %s%n",
                            toDown.toMillis(), PROBE_INTERVAL.plus(REQUEST_TIMEOUT).toMillis(),
                            SCHEDULING_SLACK.toMillis(), down.getDetails().get("reason"));
                    assertThat(toDown).as("time from SIGSTOP to DOWN")
                            .isLessThanOrEqualTo(PROBE_INTERVAL.plus(REQUEST_TIMEOUT).plus(SCHEDULING_SLACK));

                    long continuedAt = System.nanoTime();
                    signal("CONT");
                    Health up = waitFor(health, Status.UP, Duration.ofSeconds(60));
                    assertThat(up.getStatus()).isEqualTo(Status.UP);
                    System.out.printf("SIGCONT -> health UP after %d ms%n",
                            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - continuedAt));
                });
    }

    private static Health waitFor(KwireHealthIndicator health, Status wanted, Duration timeout) {
        waitUntil(() -> health.health().getStatus().equals(wanted), timeout);
        return health.health();
    }

    private static void waitUntil(Callable<Boolean> condition, Duration timeout) {
        Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(20)).until(condition);
    }
}
