package io.kwire.spring.boot.autoconfigure.metrics;

import io.kwire.KwireClient;
import io.kwire.client.ClientStatus;
import io.kwire.client.ConnectionClass;
import io.kwire.client.KafkaClientConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.ToDoubleFunction;

/**
 * Binds the kwire client's meters to a registry: gauges read from the client's cached {@link ClientStatus}
 * ({@code kwire.client.connections} by {@code state} ready/connecting, {@code kwire.client.brokers},
 * {@code kwire.client.class.connections} by {@code class} (control, produce, fetch, slow) and {@code state},
 * {@code kwire.client.requests.in.flight}, {@code kwire.client.metadata.age} in seconds) and the event meters
 * recorded by {@link KwireMetricsObserver} (see there). All tagged {@code client.name} (the client's bean name,
 * unique in the context even when two clients share a {@code client.id}), {@code client.id}, and {@code group}
 * with the client's {@code metricGroupPrefix} when one is set (kafka-python's way of telling a producer's client
 * from a consumer's); no node tags. When several clients share a registry, give all of them a prefix or none, so
 * each meter name keeps one set of tag keys (Prometheus requires it).
 *
 * <p>Gauges are read on the registry's publishing thread; {@code status()} is cheap and does no I/O.
 */
public class KwireClientMetrics implements MeterBinder {

    private final KwireClient client;
    private final KwireMetricsObserver observer;
    private final Tags tags;
    private final Clock clock;

    /**
     * Meters tagged with {@code name} (the client's bean name) and from the client's configuration
     * ({@link #tags(String, KafkaClientConfig)}).
     */
    public KwireClientMetrics(String name, KwireClient client, KwireMetricsObserver observer) {
        this(client, observer, tags(name, client.config()), Clock.systemUTC());
    }

    /**
     * @param observer the observer in the client's configuration, whose meters are bound with the gauges, or
     *                 {@code null} to bind the gauges alone
     */

    public KwireClientMetrics(KwireClient client, KwireMetricsObserver observer, Tags tags, Clock clock) {
        this.client = client;
        this.observer = observer;
        this.tags = tags;
        this.clock = clock;
    }

    /**
     * {@code client.name}, {@code client.id}, and {@code group} when {@link KafkaClientConfig#metricGroupPrefix()}
     * is not empty.
     */
    public static Tags tags(String name, KafkaClientConfig config) {
        Tags tags = Tags.of("client.name", name, "client.id", config.clientId());
        return config.metricGroupPrefix().isEmpty() ? tags : tags.and("group", config.metricGroupPrefix());
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        gauge(registry, "kwire.client.connections", tags.and("state", "ready"), null,
                "Broker connections by state", c -> status(c).readyNodeCount());
        gauge(registry, "kwire.client.connections", tags.and("state", "connecting"), null,
                "Broker connections by state", c -> status(c).connectingNodeCount());
        for (ConnectionClass cls : ConnectionClass.values()) {
            gauge(registry, "kwire.client.class.connections", tags.and("class", cls.tag(), "state", "ready"), null,
                    "Broker connections by connection class and state", c -> status(c).connections(cls).ready());
            gauge(registry, "kwire.client.class.connections", tags.and("class", cls.tag(), "state", "connecting"),
                    null, "Broker connections by connection class and state",
                    c -> status(c).connections(cls).settingUp());
        }
        gauge(registry, "kwire.client.brokers", tags, null, "Brokers in the latest metadata",
                c -> status(c).brokerCount());
        gauge(registry, "kwire.client.requests.in.flight", tags, null, "Requests sent and not yet answered",
                KwireClient::inFlightRequestCount);
        gauge(registry, "kwire.client.metadata.age", tags, "seconds", "Time since metadata last arrived",
                this::metadataAgeSeconds);
        if (observer != null) {
            observer.bindTo(registry, tags);
        }
    }

    private void gauge(MeterRegistry registry, String name, Tags tags, String unit, String description,
                       ToDoubleFunction<KwireClient> value) {
        Gauge.builder(name, client, c -> {
            try {
                return value.applyAsDouble(c);
            } catch (RuntimeException e) {
                // A client that is closed or not yet started has nothing to report.
                return Double.NaN;
            }
        }).tags(tags).baseUnit(unit).description(description).register(registry);
    }

    private static ClientStatus status(KwireClient client) {
        return client.status();
    }

    private double metadataAgeSeconds(KwireClient c) {
        Instant last = c.status().lastMetadataUpdate().orElse(null);
        if (last == null) {
            return Double.NaN;
        }
        Duration age = Duration.between(last, clock.instant());
        return Math.max(0, age.toNanos() / 1e9);
    }
}
