package io.kwire.spring.boot.autoconfigure.observation;

import io.kwire.KwireClient;
import io.kwire.client.ClientStatus;
import io.kwire.client.ClusterMetadata;
import io.kwire.client.ConnectionClass;
import io.kwire.client.ConnectionState;
import io.kwire.client.KafkaClientConfig;
import io.kwire.client.RequestListener;
import io.kwire.protocol.ApiRequest;
import io.kwire.protocol.ApiResponse;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLContext;

/**
 * A {@link KwireClient} whose every request is an {@link Observation} ({@value DefaultKwireRequestObservationConvention#NAME}):
 * started on the caller's thread, so the caller's current observation or span is its parent, and stopped on the
 * thread that ends the request (the I/O thread, just before the request's future completes), with the node,
 * version and correlation id the request went out with. Everything else goes to the client it wraps. When the
 * registry does not observe (no handler, or the observation is disabled, e.g. by
 * {@code management.observations.enable.kwire.client.request=false}) a request is sent as it would be unwrapped.
 *
 * <p>Thread-safe as the client it wraps.
 */
public final class ObservedKwireClient implements KwireClient {

    private final KwireClient delegate;
    private final String clientName;
    private final ObservationRegistry registry;
    private final KwireRequestObservationConvention convention;

    /**
     * @param clientName the client's bean name, the {@code client.name} key value
     * @param convention the application's convention, or {@code null} for the default one
     */
    public ObservedKwireClient(KwireClient delegate, String clientName, ObservationRegistry registry,
                               KwireRequestObservationConvention convention) {
        this.delegate = delegate;
        this.clientName = clientName;
        this.registry = registry;
        this.convention = convention;
    }

    /** The client whose requests this one observes. */
    public KwireClient delegate() {
        return delegate;
    }

    @Override
    public <R extends ApiResponse> CompletableFuture<R> send(ApiRequest<R> request) {
        return observe(request, ANY_NODE, null, null);
    }

    @Override
    public <R extends ApiResponse> CompletableFuture<R> send(int nodeId, ApiRequest<R> request) {
        return observe(request, nodeId, null, null);
    }

    @Override
    public <R extends ApiResponse> CompletableFuture<R> send(ApiRequest<R> request, RequestListener listener) {
        return observe(request, ANY_NODE, null, listener);
    }

    @Override
    public <R extends ApiResponse> CompletableFuture<R> send(int nodeId, ApiRequest<R> request,
                                                             RequestListener listener) {
        return observe(request, nodeId, null, listener);
    }

    @Override
    public <R extends ApiResponse> CompletableFuture<R> send(ApiRequest<R> request, ConnectionClass connectionClass) {
        return observe(request, ANY_NODE, Objects.requireNonNull(connectionClass, "connectionClass"), null);
    }

    @Override
    public <R extends ApiResponse> CompletableFuture<R> send(int nodeId, ApiRequest<R> request,
                                                             ConnectionClass connectionClass) {
        return observe(request, nodeId, Objects.requireNonNull(connectionClass, "connectionClass"), null);
    }

    @Override
    public <R extends ApiResponse> CompletableFuture<R> send(int nodeId, ApiRequest<R> request,
                                                             ConnectionClass connectionClass,
                                                             RequestListener listener) {
        return observe(request, nodeId, connectionClass, listener);
    }

    private <R extends ApiResponse> CompletableFuture<R> observe(ApiRequest<R> request, int nodeId,
                                                                 ConnectionClass connectionClass,
                                                                 RequestListener callers) {
        Observation observation = Observation.createNotStarted(convention,
                DefaultKwireRequestObservationConvention.INSTANCE,
                () -> new KwireRequestObservationContext(request.apiKey(), delegate.config().clientId(), clientName),
                registry);
        if (observation.isNoop()) {
            return sendOn(nodeId, request, connectionClass, callers);
        }
        observation.start();
        ObservedRequest observed = new ObservedRequest(observation, callers);
        try {
            return sendOn(nodeId, request, connectionClass, observed);
        } catch (RuntimeException | Error e) {
            observed.ended(e); // the client threw instead of failing the future: the observation ends here
            throw e;
        }
    }

    private <R extends ApiResponse> CompletableFuture<R> sendOn(int nodeId, ApiRequest<R> request,
                                                                ConnectionClass connectionClass,
                                                                RequestListener listener) {
        if (listener != null) {
            return delegate.send(nodeId, request, connectionClass, listener);
        }
        if (connectionClass != null) {
            return nodeId == ANY_NODE ? delegate.send(request, connectionClass)
                    : delegate.send(nodeId, request, connectionClass);
        }
        return nodeId == ANY_NODE ? delegate.send(request) : delegate.send(nodeId, request);
    }

    /** Fills the context as the request goes and stops the observation when it ends; passes both on to the caller's. */
    private static final class ObservedRequest implements RequestListener {

        private final Observation observation;
        private final KwireRequestObservationContext context;
        private final RequestListener callers;

        ObservedRequest(Observation observation, RequestListener callers) {
            this.observation = observation;
            this.context = (KwireRequestObservationContext) observation.getContext();
            this.callers = callers;
        }

        @Override
        public void sentAs(int nodeId, short version, int correlationId) {
            context.sentAs(nodeId, version, correlationId);
            if (callers != null) {
                callers.sentAs(nodeId, version, correlationId);
            }
        }

        @Override
        public void ended(Throwable error) {
            try {
                context.ended(error);
                if (error != null) {
                    observation.error(error);
                }
                observation.stop();
            } finally {
                if (callers != null) {
                    callers.ended(error);
                }
            }
        }
    }

    @Override
    public void start() {
        delegate.start();
    }

    @Override
    public boolean isRunning() {
        return delegate.isRunning();
    }

    @Override
    public KafkaClientConfig config() {
        return delegate.config();
    }

    @Override
    public ClusterMetadata cluster() {
        return delegate.cluster();
    }

    @Override
    public CompletableFuture<ClusterMetadata> addTopic(String topic) {
        return delegate.addTopic(topic);
    }

    @Override
    public boolean awaitReady(Duration timeout) throws InterruptedException {
        return delegate.awaitReady(timeout);
    }

    @Override
    public ClientStatus status() {
        return delegate.status();
    }

    @Override
    public Map<Integer, ConnectionState> connectionStates() {
        return delegate.connectionStates();
    }

    @Override
    public int inFlightRequestCount() {
        return delegate.inFlightRequestCount();
    }

    @Override
    public void updateSslContext(SSLContext context) {
        delegate.updateSslContext(context);
    }

    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public void close(Duration gracePeriod) {
        delegate.close(gracePeriod);
    }

    @Override
    public String toString() {
        return "ObservedKwireClient{" + clientName + ": " + delegate + "}";
    }
}
