package io.kwire;

import io.kwire.client.ClientObserver;
import io.kwire.client.ClientStatus;
import io.kwire.client.ClusterMetadata;
import io.kwire.client.ConnectionClass;
import io.kwire.client.ConnectionState;
import io.kwire.client.KafkaClientConfig;
import io.kwire.client.Node;
import io.kwire.client.RequestListener;
import io.kwire.client.Time;
import io.kwire.client.UnavailableNodePolicy;
import io.kwire.errors.ClientClosedException;
import io.kwire.errors.KwireException;
import io.kwire.errors.KwireTimeoutException;
import io.kwire.errors.QueueFullException;
import io.kwire.internal.network.EngineView;
import io.kwire.internal.network.NetworkEngine;
import io.kwire.protocol.ApiRequest;
import io.kwire.protocol.ApiResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link KwireClient} on one {@link NetworkEngine} and one I/O thread. Other threads only touch the submission
 * queue, the wakeup flag, the {@link Lifecycle} (changed under {@code lifecycleLock}) and volatile status fields;
 * everything else belongs to the I/O thread, except that {@code close()} closes the engine itself when no I/O
 * thread was ever started.
 *
 * <p>Requests for a node that is not ready yet wait here (connecting it meanwhile) until it is, or until the
 * request timeout passes; requests for "any node" go to the least-loaded node when one is ready. A request whose node
 * cannot be had now (its last connection attempt failed and it is backing off) fails at once with that failure,
 * under {@link UnavailableNodePolicy#FAIL_FAST} always, under {@link UnavailableNodePolicy#WAIT} when the failure is
 * not retriable or the back-off outlasts the request's deadline.
 *
 * <p>Every future handed out completes: whoever takes a {@link Task} from the queue either runs it or fails it,
 * and a submitter that finds the client {@linkplain Lifecycle#ended() ended} after queuing its task drains the
 * queue itself, since no I/O thread will. If the I/O thread dies on an unexpected throwable, the client ends
 * {@link Lifecycle#FAILED}: what it held fails at once, and so does every later submission, with a
 * {@link ClientClosedException} naming the cause.
 *
 * <p>Long on purpose: the lifecycle and the queues it guards (submissions, waiting requests, topic waiters) stay in
 * one class, so that the argument that every future completes exactly once, whatever the order of start, close,
 * submissions and an I/O thread's death, can be read in one place.
 */
final class DefaultKwireClient implements KwireClient {

    private static final Logger log = LoggerFactory.getLogger(DefaultKwireClient.class);
    private static final long IDLE_POLL_MS = 1_000;
    /**
     * What {@code close(grace)} waits beyond the grace period for the I/O thread to fail what is left (bounded by
     * {@code maxQueuedRequests}), and again after interrupting a thread held by a callback: it returns within the grace
     * period plus twice this.
     */
    static final long CLOSE_MARGIN_MS = 1_000;
    private static final long STATUS_INTERVAL_NANOS = 20_000_000L;

    /** Where the client is in its life. Changes only under {@code lifecycleLock}; read by any thread. */
    private enum Lifecycle {
        /** Created, not started: submissions queue up for the I/O thread {@code start()} creates. */
        NEW,
        /** The I/O thread runs and takes submissions. */
        RUNNING,
        /** {@code close()} was called: no new submissions; the I/O thread finishes what it holds. */
        CLOSING,
        /** Closed; the I/O thread, if there was one, has stopped or is stopping. */
        CLOSED,
        /** The I/O thread died on an unexpected throwable; closed like {@link #CLOSED}, naming the cause. */
        FAILED;

        boolean accepts() {
            return this == NEW || this == RUNNING;
        }

        /** No I/O thread will take anything from the submission queue any more. */
        boolean ended() {
            return this == CLOSED || this == FAILED;
        }
    }

    /** Work handed in by another thread; always knows its future, so whoever cannot run it fails it. */
    private sealed interface Task permits Submission, TopicTask {
        CompletableFuture<?> future();

        default void fail(KwireException e) {
            future().completeExceptionally(e);
        }
    }

    /** A request handed in by {@link #send}, with the connection class it travels on, decided once at submission. */
    private record Submission(int nodeId, ApiRequest<ApiResponse> request, ConnectionClass connectionClass,
                              CompletableFuture<ApiResponse> future, long deadlineNanos) implements Task { }

    /** A topic to track in metadata, handed in by {@link #addTopic}. */
    private record TopicTask(String topic, CompletableFuture<ClusterMetadata> future) implements Task { }

    private final KafkaClientConfig config;
    private final NetworkEngine engine;
    private final EngineView view;
    private final RequestBudget budget;
    /** {@link UnavailableNodePolicy#FAIL_FAST}: requests for a node that cannot be had now fail at once. */
    private final boolean failFast;
    private final Time time;
    private final ConcurrentLinkedQueue<Task> submissions = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean wakeupArmed = new AtomicBoolean();
    private final List<Submission> waiting = new ArrayList<>();
    private final List<TopicTask> awaitingMetadata = new ArrayList<>();
    private final Object lifecycleLock = new Object();
    private Thread ioThread;
    private long lastPublishNanos;
    private boolean statusStale;
    private volatile Lifecycle lifecycle = Lifecycle.NEW;
    /** Why the I/O thread died; written before {@link #lifecycle} becomes {@link Lifecycle#FAILED}. */
    private volatile Throwable ioFailure;
    /** Meaningful while {@link #lifecycle} is CLOSING; written before it becomes CLOSING. */
    private volatile long closeDeadlineNanos;
    private volatile ClientStatus status;
    private volatile int inFlight;
    private volatile java.util.Map<Integer, ConnectionState> connectionStates = java.util.Map.of();

    DefaultKwireClient(KafkaClientConfig config, NetworkEngine engine) {
        this.config = config;
        this.engine = engine;
        this.view = engine.view();
        this.budget = new RequestBudget(config.maxQueuedRequests(), config.maxQueuedBytes(),
                config.queueFullWait().toNanos());
        this.failFast = config.unavailableNodePolicy() == UnavailableNodePolicy.FAIL_FAST;
        this.time = config.time();
        this.status = initialStatus(false);
    }

    private static ClientStatus initialStatus(boolean running) {
        return ClientStatus.builder().running(running).build();
    }

    @Override
    public void start() {
        synchronized (lifecycleLock) {
            if (ioThread != null) {
                return;
            }
            if (lifecycle != Lifecycle.NEW) {
                throw new ClientClosedException("The client is closed and cannot be started again");
            }
            lifecycle = Lifecycle.RUNNING;
            status = initialStatus(true); // running from now on, before the I/O thread's first snapshot
            ioThread = new Thread(this::run, "kwire-io-" + config.clientId());
            ioThread.setDaemon(true);
            ioThread.start();
        }
    }

    @Override
    public boolean isRunning() {
        Lifecycle l = lifecycle;
        return l == Lifecycle.RUNNING || l == Lifecycle.CLOSING;
    }

    @Override
    public KafkaClientConfig config() {
        return config;
    }

    @Override
    public <R extends ApiResponse> CompletableFuture<R> send(ApiRequest<R> request) {
        return submit(ANY_NODE, request, null, null);
    }

    @Override
    public <R extends ApiResponse> CompletableFuture<R> send(int nodeId, ApiRequest<R> request) {
        return submit(nodeId, request, null, null);
    }

    @Override
    public <R extends ApiResponse> CompletableFuture<R> send(int nodeId, ApiRequest<R> request,
                                                             ConnectionClass connectionClass) {
        return submit(nodeId, request, Objects.requireNonNull(connectionClass, "connectionClass"), null);
    }

    @Override
    public <R extends ApiResponse> CompletableFuture<R> send(ApiRequest<R> request, ConnectionClass connectionClass) {
        return submit(ANY_NODE, request, Objects.requireNonNull(connectionClass, "connectionClass"), null);
    }

    @Override
    public <R extends ApiResponse> CompletableFuture<R> send(ApiRequest<R> request, RequestListener listener) {
        return submit(ANY_NODE, request, null, Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public <R extends ApiResponse> CompletableFuture<R> send(int nodeId, ApiRequest<R> request,
                                                             RequestListener listener) {
        return submit(nodeId, request, null, Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public <R extends ApiResponse> CompletableFuture<R> send(int nodeId, ApiRequest<R> request,
                                                             ConnectionClass connectionClass,
                                                             RequestListener listener) {
        return submit(nodeId, request, connectionClass, listener);
    }

    /**
     * @param override null for the request's own class
     * @param listener null for none: then the request costs nothing more than before listeners existed
     */
    @SuppressWarnings("unchecked")
    private <R extends ApiResponse> CompletableFuture<R> submit(int nodeId, ApiRequest<R> request,
                                                                ConnectionClass override, RequestListener listener) {
        if (!lifecycle.accepts()) {
            return refused(refusal(), listener);
        }
        long weight = request.apiKey().requestCarriesBytes()
                ? request.splicedSize(request.apiKey().highestSupportedVersion(), 0) : 0;
        try {
            budget.acquire(weight, Thread.currentThread() != ioThread);
        } catch (QueueFullException e) {
            return refused(e, listener);
        }
        // Returns its share (and tells the listener) however it ends, whoever completes it, before the caller's
        // callbacks run.
        CompletableFuture<R> future = new RequestBudget.BudgetedFuture<>(budget, weight, listener);
        long deadline = time.nanoTime() + config.requestTimeout().toNanos();
        enqueue(new Submission(nodeId, (ApiRequest<ApiResponse>) request, engine.route(request, override),
                (CompletableFuture<ApiResponse>) future, deadline));
        return future;
    }

    /** A future failed on the caller's thread, the listener (if any) told first. */
    private static <R> CompletableFuture<R> refused(KwireException e, RequestListener listener) {
        if (listener != null) {
            RequestBudget.BudgetedFuture.tell(listener, e);
        }
        return CompletableFuture.failedFuture(e);
    }

    private void enqueue(Task task) {
        submissions.add(task);
        if (lifecycle.ended()) {
            // The client ended while we queued: the I/O thread (if any) has drained the queue for the last time or
            // is about to, but it may have missed this task, and nobody else will look.
            failQueued();
        } else {
            signal();
        }
    }

    private void signal() {
        if (wakeupArmed.compareAndSet(true, false)) {
            engine.wakeup();
        }
    }

    @Override
    public void updateSslContext(SSLContext context) {
        engine.transports().updateSslContext(context);
        engine.wakeup(); // connections recycled on rotation move over now, not at the next idle poll
    }

    @Override
    public ClusterMetadata cluster() {
        return engine.metadata().cluster();
    }

    @Override
    public CompletableFuture<ClusterMetadata> addTopic(String topic) {
        Objects.requireNonNull(topic, "topic");
        CompletableFuture<ClusterMetadata> f = new CompletableFuture<>();
        if (!lifecycle.accepts()) {
            f.completeExceptionally(refusal());
            return f;
        }
        enqueue(new TopicTask(topic, f));
        return f;
    }

    @Override
    public boolean awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            ClientStatus s = status;
            if (s.lastMetadataUpdate().isPresent() && s.readyNodeCount() > 0) {
                return true;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0 || !isRunning()) {
                return false;
            }
            Thread.sleep(Math.min(10, Math.max(1, TimeUnit.NANOSECONDS.toMillis(left))));
        }
    }

    @Override
    public ClientStatus status() {
        return status;
    }

    @Override
    public java.util.Map<Integer, ConnectionState> connectionStates() {
        return connectionStates;
    }

    @Override
    public int inFlightRequestCount() {
        return inFlight;
    }

    @Override
    public void close() {
        close(config.requestTimeout());
    }

    /**
     * Stops accepting requests, waits up to {@code gracePeriod} for the I/O thread to finish what it holds, then
     * fails the rest. Called on the I/O thread itself (from a future's callback or an observer), it cannot wait
     * for anything, since the thread it would wait for is its own: it returns at once, and as soon as the
     * callback returns the I/O thread fails what is still queued, waiting or in flight and closes the
     * connections. Closing a client whose I/O thread has died only releases what is left.
     */
    @Override
    public void close(Duration gracePeriod) {
        Thread thread;
        boolean closesUnstarted = false;
        synchronized (lifecycleLock) {
            thread = ioThread;
            boolean onIoThread = thread != null && Thread.currentThread() == thread;
            long deadline = time.nanoTime() + (onIoThread ? 0 : gracePeriod.toNanos());
            switch (lifecycle) {
                case NEW -> {
                    lifecycle = Lifecycle.CLOSED;
                    closesUnstarted = true;
                }
                case RUNNING -> {
                    closeDeadlineNanos = deadline; // before the state: the I/O thread reads them in that order
                    lifecycle = Lifecycle.CLOSING;
                }
                case CLOSING -> {
                    if (deadline - closeDeadlineNanos < 0) {
                        closeDeadlineNanos = deadline; // the earliest deadline of concurrent closes wins
                    }
                }
                default -> { } // already closed, or the I/O thread died
            }
            if (onIoThread) {
                return; // the loop finishes the close right after the current callback returns
            }
        }
        if (closesUnstarted) {
            engine.close(); // no I/O thread was ever started, and now none will be: this thread may touch it
            failQueued();
            return;
        }
        if (thread == null) {
            failQueued(); // closed meanwhile by another thread, before any start
            return;
        }
        engine.wakeup();
        try {
            // Waits for the thread itself to end, not for a signal from its last act, so that close() leaves no
            // thread behind (a latch counted down in finish() let close() return while the thread was still alive).
            long graceMs = gracePeriod.toMillis();
            thread.join(graceMs > Long.MAX_VALUE - CLOSE_MARGIN_MS ? Long.MAX_VALUE : graceMs + CLOSE_MARGIN_MS);
            if (thread.isAlive()) {
                log.warn("kwire I/O thread did not stop within the grace period; interrupting it");
                thread.interrupt();
                thread.join(CLOSE_MARGIN_MS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        failQueued();
    }

    // ---------------------------------------------------------------- the I/O thread

    private void run() {
        Throwable failure = null;
        try {
            loop();
        } catch (Throwable e) {
            failure = e;
            log.error("kwire's I/O thread stopped; its requests and any later ones fail: close and recreate the "
                    + "client", e);
        } finally {
            finish(failure);
        }
    }

    private void loop() {
        while (true) {
            drainSubmissions();
            dispatchWaiting();
            keepOneConnectionWarm();
            if (lifecycle != Lifecycle.RUNNING && ((waiting.isEmpty() && view.inFlightRequestCount() == 0)
                    || closeDeadlinePassed(time.nanoTime()))) {
                return;
            }
            wakeupArmed.set(true);
            long timeout = submissions.isEmpty() ? pollTimeoutMs() : 0;
            engine.poll(timeout, null, false);
            wakeupArmed.set(false);
            long now = time.nanoTime();
            if (now - lastPublishNanos >= STATUS_INTERVAL_NANOS) {
                lastPublishNanos = now;
                statusStale = false;
                publishStatus(); // bounded rate: the status snapshot is the only allocation of an idle loop
            } else {
                statusStale = true;
            }
        }
    }

    private boolean closeDeadlinePassed(long now) {
        return lifecycle == Lifecycle.CLOSING && now - closeDeadlineNanos >= 0;
    }

    /**
     * Ends the client once the loop has stopped, normally or not: fails everything still held here, closes the
     * engine (which fails what is in flight) and publishes a status that is not running. Each step is
     * guarded, since after a failure the client may be what breaks again, and whoever waits in {@link #close}
     * must be released.
     */
    private void finish(Throwable failure) {
        synchronized (lifecycleLock) {
            ioFailure = failure;
            lifecycle = failure == null ? Lifecycle.CLOSED : Lifecycle.FAILED;
        }
        for (Submission s : waiting) {
            if (failure != null) {
                s.fail(ioThreadStopped(failure)); // the engine may be what broke: tell nobody else
                continue;
            }
            try {
                failUnsent(s, s.nodeId(), new ClientClosedException("The client was closed before "
                        + s.request().apiKey().displayName() + " could be sent"));
            } catch (Throwable e) { // an observer's Error must not keep the rest from failing
                s.fail(new ClientClosedException("The client was closed", e));
                log.error("The observer failed while the client closed", e);
            }
        }
        waiting.clear();
        for (TopicTask t : new ArrayList<>(awaitingMetadata)) {
            t.fail(failure != null ? ioThreadStopped(failure)
                    : new ClientClosedException("The client was closed before metadata arrived"));
        }
        awaitingMetadata.clear();
        try {
            engine.close();
        } catch (RuntimeException | Error e) {
            log.error("Closing kwire's connections failed", e);
        }
        failQueued();
        publishFinalStatus(failure);
    }

    private void publishFinalStatus(Throwable failure) {
        try {
            publishStatus();
        } catch (RuntimeException | Error e) {
            log.debug("Could not take the final status snapshot: {}", e.toString()); // the last one stays
        }
        ClientStatus.Builder s = status.toBuilder().running(false);
        if (failure != null) {
            s.lastError(ioThreadStopped(failure).getMessage(), Instant.ofEpochMilli(time.currentTimeMillis()));
        }
        status = s.build();
    }

    private long pollTimeoutMs() {
        if (statusStale) {
            return STATUS_INTERVAL_NANOS / 1_000_000; // come back soon to publish what changed
        }
        if (waiting.isEmpty()) {
            return lifecycle == Lifecycle.RUNNING ? IDLE_POLL_MS : 10;
        }
        return 50; // requests wait for a connection: poll wakes on connect anyway; this bounds deadline checks
    }

    private void drainSubmissions() {
        for (Task t; (t = submissions.poll()) != null; ) {
            if (t instanceof Submission s) {
                waiting.add(s);
            } else {
                track((TopicTask) t);
            }
        }
    }

    private void track(TopicTask t) {
        CompletableFuture<ClusterMetadata> metadata;
        try {
            metadata = engine.metadata().addTopic(t.topic());
        } catch (KwireException e) {
            t.fail(e);
            return;
        } catch (RuntimeException e) {
            t.fail(new KwireException("Could not track topic " + t.topic() + ": " + e, e));
            return;
        }
        awaitingMetadata.add(t);
        metadata.whenComplete((m, e) -> { // on the I/O thread: the engine completes it in poll or close
            awaitingMetadata.remove(t);
            if (e != null) {
                t.future().completeExceptionally(e);
            } else {
                t.future().complete(m);
            }
        });
    }

    private void dispatchWaiting() {
        if (waiting.isEmpty()) {
            return;
        }
        long now = time.nanoTime();
        if (closeDeadlinePassed(now)) {
            return; // nothing more is sent: what waits fails as the loop ends
        }
        Iterator<Submission> it = waiting.iterator();
        while (it.hasNext()) {
            Submission s = it.next();
            if (s.future().isDone()) {
                it.remove(); // cancelled by the caller
                continue;
            }
            long nowMs = engine.nowMs();
            int target = s.nodeId();
            if (target == ANY_NODE) {
                OptionalInt least = engine.leastLoadedNode(nowMs, s.connectionClass());
                if (least.isEmpty()) {
                    KwireException none = view.allKnownNodesUnavailable(nowMs) || now - s.deadlineNanos() >= 0
                            ? view.unavailable(waited(s, now)) : null;
                    if (none != null && (failFast || !none.isRetriable() || now - s.deadlineNanos() >= 0)) {
                        it.remove(); // no broker can be had: at once when the policy says so or waiting cannot mend
                        failUnsent(s, ANY_NODE, none);
                    }
                    continue;
                }
                target = least.getAsInt();
            }
            if (engine.trySend(target, s.connectionClass(), s.request(), s.future(), false)) {
                it.remove();
                continue;
            }
            KwireException unavailable = view.unavailableBecause(target, s.connectionClass(), nowMs);
            long backoffEnds = now + TimeUnit.MILLISECONDS.toNanos(view.backoffRemaining(target, nowMs));
            if (unavailable != null
                    && (failFast || !unavailable.isRetriable() || backoffEnds - s.deadlineNanos() >= 0)) {
                it.remove(); // the node cannot be had before the deadline, or the policy is to say so at once
                failUnsent(s, target, unavailable);
                continue;
            }
            engine.connect(target, s.connectionClass());
            if (now - s.deadlineNanos() >= 0) {
                it.remove();
                failUnsent(s, target, timedOut(s, target, now));
            }
        }
    }

    /**
     * Tells the observer of a request that was never sent, then fails it; on the I/O thread. The order of every
     * request's end: whoever sees the future fail finds the request already counted.
     */
    private void failUnsent(Submission s, int nodeId, KwireException error) {
        try {
            engine.reportUnsent(s.request().apiKey(), nodeId, s.deadlineNanos() - config.requestTimeout().toNanos(),
                    error);
        } finally { // an observer's Error still lets the future complete
            s.future().completeExceptionally(error);
        }
    }

    /** Requests the client holds unfinished; for tests. */
    int heldRequests() {
        return budget.requests();
    }

    /** How long a submission has waited, for error messages. */
    private Duration waited(Submission s, long nowNanos) {
        return Duration.ofNanos(nowNanos - s.deadlineNanos()).plus(config.requestTimeout());
    }

    /**
     * The error of a request whose deadline passed while its node was not ready: with no broker connected at all, the
     * same error as a request for any node; else a timeout naming the node's own last error.
     */
    private KwireException timedOut(Submission s, int target, long nowNanos) {
        if (s.nodeId() == ANY_NODE && view.establishedCount() == 0) {
            return view.unavailable(waited(s, nowNanos));
        }
        KwireException last = view.lastFailure(target);
        return new KwireTimeoutException(s.request().apiKey().displayName() + " could not be sent within "
                + config.requestTimeout().toMillis() + " ms: node " + (s.nodeId() == ANY_NODE ? "(any)" : s.nodeId())
                + " never became ready" + (last == null ? "" : " (last error: " + last.getMessage() + ")"), last);
    }

    /**
     * Keeps one broker connection ready once metadata is known, so that the first request does not pay for a
     * connection set-up and the health status reflects whether a broker is reachable right now. Bootstrap
     * connections are closed after the first metadata response, so without this an idle client has none.
     */
    private void keepOneConnectionWarm() {
        if (lifecycle != Lifecycle.RUNNING || engine.metadata().cluster().lastUpdate().isEmpty()
                || view.establishedCount() > 0) {
            return;
        }
        engine.leastLoadedNode(engine.nowMs()).ifPresent(engine::connect);
    }

    private void failQueued() {
        for (Task t; (t = submissions.poll()) != null; ) {
            t.fail(refusal());
        }
    }

    /** Why a submission is refused now that the client no longer accepts them. */
    private KwireException refusal() {
        Throwable failure = ioFailure;
        return failure != null ? ioThreadStopped(failure) : new ClientClosedException("The client is closed");
    }

    private static ClientClosedException ioThreadStopped(Throwable cause) {
        return new ClientClosedException("kwire's I/O thread stopped: " + cause + "; close and recreate the client",
                cause);
    }

    private void publishStatus() {
        ClusterMetadata m = engine.metadata().cluster();
        long errMs = view.lastErrorMs();
        inFlight = view.inFlightRequestCount() + waiting.size();
        connectionStates = view.states();
        status = ClientStatus.builder()
                .running(isRunning())
                .clusterId(m.clusterId().or(() -> Optional.ofNullable(engine.metadata().identity().clusterId()))
                        .orElse(null))
                .controllerId(m.controller().map(Node::id).orElse(-1))
                .brokerCount(m.brokers().size())
                .readyNodeCount(view.establishedCount())
                .connectingNodeCount(view.settingUpCount())
                .lastMetadataUpdate(m.lastUpdate().orElse(null))
                .metadataFresh(engine.metadata().isFresh(engine.nowMs()))
                .lastError(view.lastError().orElse(null), errMs == 0 ? null
                        : Instant.ofEpochMilli(time.currentTimeMillis() - (engine.nowMs() - errMs)))
                .credentialProblem(view.credentialProblem().orElse(null))
                .connectionsByClass(view.countsByClass())
                .tls(view.tlsStatus().orElse(null))
                .clusterMismatch(engine.metadata().identity().mismatchSummary().orElse(null))
                .build();
    }
}
