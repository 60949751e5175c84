package io.kwire;

import io.kwire.client.ClientObserver;
import io.kwire.client.ClientStatus;
import io.kwire.client.ClusterMetadata;
import io.kwire.client.ConnectionClass;
import io.kwire.client.ConnectionState;
import io.kwire.client.KafkaClientConfig;
import io.kwire.client.RequestListener;
import io.kwire.errors.ClientClosedException;
import io.kwire.errors.KwireTimeoutException;
import io.kwire.internal.network.NetworkEngine;
import io.kwire.network.AuthenticatorFactory;
import io.kwire.network.TransportFactory;
import io.kwire.protocol.ApiRequest;
import io.kwire.protocol.ApiResponse;
import io.kwire.security.SecurityFactories;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLContext;

/**
 * The thread-safe face of kwire: owns one network engine and the I/O thread that polls it. Any thread may
 * send; futures complete on the I/O thread, so callers doing slow work chain with the {@code *Async} methods of
 * {@link CompletableFuture}. This is what the Spring bean exposes.
 *
 * <p>Submissions are handed to the I/O thread through a queue with one selector wakeup per batch, never one
 * per request. {@link #close(Duration)} stops accepting requests, lets in-flight ones finish within the grace
 * period, then fails whatever is left: every future completes exactly once.
 *
 * <p>Should the I/O thread die on an unexpected error, the client stops on its own: what it held and every later
 * request fail at once with a {@link ClientClosedException} naming the cause, and {@link #status()} reports it
 * not running, with the cause as its last error. Close it and create a new one.
 */
public interface KwireClient extends AutoCloseable {

    /** The node argument of {@link #send(int, ApiRequest, ConnectionClass, RequestListener)} that lets the client choose. */
    int ANY_NODE = ClientObserver.NO_NODE;

    /** A client that has not started yet; {@link #start()} starts its I/O thread. */
    static KwireClient create(KafkaClientConfig config) {
        SecurityPair security = SecurityPair.of(config);
        return create(config, security.transports(), security.authenticators());
    }

    /**
     * A client with its own transport and SASL exchange, for example SASL mechanisms registered by the application
     * or a Kerberos login shared by several clients ({@link SecurityFactories}). The client owns
     * both factories from here on and closes them with itself.
     */
    static KwireClient create(KafkaClientConfig config, TransportFactory transportFactory,
                              AuthenticatorFactory authenticatorFactory) {
        return new DefaultKwireClient(config,
                new NetworkEngine(config, transportFactory, authenticatorFactory, new SplittableRandom()));
    }

    /** Starts the I/O thread and begins bootstrapping; returns without waiting for a connection. */
    void start();

    boolean isRunning();

    KafkaClientConfig config();

    /**
     * Sends to the least-loaded ready node (connecting one if none is ready). Record batches and other byte fields
     * of 4 KiB or more are written by reference: leave their buffers unchanged until the future completes. When no
     * broker can be had (each failed its last connection attempt and is backing off), fails at once under
     * {@link io.kwire.client.UnavailableNodePolicy#FAIL_FAST}, and otherwise when the request timeout passes, with a
     * {@link io.kwire.errors.NoBrokersAvailableException} naming each address's failure, or the
     * {@link io.kwire.errors.AuthenticationException} when every broker refused the client's credentials.
     */
    <R extends ApiResponse> CompletableFuture<R> send(ApiRequest<R> request);

    /**
     * Sends to one node, waiting (while it connects) until it is ready; fails with {@link KwireTimeoutException},
     * naming the node's last connection error, if it is not ready within the request timeout. When the node cannot
     * be had now (its last connection attempt failed and it is backing off), fails at once with that failure as
     * {@link KafkaClientConfig#unavailableNodePolicy()} says, typed as {@link io.kwire.client.UnavailableNodePolicy}
     * lists (refused connect, set-up timeout, credentials or certificate refused, not a Kafka or TLS port), or a
     * {@link io.kwire.errors.KwireException} whose cause is what a set-up step threw.
     *
     * <p>The request travels on the node's connection of its {@link ConnectionClass} (a Metadata never waits behind
     * a long-poll Fetch), opened on first use; "ready" and "cannot be had" above are that connection's. Back-off is
     * the node's: after any of its connections failed to set up, no class connects until the back-off has passed.
     */
    <R extends ApiResponse> CompletableFuture<R> send(int nodeId, ApiRequest<R> request);

    /**
     * As {@link #send(int, ApiRequest)}, on the node's connection of class {@code connectionClass} instead of the
     * request's own ({@link KafkaClientConfig#connectionClassRoutes()}); the request waits for that connection. A
     * class without connections of its own ({@link KafkaClientConfig#connectionClasses()}) means the control
     * connection. The default implementation, for clients without connection classes (test doubles), sends as
     * {@link #send(int, ApiRequest)}.
     */
    default <R extends ApiResponse> CompletableFuture<R> send(int nodeId, ApiRequest<R> request,
                                                              ConnectionClass connectionClass) {
        return send(nodeId, request);
    }

