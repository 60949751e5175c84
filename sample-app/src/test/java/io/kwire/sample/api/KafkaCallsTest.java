package io.kwire.sample.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.kwire.client.ClientStatus;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** When the API fails fast instead of letting a request wait out its timeout: the health indicator's DOWN rule. */
class KafkaCallsTest {

    private static final Instant METADATA = Instant.parse("2026-12-06T22:00:00Z");

    @Test
    void aReadyConnectionLetsRequestsThroughWhateverFailedBefore() {
        ClientStatus status = running().readyNodeCount(1).lastMetadataUpdate(METADATA)
                .lastError("connection refused by localhost:9092", METADATA.plusSeconds(5)).build();
        assertThat(KafkaCalls.unreachableReason(status)).isEmpty();
    }

    @Test
    void noReadyConnectionAndAFailureSinceTheLastMetadataFailsFastNamingTheError() {
        ClientStatus status = running().lastMetadataUpdate(METADATA)
                .lastError("connection refused by localhost:9092", METADATA.plusSeconds(5)).build();
        assertThat(KafkaCalls.unreachableReason(status)).hasValueSatisfying(reason ->
                assertThat(reason).contains("No Kafka broker is reachable", "connection refused by localhost:9092"));
    }

    @Test
    void anIdleClientWhoseLastFailureIsOlderThanItsMetadataIsLetThrough() {
        ClientStatus status = running().lastMetadataUpdate(METADATA)
                .lastError("connection refused by localhost:9092", METADATA.minusSeconds(5)).build();
        assertThat(KafkaCalls.unreachableReason(status)).isEmpty();
    }

    @Test
    void aClientStillBootstrappingWithoutAnErrorIsLetThroughButOneThatCannotReachABootstrapServerIsNot() {
        assertThat(KafkaCalls.unreachableReason(running().build())).isEmpty();
        ClientStatus failing = running().lastError("connection refused by localhost:9092", METADATA).build();
        assertThat(KafkaCalls.unreachableReason(failing)).isPresent();
    }

    @Test
    void aClientThatIsNotRunningFailsFast() {
        assertThat(KafkaCalls.unreachableReason(ClientStatus.builder().build()))
                .hasValue("The kwire client is not running");
    }

    private static ClientStatus.Builder running() {
        return ClientStatus.builder().running(true);
    }
}
