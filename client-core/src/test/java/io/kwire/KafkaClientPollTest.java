package io.kwire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kwire.client.KafkaClientConfig;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The arguments {@link KafkaClient#poll} takes, as the reference defines them. */
class KafkaClientPollTest {

    private static KafkaClient client() {
        // Nothing listens on port 1: connection attempts fail at once, so no poll waits on a broker.
        return new KafkaClient(KafkaClientConfig.builder().bootstrapServers("127.0.0.1:1")
                .requestTimeout(Duration.ofMillis(200)).build());
    }

    @Test
    void aNegativeTimeoutIsRefusedAsTheReferenceRequires() {
        try (KafkaClient client = client()) {
            assertThatThrownBy(() -> client.poll(Duration.ofMillis(-1)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must not be negative");
            assertThatThrownBy(() -> client.poll(Duration.ofMillis(-1), new CompletableFuture<>()))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(client.poll(Duration.ZERO)).isEmpty();
        }
    }
}
