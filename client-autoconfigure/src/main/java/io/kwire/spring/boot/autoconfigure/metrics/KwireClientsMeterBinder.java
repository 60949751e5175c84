package io.kwire.spring.boot.autoconfigure.metrics;

import io.kwire.KwireClient;
import io.kwire.client.ClientObserver;
import io.kwire.spring.boot.autoconfigure.CompositeClientObserver;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Binds the meters of every {@link KwireClient} bean, each tagged with its bean name ({@link KwireClientMetrics}).
 * A client's event meters come from the {@link KwireMetricsObserver} in its own configuration, which the
 * auto-configuration puts into every configuration it builds; a client configured by hand without one gets the
 * gauges only, and a {@code KwireMetricsObserver} found in two clients' configurations is bound for the first
 * alone, since its events could not be told apart. Used on the thread that binds meter binders.
 */
public class KwireClientsMeterBinder implements MeterBinder {

    private static final Log logger = LogFactory.getLog(KwireClientsMeterBinder.class);

    private final List<KwireClientMetrics> clients = new ArrayList<>();

    /** @param clients the clients by bean name, in the order their meters are bound */
    public KwireClientsMeterBinder(Map<String, KwireClient> clients) {
        Set<KwireMetricsObserver> taken = Collections.newSetFromMap(new IdentityHashMap<>());
        clients.forEach((name, client) -> {
            KwireMetricsObserver observer = find(client.config().observer());
            if (observer == null) {
                logger.info("kwire client '" + name + "' has no KwireMetricsObserver in its configuration (it was not"
                        + " built by KwireClientFactory): only its gauges are bound");
            } else if (!taken.add(observer)) {
                logger.warn("kwire client '" + name + "' shares its KwireMetricsObserver with another client: only"
                        + " its gauges are bound; build each client's configuration with KwireClientFactory");
                observer = null;
            }
            this.clients.add(new KwireClientMetrics(name, client, observer));
        });
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (KwireClientMetrics client : clients) {
            client.bindTo(registry);
        }
    }

    /** The metrics observer in {@code observer}, itself or one of a composite's, or {@code null}. */
    static KwireMetricsObserver find(ClientObserver observer) {
        if (observer instanceof KwireMetricsObserver metrics) {
            return metrics;
        }
        if (observer instanceof CompositeClientObserver composite) {
            for (ClientObserver o : composite.observers()) {
                if (o instanceof KwireMetricsObserver metrics) {
                    return metrics;
                }
            }
        }
        return null;
    }
}
