package io.kwire.internal.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kwire.client.ConnectionClass;
import io.kwire.client.KafkaClientConfig;
import io.kwire.errors.ConfigException;
import io.kwire.protocol.ApiKey;
import io.kwire.protocol.message.CreateTopicsRequest;
import io.kwire.protocol.message.FetchRequest;
import io.kwire.protocol.message.HeartbeatRequest;
import io.kwire.protocol.message.JoinGroupRequest;
import io.kwire.protocol.message.MetadataRequest;
import io.kwire.protocol.message.ProduceRequest;
import io.kwire.protocol.message.ShareFetchRequest;
import java.time.Duration;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class ConnectionRouterTest {

    private static ConnectionRouter router(UnaryOperator<KafkaClientConfig.Builder> tweak) {
        return new ConnectionRouter(tweak.apply(KafkaClientConfig.builder()).build());
    }

    @Test
    void defaultsSeparateControlProduceLongPollReadsAndRequestsThatWaitOnTheBroker() {
        ConnectionRouter r = router(b -> b);
        assertThat(r.route(new MetadataRequest(), null)).isEqualTo(ConnectionClass.CONTROL);
        assertThat(r.route(new HeartbeatRequest(), null)).isEqualTo(ConnectionClass.CONTROL);
        assertThat(r.route(new ProduceRequest(), null)).isEqualTo(ConnectionClass.PRODUCE);
        assertThat(r.route(new FetchRequest().setMaxWaitMs(500), null)).isEqualTo(ConnectionClass.FETCH);
        assertThat(r.route(new ShareFetchRequest(), null)).isEqualTo(ConnectionClass.FETCH);
        assertThat(r.route(new CreateTopicsRequest(), null)).isEqualTo(ConnectionClass.SLOW);
    }

    @Test
    void aControlRequestThatWaitsOnTheBrokerBeyondTheThresholdIsSlow() {
        ConnectionRouter r = router(b -> b.slowRequestThreshold(Duration.ofSeconds(1)));
        assertThat(r.route(new JoinGroupRequest().setRebalanceTimeoutMs(300_000), null))
                .isEqualTo(ConnectionClass.SLOW);
        assertThat(r.route(new JoinGroupRequest().setRebalanceTimeoutMs(500), null))
                .isEqualTo(ConnectionClass.CONTROL);
        // A Produce's timeout bounds replication; it is not a wait.
        assertThat(r.route(new ProduceRequest().setTimeoutMs(30_000), null)).isEqualTo(ConnectionClass.PRODUCE);
    }

    @Test
    void routesMoveApisAndMergedClassesGoToControl() {
        ConnectionRouter routed = router(b -> b.connectionClassRoutes(Map.of(ApiKey.METADATA, ConnectionClass.SLOW,
                ApiKey.FETCH, ConnectionClass.CONTROL)));
        assertThat(routed.route(new MetadataRequest(), null)).isEqualTo(ConnectionClass.SLOW);
        assertThat(routed.route(new FetchRequest().setMaxWaitMs(500), null)).isEqualTo(ConnectionClass.CONTROL);
        assertThat(routed.route(new FetchRequest().setMaxWaitMs(5_000), null)).as("beyond the threshold")
                .isEqualTo(ConnectionClass.SLOW);

        ConnectionRouter merged = router(b -> b.connectionClasses(ConnectionClass.CONTROL, ConnectionClass.FETCH));
        assertThat(merged.route(new ProduceRequest(), null)).isEqualTo(ConnectionClass.CONTROL);
        assertThat(merged.route(new CreateTopicsRequest(), null)).isEqualTo(ConnectionClass.CONTROL);
        assertThat(merged.route(new FetchRequest(), null)).isEqualTo(ConnectionClass.FETCH);
        assertThat(merged.route(new MetadataRequest(), ConnectionClass.SLOW)).as("an override of a merged class")
                .isEqualTo(ConnectionClass.CONTROL);

        ConnectionRouter one = router(b -> b.connectionClasses(ConnectionClass.CONTROL));
        for (ApiKey api : ApiKey.values()) {
            assertThat(one.effective(ConnectionClass.defaultFor(api))).isEqualTo(ConnectionClass.CONTROL);
        }
    }

    @Test
    void aPerSendOverrideWins() {
        assertThat(router(b -> b).route(new MetadataRequest(), ConnectionClass.FETCH)).isEqualTo(ConnectionClass.FETCH);
    }

    @Test
    void theClassesMustIncludeControlAndTheThresholdBePositive() {
        assertThatThrownBy(() -> KafkaClientConfig.builder().connectionClasses(ConnectionClass.FETCH).build())
                .isInstanceOf(ConfigException.class).hasMessageContaining("connectionClasses must contain CONTROL");
        assertThatThrownBy(() -> KafkaClientConfig.builder().slowRequestThreshold(Duration.ZERO).build())
                .isInstanceOf(ConfigException.class).hasMessageContaining("slowRequestThreshold");
        assertThatThrownBy(() -> KafkaClientConfig.builder().connectionClassRoutes(java.util.Collections
                .singletonMap(ApiKey.FETCH, null)).build())
                .isInstanceOf(ConfigException.class).hasMessageContaining("connectionClassRoutes");
    }
}
