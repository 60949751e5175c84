package io.kwire.spring.boot.autoconfigure.metrics;

import io.kwire.client.ClientObserver;
import io.kwire.client.ClusterMetadata;
import io.kwire.client.Node;
import io.kwire.errors.KwireException;
import io.kwire.protocol.ApiKey;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * The {@link ClientObserver} that turns client events into Micrometer meters. It records nothing until
 * {@link KwireClientMetrics} binds it to a registry; then it records into every registry it was bound to.
 *
 * <p>Meters (all tagged {@code client.id}, and {@code group} when set, see {@link KwireClientMetrics}; other tags come from enums only, so cardinality stays bounded no matter
 * how many brokers there are — there is deliberately no node tag):
 * <ul>
 * <li>{@code kwire.client.requests} timer, tags {@code api}, {@code outcome} (the {@link Outcome} name) and
 * {@code sent} ({@code true}, or {@code false} for a request that ended before it was written: the core reports
 * those with version -1, and during an outage they are most of what happens);</li>
 * <li>{@code kwire.client.bytes.sent}, {@code kwire.client.bytes.received} counters (bytes), tag {@code api};</li>
 * <li>{@code kwire.client.connection.attempts} counter, tag {@code outcome} ({@code SUCCESS}, {@code FAILURE}:
 * upper case like the requests' outcomes); its {@code FAILURE} count is the number of failed attempts, so there
 * is no separate failures counter;</li>
 * <li>{@code kwire.client.connection.closed}, {@code kwire.client.authentication.failures},
 * {@code kwire.client.metadata.updates} counters;</li>
 * <li>{@code kwire.client.throttle.time} timer, tag {@code api} (KIP-219 broker throttling).</li>
 * </ul>
 *
 * <p>Called on the client's I/O thread. Meters are looked up once per (api, outcome) and cached in arrays, so a
 * request costs no allocation; the arrays are only written by the I/O thread, and a racing lookup would find the
 * same meter in the registry anyway.
 */
public final class KwireMetricsObserver implements ClientObserver {

    private static final int API_COUNT = ApiKey.values().length;
    private static final Outcome[] OUTCOMES = Outcome.values();

    private volatile Meters[] bound = new Meters[0];

    /** Starts recording into {@code registry}; called by {@link KwireClientMetrics#bindTo(MeterRegistry)}. */
    synchronized void bindTo(MeterRegistry registry, Tags tags) {
        for (Meters m : bound) {
            if (m.registry == registry) {
                return;
            }
        }
        Meters[] next = Arrays.copyOf(bound, bound.length + 1);
        next[bound.length] = new Meters(registry, tags);
        bound = next;
    }

    @Override
    public void connectionReady(Node node) {
        for (Meters m : bound) {
            m.attemptsSucceeded.increment();
        }
    }

    @Override
    public void connectionClosed(Node node, String reason) {
        for (Meters m : bound) {
            m.closed.increment();
        }
    }

    @Override
    public void connectionFailed(Node node, KwireException cause) {
        for (Meters m : bound) {
            m.attemptsFailed.increment();
        }
    }

    @Override
    public void authenticationFailed(Node node, KwireException cause) {
        for (Meters m : bound) {
            m.authenticationFailures.increment();
        }
    }

    @Override
    public void requestCompleted(ApiKey api, short version, int nodeId, long latencyNanos, int bytesSent,
                                 int bytesReceived, Outcome outcome) {
        for (Meters m : bound) {
            // Version -1: the request ended before it was sent (no node, timed out waiting, client closed).
            m.request(api, outcome, version >= 0).record(latencyNanos, TimeUnit.NANOSECONDS);
            if (bytesSent > 0) {
                m.bytesSent(api).increment(bytesSent);
            }
            if (bytesReceived > 0) {
                m.bytesReceived(api).increment(bytesReceived);
            }
        }
    }

    @Override
    public void throttled(int nodeId, ApiKey api, int throttleTimeMs) {
        for (Meters m : bound) {
            m.throttle(api).record(throttleTimeMs, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void metadataUpdated(ClusterMetadata metadata) {
        for (Meters m : bound) {
            m.metadataUpdates.increment();
        }
    }

    /** The meters of one registry. */
    private static final class Meters {

        final MeterRegistry registry;
        final Tags tags;
        final Counter attemptsSucceeded;
        final Counter attemptsFailed;
        final Counter closed;
        final Counter authenticationFailures;
        final Counter metadataUpdates;
        final Timer[] requests = new Timer[API_COUNT * OUTCOMES.length * 2];
        final Counter[] bytesSent = new Counter[API_COUNT];
        final Counter[] bytesReceived = new Counter[API_COUNT];
        final Timer[] throttle = new Timer[API_COUNT];

        Meters(MeterRegistry registry, Tags tags) {
            this.registry = registry;
            this.tags = tags;
            attemptsSucceeded = Counter.builder("kwire.client.connection.attempts").tags(tags).tag("outcome", "SUCCESS")
                    .description("Connection attempts to brokers, by whether the connection became ready")
                    .register(registry);
            attemptsFailed = Counter.builder("kwire.client.connection.attempts").tags(tags).tag("outcome", "FAILURE")
                    .description("Connection attempts to brokers, by whether the connection became ready")
                    .register(registry);
            closed = Counter.builder("kwire.client.connection.closed").tags(tags)
                    .description("Established connections closed by either side").register(registry);
            authenticationFailures = Counter.builder("kwire.client.authentication.failures").tags(tags)
                    .description("Connections on which the broker refused the client's credentials")
                    .register(registry);
            metadataUpdates = Counter.builder("kwire.client.metadata.updates").tags(tags)
                    .description("Cluster metadata snapshots received").register(registry);
        }

        Timer request(ApiKey api, Outcome outcome, boolean sent) {
            int i = (api.ordinal() * OUTCOMES.length + outcome.ordinal()) * 2 + (sent ? 1 : 0);
            Timer t = requests[i];
            if (t == null) {
                t = Timer.builder("kwire.client.requests").tags(tags).tag("api", api.name())
                        .tag("outcome", outcome.name()).tag("sent", Boolean.toString(sent))
                        .description("Requests from queueing to completion, by API and outcome")
                        .register(registry);
                requests[i] = t;
            }
            return t;
        }

        Counter bytesSent(ApiKey api) {
            Counter c = bytesSent[api.ordinal()];
            if (c == null) {
                c = Counter.builder("kwire.client.bytes.sent").tags(tags).tag("api", api.name()).baseUnit("bytes")
                        .description("Request bytes written, size prefix included").register(registry);
                bytesSent[api.ordinal()] = c;
            }
            return c;
        }

        Counter bytesReceived(ApiKey api) {
            Counter c = bytesReceived[api.ordinal()];
            if (c == null) {
                c = Counter.builder("kwire.client.bytes.received").tags(tags).tag("api", api.name()).baseUnit("bytes")
                        .description("Response bytes read, size prefix included").register(registry);
                bytesReceived[api.ordinal()] = c;
            }
            return c;
        }

        Timer throttle(ApiKey api) {
            Timer t = throttle[api.ordinal()];
            if (t == null) {
                t = Timer.builder("kwire.client.throttle.time").tags(tags).tag("api", api.name())
                        .description("Throttle time brokers asked for in responses (KIP-219)")
                        .register(registry);
                throttle[api.ordinal()] = t;
            }
            return t;
        }
    }

    @Override
    public String toString() {
        return "KwireMetricsObserver(" + bound.length + " registries)";
    }

}
