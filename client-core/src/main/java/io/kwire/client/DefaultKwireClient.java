package io.kwire.client;

import io.kwire.network.ConnectionState;
import io.kwire.protocol.ApiRequest;
import io.kwire.protocol.ApiResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link KwireClient} on one {@link KafkaClient} and one I/O thread. Other threads only touch the submission
 * queue, the wakeup flag and volatile status fields; everything else belongs to the I/O thread.
 *
 * <p>Requests for a node that is not ready yet wait here (connecting it meanwhile) until it is, or until the
 * request timeout passes; requests for "any node" go to the least-loaded node when one is ready.
 */
final class DefaultKwireClient implements KwireClient {

    private static final Logger log = LoggerFactory.getLogger(DefaultKwireClient.class);
    private static final int ANY_NODE = Integer.MIN_VALUE;
    private static final long IDLE_POLL_MS = 1_000;
    private static final long STATUS_INTERVAL_NANOS = 20_000_000L;

    /** A request handed in by another thread. */
    private static final class Submission {
        final int nodeId;
        final ApiRequest<ApiResponse> request;
        final CompletableFuture<ApiResponse> future;
        final long deadlineNanos;

        Submission(int nodeId, ApiRequest<ApiResponse> request, CompletableFuture<ApiResponse> future, long deadlineNanos) {
            this.nodeId = nodeId;
            this.request = request;
            this.future = future;
            this.deadlineNanos = deadlineNanos;
        }
    }

    private final KafkaClientConfig config;
    private final KafkaClient client;
    private final Time time;
    private final ConcurrentLinkedQueue<Object> submissions = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean wakeupArmed = new AtomicBoolean();
    private final List<Submission> waiting = new ArrayList<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Object lifecycleLock = new Object();
    private Thread ioThread;
    private long lastPublishNanos;
    private boolean statusStale;
    private volatile boolean accepting = true;
    private volatile boolean running;
    private volatile long closeDeadlineNanos = Long.MAX_VALUE;
    private volatile ClientStatus status;
    private volatile int inFlight;
    private volatile java.util.Map<Integer, ConnectionState> connectionStates = java.util.Map.of();

    DefaultKwireClient(KafkaClientConfig config, KafkaClient client) {
        this.config = config;
        this.client = client;
        this.time = config.time();
        this.status = initialStatus(false);
    }

    private static ClientStatus initialStatus(boolean running) {
        return new ClientStatus(running, Optional.empty(), -1, 0, 0, 0, Optional.empty(), false,
                Optional.empty(), Optional.empty());
    }

