package io.kwire.spring.boot.autoconfigure.health;

import static io.kwire.spring.boot.autoconfigure.FakeKwireClient.runningStatus;
import static org.assertj.core.api.Assertions.assertThat;

import io.kwire.client.ClientStatus;
import io.kwire.client.TlsStatus;
import io.kwire.spring.boot.autoconfigure.FakeKwireClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

class KwireHealthIndicatorTests {

    private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
    private static final Instant METADATA = NOW.minusSeconds(30);
    private static final Instant BEFORE = METADATA.minusSeconds(60);
    private static final Instant AFTER = METADATA.plusSeconds(10);

    static Stream<Arguments> statuses() {
        return Stream.of(
                Arguments.of("not running", ClientStatus.builder().running(false).build(), Status.DOWN),
                Arguments.of("bootstrapping, no error yet", runningStatus(0, null, false, null, null), Status.UNKNOWN),
                Arguments.of("no metadata and an error", runningStatus(0, null, false, "Connection refused", NOW),
                        Status.DOWN),
                Arguments.of("fresh metadata and a ready node", runningStatus(2, METADATA, true, null, null), Status.UP),
                Arguments.of("idle: fresh metadata, no error since", runningStatus(0, METADATA, true,
                        "node 2 refused", BEFORE), Status.UP),
                Arguments.of("fresh metadata, nothing ready, connections failed since (broker down)",
                        runningStatus(0, METADATA, true, "node 2 refused", AFTER), Status.DOWN),
                Arguments.of("idle: stale metadata, no error since", runningStatus(0, METADATA, false,
                        "old failure", BEFORE), Status.UP),
                Arguments.of("idle: stale metadata, never an error", runningStatus(0, METADATA, false, null, null),
                        Status.UP),
                Arguments.of("stale metadata but a node is ready", runningStatus(1, METADATA, false, "node 3 down",
                        AFTER), Status.UP),
                Arguments.of("stale metadata, nothing ready, errors since", runningStatus(0, METADATA, false,
                        "Connection refused", AFTER), Status.DOWN));
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("statuses")
    void mapsClientStatusToHealth(String description, ClientStatus status, Status expected) {
        Health health = indicatorFor(status).health();
        assertThat(health.getStatus()).isEqualTo(expected);
        if (!expected.equals(Status.UP)) {
            assertThat(health.getDetails()).containsKey("reason");
        }
    }

    @Test
    void detailsDescribeTheClusterAndTheLastError() {
        Health health = indicatorFor(runningStatus(2, METADATA, true, "Connection refused", BEFORE)).health();
        assertThat(health.getDetails())
                .containsEntry("clusterId", "cluster-1")
                .containsEntry("controller", 1)
                .containsEntry("brokers", 3)
                .containsEntry("readyConnections", 2)
                .containsEntry("connectingConnections", 0)
                .containsEntry("metadataAge", "PT30S")
                .containsEntry("lastError", "Connection refused")
                .containsEntry("lastErrorTime", BEFORE.toString())
                .doesNotContainKey("reason")
                .doesNotContainKey("credentialProblem");
    }

    @Test
    void aCredentialProblemIsADetailAndLeavesAHealthyClientUp() {
        ClientStatus healthy = runningStatus(2, METADATA, true, null, null);
        ClientStatus renewalsFailing = healthy.toBuilder()
                .credentialProblem("Kerberos ticket renewal for app@EXAMPLE.COM has failed 3 times in a row").build();
        Health health = indicatorFor(renewalsFailing).health();
        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(health.getDetails()).containsEntry("credentialProblem",
                "Kerberos ticket renewal for app@EXAMPLE.COM has failed 3 times in a row");
    }

    @Test
    void detailsCountConnectionsPerClass() {
        ClientStatus status = runningStatus(1, METADATA, true, null, null).toBuilder().connectionsByClass(
                java.util.Map.of(io.kwire.client.ConnectionClass.PRODUCE, new io.kwire.client.ConnectionCounts(1, 0)))
                .build();
        assertThat(indicatorFor(status).health().getDetails().get("connectionsByClass")).isEqualTo(java.util.Map.of(
                "control", java.util.Map.of("ready", 0, "connecting", 0),
                "produce", java.util.Map.of("ready", 1, "connecting", 0),
                "fetch", java.util.Map.of("ready", 0, "connecting", 0),
                "slow", java.util.Map.of("ready", 0, "connecting", 0)));
    }

    @Test
    void rotatedFilesThatCannotBeUsedAreATlsDetailAndLeaveAHealthyClientUp() {
        TlsStatus tls = new TlsStatus("OpenSSL (BoringSSL)", List.of(Path.of("/etc/kafka/client.pem")), 2,
                Optional.of(BEFORE),
                Optional.of("sslCertfile: /etc/kafka/client.pem is not a PEM file"), Optional.of(NOW));
        Health health = indicatorFor(runningStatus(2, METADATA, true, null, null).toBuilder().tls(tls).build())
                .health();
        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(health.getDetails()).containsEntry("tls", Map.of("engine", "OpenSSL (BoringSSL)",
                "watchedFiles", List.of("/etc/kafka/client.pem"),
                "reloads", 2L, "lastReload", BEFORE.toString(),
                "lastReloadError", "sslCertfile: /etc/kafka/client.pem is not a PEM file",
                "lastReloadErrorTime", NOW.toString()));
    }

    @Test
    void aClusterMismatchIsADetailBesideTheClusterId() {
        String mismatch = "127.0.0.1:9093 is in cluster QzTvT0ZnRm2a0WWM9rQp7w, not MkU3OEVBNTcwNTJENDM2Qg";
        ClientStatus mixed = runningStatus(2, METADATA, true, null, null).toBuilder()
                .clusterId("MkU3OEVBNTcwNTJENDM2Qg").clusterMismatch(mismatch).build();
        Health health = indicatorFor(mixed).health();
        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(health.getDetails()).containsEntry("clusterId", "MkU3OEVBNTcwNTJENDM2Qg")
                .containsEntry("clusterMismatch", mismatch);
        assertThat(indicatorFor(runningStatus(2, METADATA, true, null, null)).health().getDetails())
                .doesNotContainKey("clusterMismatch");
    }

    private static KwireHealthIndicator indicatorFor(ClientStatus status) {
        FakeKwireClient client = new FakeKwireClient();
        client.start();
        client.status(status);
        return new KwireHealthIndicator(client, Clock.fixed(NOW, ZoneOffset.UTC));
    }
}