    /** As {@link #send(ApiRequest)} on connections of class {@code connectionClass}; see the method above. */
    default <R extends ApiResponse> CompletableFuture<R> send(ApiRequest<R> request,
                                                              ConnectionClass connectionClass) {
        return send(request);
    }

    /**
     * {@link #send(ApiRequest)} with a listener that hears where the request went and how it ended, before its future
     * completes. The default implementation, for clients other than kwire's own, tells the listener only of the end,
     * after the future completed.
     */
    default <R extends ApiResponse> CompletableFuture<R> send(ApiRequest<R> request, RequestListener listener) {
        return endedAfter(send(request), listener);
    }

    /** {@link #send(int, ApiRequest)} with a listener, as {@link #send(ApiRequest, RequestListener)}. */
    default <R extends ApiResponse> CompletableFuture<R> send(int nodeId, ApiRequest<R> request,
                                                              RequestListener listener) {
        return endedAfter(send(nodeId, request), listener);
    }

    /**
     * The general form: {@link #send(ApiRequest, ConnectionClass)} or {@link #send(int, ApiRequest, ConnectionClass)}
     * with a listener. {@code nodeId} {@link #ANY_NODE} lets the client choose the node; a null
     * {@code connectionClass} means the request's own class; a null {@code listener} means none. A decorator that adds its own listener (tracing) sends
     * through this form, so the class chosen by its caller is kept.
     */
    default <R extends ApiResponse> CompletableFuture<R> send(int nodeId, ApiRequest<R> request,
                                                              ConnectionClass connectionClass,
                                                              RequestListener listener) {
        CompletableFuture<R> future = nodeId == ANY_NODE
                ? (connectionClass == null ? send(request) : send(request, connectionClass))
                : (connectionClass == null ? send(nodeId, request) : send(nodeId, request, connectionClass));
        return listener == null ? future : endedAfter(future, listener);
    }

    private static <R> CompletableFuture<R> endedAfter(CompletableFuture<R> future, RequestListener listener) {
        future.whenComplete((response, error) -> listener.ended(error));
        return future;
    }

    /** The latest cluster snapshot (empty before the first metadata response). */
    ClusterMetadata cluster();

    /** Tracks a topic in metadata; completes after the next metadata response. */
    CompletableFuture<ClusterMetadata> addTopic(String topic);

    /** Waits until metadata has arrived and at least one broker is ready; false on timeout. */
    boolean awaitReady(Duration timeout) throws InterruptedException;

    /** Cached health state, without network I/O. */
    ClientStatus status();

    /** The connection state of every node the client has tried, by node id (bootstrap addresses negative). */
    java.util.Map<Integer, ConnectionState> connectionStates();

    /**
     * Requests submitted and not yet answered, over all nodes, as of the I/O thread's last status refresh (at
     * most a few tens of milliseconds old).
     */
    int inFlightRequestCount();

    /**
     * Hands the client new TLS material, for example a certificate that was rotated: connections opened from now on
     * use {@code context} (with the configured protocols, ciphers and host name check), and with
     * {@link KafkaClientConfig#sslRecycleConnections()} the open ones are recycled onto it without failing a
     * request in flight. A later change of the TLS files the client watches, if any, replaces it in turn. Any thread
     * may call it.
     *
     * @throws io.kwire.errors.ConfigException when the client does not use TLS, or the context supports none of the
     *                                         configured protocols or not the configured ciphers
     * @throws io.kwire.errors.ClientClosedException when the client is closed
     */
    default void updateSslContext(SSLContext context) {
        throw new UnsupportedOperationException(getClass().getName() + " takes no new SSLContext");
    }

    /** Closes with the default grace period (the request timeout); see {@link #close(Duration)}. */
    @Override
    void close();

    /**
     * Stops accepting requests, waits up to {@code gracePeriod} for in-flight ones, then fails the rest. Returns
     * within {@code gracePeriod} plus 2 s whatever the client holds (at most {@code maxQueuedRequests}): 1 s for
     * the I/O thread to fail what is left, and 1 s more after interrupting it if a callback holds it up; such a
     * thread still fails what is left when the callback returns. The threads that may outlive it are a host-name
     * lookup blocked in the operating system's resolver and a SASL step blocked in a call that ignores interrupts (a
     * KDC request): daemons ({@code kwire-dns-*}, {@code kwire-sasl-*}) that end when that call returns.
     *
     * <p>Called on the I/O thread (from a future's callback or an observer), it cannot wait for in-flight
     * requests, since the thread that would finish them is the caller's own: it returns at once, and as soon as
     * the callback returns, the I/O thread fails whatever is still queued, waiting or in flight, closes the
     * connections and ends.
     */
    void close(Duration gracePeriod);
}
