package io.kwire.spring.boot.autoconfigure.health;

import io.kwire.KwireClient;
import io.kwire.client.ClientStatus;
import io.kwire.client.ConnectionClass;
import io.kwire.client.ConnectionCounts;
import io.kwire.client.TlsStatus;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Reports the kwire client's health from {@link KwireClient#status()} alone: cached state, no network I/O, so it
 * is cheap enough for a probe that runs every few seconds and cannot hang on a dead broker.
 *
 * <p>The rules avoid false DOWNs. An idle client may have no ready connection at all because idle connections
 * were closed ({@code connections-max-idle}); that is healthy. Metadata may be briefly older than its maximum age
 * while the refresh is in flight; that is healthy too. So:
 * <ul>
 * <li>DOWN when the client is not running;</li>
 * <li>UNKNOWN when it is running but has had no metadata and no error yet (still bootstrapping);</li>
 * <li>DOWN when it has had no metadata but has had an error (it cannot reach any bootstrap server);</li>
 * <li>UP when metadata is fresh, when a connection is ready, or when the last error is older than the last
 * metadata (nothing has failed since the cluster last answered);</li>
 * <li>DOWN otherwise: metadata is stale, nothing is connected, and errors have happened since the last
 * metadata.</li>
 * </ul>
 * Details: clusterId, controller, brokers, readyConnections, connectingConnections, metadataAge, lastError,
 * lastErrorTime, credentialProblem, clusterMismatch, connectionsByClass, tls (for a TLS client: engine, watchedFiles, reloads,
 * lastReload, lastReloadError, lastReloadErrorTime), and for DOWN/UNKNOWN a reason. A credential problem (Kerberos
 * ticket renewals failing) or a TLS reload error (rotated files that cannot be used) is reported as a detail and does
 * not change the status by itself: connections keep working on the current ticket or key material, and once they
 * fail the rules above turn DOWN. Likewise a cluster mismatch (brokers of the bootstrap list that belong to another
 * cluster, refused): the client keeps working with its own cluster, and with no broker of it left the rules above
 * turn DOWN. Any thread may call it.
 */
public class KwireHealthIndicator implements HealthIndicator {

    private final KwireClient client;
    private final Clock clock;

    public KwireHealthIndicator(KwireClient client) {
        this(client, Clock.systemUTC());
    }

    public KwireHealthIndicator(KwireClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    @Override
    public Health health() {
        ClientStatus status = client.status();
        Health.Builder builder = decide(status);
        status.clusterId().ifPresent(id -> builder.withDetail("clusterId", id));
        if (status.controllerId() >= 0) {
            builder.withDetail("controller", status.controllerId());
        }
        builder.withDetail("brokers", status.brokerCount())
                .withDetail("readyConnections", status.readyNodeCount())
                .withDetail("connectingConnections", status.connectingNodeCount())
                .withDetail("connectionsByClass", byClass(status));
        status.lastMetadataUpdate().ifPresent(at -> builder.withDetail("metadataAge", age(at).toString()));
        status.lastError().ifPresent(error -> builder.withDetail("lastError", error));
        status.lastErrorTime().ifPresent(at -> builder.withDetail("lastErrorTime", at.toString()));
        status.credentialProblem().ifPresent(problem -> builder.withDetail("credentialProblem", problem));
        status.clusterMismatch().ifPresent(mismatch -> builder.withDetail("clusterMismatch", mismatch));
        status.tls().ifPresent(tls -> builder.withDetail("tls", tls(tls)));
        return builder.build();
    }

    /** {@code {control={ready=1, connecting=0}, produce=...}}: every class, in order. */
    private static java.util.Map<String, java.util.Map<String, Integer>> byClass(ClientStatus s) {
        java.util.Map<String, java.util.Map<String, Integer>> out = new java.util.LinkedHashMap<>();
        for (ConnectionClass c : ConnectionClass.values()) {
            ConnectionCounts n = s.connections(c);
            out.put(c.tag(), java.util.Map.of("ready", n.ready(), "connecting", n.settingUp()));
        }
        return out;
    }

    private static Map<String, Object> tls(TlsStatus tls) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("engine", tls.engine());
        details.put("watchedFiles", tls.watchedFiles().stream().map(Path::toString).toList());
        details.put("reloads", tls.reloads());
        tls.lastReload().ifPresent(at -> details.put("lastReload", at.toString()));
        tls.lastReloadError().ifPresent(error -> details.put("lastReloadError", error));
        tls.lastReloadErrorTime().ifPresent(at -> details.put("lastReloadErrorTime", at.toString()));
        return details;
    }

    private Health.Builder decide(ClientStatus s) {
        if (!s.running()) {
            return Health.down().withDetail("reason", "client is not running");
        }
        if (s.lastMetadataUpdate().isEmpty()) {
            return s.lastError().isPresent()
                    ? Health.down().withDetail("reason", "no metadata yet; cannot reach a bootstrap server")
                    : Health.unknown().withDetail("reason", "bootstrapping: no metadata yet");
        }
        // The client keeps one connection ready whenever it can, so "nothing ready" only counts when connections
        // have also failed since the last metadata arrived: an idle client, or one that reconnected and refreshed
        // its metadata since an old failure, is UP.
        if (s.readyNodeCount() > 0 || !errorSince(s.lastErrorTime(), s.lastMetadataUpdate().get())) {
            return Health.up();
        }
        return Health.down().withDetail("reason", "no broker connection is ready and connections have failed since "
                + "the last metadata: " + s.lastError().orElse("unknown error"));
    }

    private static boolean errorSince(Optional<Instant> errorTime, Instant metadataTime) {
        return errorTime.isPresent() && errorTime.get().isAfter(metadataTime);
    }

    private Duration age(Instant at) {
        Duration age = Duration.between(at, clock.instant());
        return age.isNegative() ? Duration.ZERO : age;
    }
}
