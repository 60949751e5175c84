package io.kwire.sample.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.kwire.client.KafkaClientConfig;
import io.kwire.protocol.Uuid;
import io.kwire.protocol.records.Compression;
import io.kwire.protocol.records.RecordBatchBuilder;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The broker-side timeouts follow the client's request timeout, so the broker always gives up first. */
class BrokerTimeoutsTest {

    private static final PartitionLeader LEADER = new PartitionLeader("orders", Uuid.ZERO, 0, 1, 5);

    @Test
    void aLowerRequestTimeoutLowersTheTimeoutTheBrokerGets() {
        BrokerTimeouts fifteen = BrokerTimeouts.of(config(Duration.ofSeconds(15)));
        BrokerTimeouts four = BrokerTimeouts.of(config(Duration.ofSeconds(4)));

        assertThat(fifteen.operationTimeoutMs()).isEqualTo(11_250);
        assertThat(four.operationTimeoutMs()).isEqualTo(3_000).isLessThan(4_000);
        assertThat(KafkaRequests.produce(LEADER, batch(), four).timeoutMs()).isEqualTo(3_000);
        assertThat(KafkaRequests.createTopic("orders", 1, (short) 1, four).timeoutMs()).isEqualTo(3_000);
    }

    @Test
    void theLongPollWaitsAtMostHalfTheRequestTimeout() {
        assertThat(BrokerTimeouts.of(config(Duration.ofSeconds(30))).fetchMaxWaitMs())
                .isEqualTo((int) BrokerTimeouts.LONG_POLL.toMillis());
        BrokerTimeouts tight = BrokerTimeouts.of(config(Duration.ofMillis(600)));
        assertThat(tight.fetchMaxWaitMs()).isEqualTo(300);
        assertThat(KafkaRequests.fetch(LEADER, 7, tight.fetchMaxWaitMs(), 1).maxWaitMs()).isEqualTo(300);
    }

    @Test
    void retryBackOffComesFromTheClientsConfigurationAndDoublesUpToItsMaximum() {
        KafkaClientConfig config = KafkaClientConfig.builder().bootstrapServers("localhost:9092")
                .retryBackoff(Duration.ofMillis(250)).retryBackoffMax(Duration.ofSeconds(3)).build();
        BrokerTimeouts timeouts = BrokerTimeouts.of(config);
        assertThat(timeouts.retryBackoff()).isEqualTo(Duration.ofMillis(250));
        assertThat(timeouts.retryBackoffMax()).isEqualTo(Duration.ofSeconds(3));
        assertThat(timeouts.backoff(1)).isEqualTo(Duration.ofMillis(250));
        assertThat(timeouts.backoff(2)).isEqualTo(Duration.ofMillis(500));
        assertThat(timeouts.backoff(4)).isEqualTo(Duration.ofMillis(2000));
        assertThat(timeouts.backoff(5)).isEqualTo(Duration.ofSeconds(3));
        assertThat(timeouts.backoff(1000)).isEqualTo(Duration.ofSeconds(3));
    }

    private static KafkaClientConfig config(Duration requestTimeout) {
        return KafkaClientConfig.builder().bootstrapServers("localhost:9092").requestTimeout(requestTimeout).build();
    }

    private static RecordBatchBuilder batch() {
        return new RecordBatchBuilder(Compression.NONE).append(0L, (byte[]) null, new byte[] {1});
    }
}
