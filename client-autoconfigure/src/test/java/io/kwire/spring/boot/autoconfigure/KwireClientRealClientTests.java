package io.kwire.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.kwire.KwireClient;
import io.kwire.spring.boot.autoconfigure.health.KwireHealthAutoConfiguration;
import io.kwire.spring.boot.autoconfigure.health.KwireHealthIndicator;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The auto-configured client itself, not a fake, pointed at a port nobody listens on: lifecycle and DOWN health
 * without any broker. {@code KwireRealBrokerTests} runs the same beans against a real broker.
 */
class KwireClientRealClientTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(KwireClientAutoConfiguration.class,
                    KwireHealthAutoConfiguration.class))
            .withPropertyValues("kwire.client.bootstrap-servers=127.0.0.1:" + closedPort(),
                    "kwire.client.reconnect-backoff=10ms", "kwire.client.reconnect-backoff-max=50ms",
                    "kwire.client.lifecycle.shutdown-timeout=2s");

    @Test
    void autoConfiguredClientStartsWithTheContextAndClosesWithIt() {
        runner.run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(KwireClient.class);
            KwireClient client = context.getBean(KwireClient.class);
            assertThat(client.isRunning()).isTrue();
            assertThat(client.config().bootstrapServers()).hasSize(1);
            context.close();
            assertThat(client.isRunning()).isFalse();
        });
    }

    @Test
    void aClientThatCannotReachItsBrokerIsReportedDown() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            KwireHealthIndicator health = context.getBean(KwireHealthIndicator.class);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            Status status = health.health().getStatus();
            while (!status.equals(Status.DOWN) && System.nanoTime() < deadline) {
                Thread.sleep(50);
                status = health.health().getStatus();
            }
            assertThat(status).isEqualTo(Status.DOWN);
            assertThat(health.health().getDetails()).containsKey("lastError").containsEntry("readyConnections", 0);
        });
    }

    @Test
    void clientNotAutoStartedStaysStoppedUntilStarted() {
        runner.withPropertyValues("kwire.client.lifecycle.auto-startup=false").run(context -> {
            assertThat(context).hasNotFailed();
            KwireClient client = context.getBean(KwireClient.class);
            assertThat(client.isRunning()).isFalse();
            context.getBean(KwireClientLifecycle.class).start();
            assertThat(client.isRunning()).isTrue();
        });
    }

    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