    @Override
    public void start() {
        synchronized (lifecycleLock) {
            if (ioThread != null) {
                return;
            }
            if (!accepting) {
                throw new ClientClosedException("The client is closed and cannot be started again");
            }
            running = true;
            status = initialStatus(true); // running from now on, before the I/O thread's first snapshot
            ioThread = new Thread(this::run, "kwire-io-" + config.clientId());
            ioThread.setDaemon(true);
            ioThread.start();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public KafkaClientConfig config() {
        return config;
    }

    @Override
    public <R extends ApiResponse> CompletableFuture<R> send(ApiRequest<R> request) {
        return submit(ANY_NODE, request);
    }

    @Override
    public <R extends ApiResponse> CompletableFuture<R> send(int nodeId, ApiRequest<R> request) {
        return submit(nodeId, request);
    }

    @SuppressWarnings("unchecked")
    private <R extends ApiResponse> CompletableFuture<R> submit(int nodeId, ApiRequest<R> request) {
        CompletableFuture<R> future = new CompletableFuture<>();
        if (!accepting) {
            future.completeExceptionally(new ClientClosedException("The client is closed"));
            return future;
        }
        long deadline = time.nanoTime() + config.requestTimeout().toNanos();
        submissions.add(new Submission(nodeId, (ApiRequest<ApiResponse>) request,
                (CompletableFuture<ApiResponse>) future, deadline));
        if (!accepting) {
            failQueued(); // close() raced with us: make sure the submission is not stranded
        }
        signal();
        return future;
    }

    private void signal() {
        if (wakeupArmed.compareAndSet(true, false)) {
            client.wakeup();
        }
    }

    @Override
    public ClusterMetadata cluster() {
        return client.cluster();
    }

    @Override
    public CompletableFuture<ClusterMetadata> addTopic(String topic) {
        CompletableFuture<ClusterMetadata> f = new CompletableFuture<>();
        if (!accepting) {
            f.completeExceptionally(new ClientClosedException("The client is closed"));
            return f;
        }
        submissions.add((Runnable) () -> client.addTopic(topic).whenComplete((m, e) -> {
            if (e != null) {
                f.completeExceptionally(e);
            } else {
                f.complete(m);
            }
        }));
        signal();
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
            if (left <= 0 || !running) {
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

    @Override
    public void close(Duration gracePeriod) {
        Thread thread;
        synchronized (lifecycleLock) {
            accepting = false;
            thread = ioThread;
            closeDeadlineNanos = time.nanoTime() + gracePeriod.toNanos();
        }
        if (thread == null) {
            client.close();
            failQueued();
            running = false;
            return;
        }
        client.wakeup();
        try {
            if (!stopped.await(gracePeriod.toMillis() + 5_000, TimeUnit.MILLISECONDS)) {
                log.warn("kwire I/O thread did not stop within the grace period; interrupting it");
                thread.interrupt();
                stopped.await(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        failQueued();
    }

    // ---------------------------------------------------------------- the I/O thread

    private void run() {
        try {
            while (true) {
                drainSubmissions();
                dispatchWaiting();
                keepOneConnectionWarm();
                if (!accepting) {
                    if ((waiting.isEmpty() && client.inFlightRequestCount() == 0)
                            || time.nanoTime() - closeDeadlineNanos >= 0) {
                        break;
                    }
                }
                wakeupArmed.set(true);
                long timeout = submissions.isEmpty() ? pollTimeoutMs() : 0;
                client.pollQuietly(timeout);
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
        } catch (RuntimeException | Error e) {
            log.error("kwire I/O thread failed; closing the client", e);
        } finally {
            running = false;
            for (Submission s : waiting) {
                s.future.completeExceptionally(new ClientClosedException("The client was closed before "
                        + s.request.apiKey().displayName() + " could be sent"));
            }
            waiting.clear();
            client.close();
            failQueued();
            publishStatus();
            stopped.countDown();
        }
    }

    private long pollTimeoutMs() {
        if (statusStale) {
            return STATUS_INTERVAL_NANOS / 1_000_000; // come back soon to publish what changed
        }
        if (waiting.isEmpty()) {
            return accepting ? IDLE_POLL_MS : 10;
        }
        return 50; // requests wait for a connection: poll wakes on connect anyway; this bounds deadline checks
    }

    private void drainSubmissions() {
        for (Object o; (o = submissions.poll()) != null; ) {
            if (o instanceof Submission s) {
                waiting.add(s);
            } else {
                ((Runnable) o).run();
            }
        }
    }

    private void dispatchWaiting() {
        if (waiting.isEmpty()) {
            return;
        }
        long now = time.nanoTime();
        Iterator<Submission> it = waiting.iterator();
        while (it.hasNext()) {
            Submission s = it.next();
            if (s.future.isDone()) {
                it.remove(); // cancelled by the caller
                continue;
            }
            int target = s.nodeId;
            if (target == ANY_NODE) {
                OptionalInt least = client.leastLoadedNode();
                if (least.isEmpty()) {
                    if (now - s.deadlineNanos >= 0) {
                        it.remove();
                        s.future.completeExceptionally(client.noBrokersAvailable(config.requestTimeout()));
                    }
                    continue;
                }
                target = least.getAsInt();
            }
            if (client.trySend(target, s.request, s.future)) {
                it.remove();
                continue;
            }
            client.maybeConnect(target);
            if (now - s.deadlineNanos >= 0) {
                it.remove();
                s.future.completeExceptionally(new KwireTimeoutException(s.request.apiKey().displayName()
                        + " could not be sent within " + config.requestTimeout().toMillis() + " ms: node "
                        + (s.nodeId == ANY_NODE ? "(any)" : s.nodeId) + " never became ready"
                        + client.lastError().map(e -> " (last error: " + e + ")").orElse("")));
            }
        }
    }

    /**
     * Keeps one broker connection ready once metadata is known, so that the first request does not pay for a
     * connection set-up and the health status reflects whether a broker is reachable right now. Bootstrap
     * connections are closed after the first metadata response, so without this an idle client has none.
     */
    private void keepOneConnectionWarm() {
        if (!accepting || client.cluster().lastUpdate().isEmpty()
                || client.connectionCount(ConnectionState.READY) > 0) {
            return;
        }
        client.leastLoadedNode().ifPresent(client::maybeConnect);
    }

    private void failQueued() {
        for (Object o; (o = submissions.poll()) != null; ) {
            if (o instanceof Submission s) {
                s.future.completeExceptionally(new ClientClosedException("The client is closed"));
            }
        }
    }

    private void publishStatus() {
        ClusterMetadata m = client.cluster();
        long errMs = client.lastErrorMs();
        inFlight = client.inFlightRequestCount() + waiting.size();
        connectionStates = client.connectionStates();
        status = new ClientStatus(running, m.clusterId(), m.controller().map(Node::id).orElse(-1), m.brokers().size(),
                client.connectionCount(ConnectionState.READY),
                client.connectionCount(ConnectionState.CONNECTING) + client.connectionCount(ConnectionState.TLS_HANDSHAKE)
                        + client.connectionCount(ConnectionState.CHECKING_API_VERSIONS)
                        + client.connectionCount(ConnectionState.AUTHENTICATING),
                m.lastUpdate(), client.metadataFresh(), client.lastError(),
                errMs == 0 ? Optional.empty() : Optional.of(Instant.ofEpochMilli(
                        time.currentTimeMillis() - (time.nanoTime() / 1_000_000 - errMs))),
                client.credentialProblem());
    }
}
