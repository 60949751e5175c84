package io.kwire.internal.metadata;

import io.kwire.client.ClientObserver;
import io.kwire.client.ClusterMetadata;
import io.kwire.client.KafkaClientConfig;
import io.kwire.client.MetadataRecoveryStrategy;
import io.kwire.client.Node;
import io.kwire.client.Time;
import io.kwire.errors.ClientClosedException;
import io.kwire.errors.KwireException;
import io.kwire.protocol.Errors;
import io.kwire.protocol.message.MetadataRequest;
import io.kwire.protocol.message.MetadataResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the cluster metadata current: sends a Metadata request when {@link MetadataTracker} says one is due, applies
 * the answer, completes whoever waits for it, and starts again from the bootstrap servers when every known broker
 * is gone or nothing has arrived for too long (KIP-899/KIP-1102). Knows which nodes exist: the brokers of the last
 * answer, or the bootstrap addresses before the first one. Only used on the I/O thread.
 */
public final class MetadataUpdater {

    private static final Logger log = LoggerFactory.getLogger(MetadataUpdater.class);

    /** What the updater needs of the network engine. */
    public interface Network {
        /** The node best suited for a request that may go anywhere, or empty. */
        OptionalInt leastLoadedNode(long nowMs);

        /** Whether the node can take a request now. */
        boolean canSend(int nodeId, long nowMs);

        /** The Metadata version a request to the node is sent at: the newest both sides support. */
        short metadataVersion(int nodeId);

        /** Sends to a node that {@linkplain #canSend can take it}; the future completes at the end of a poll. */
        void send(int nodeId, MetadataRequest request, CompletableFuture<MetadataResponse> future, long nowMs);

        /** Starts connecting the node if it has no connection and its back-off allows. */
        void connect(int nodeId, long nowMs);

        /** Whether the node failed and is still inside its reconnect back-off. */
        boolean isBlackedOut(int nodeId, long nowMs);

        /** Real brokers are known: close the bootstrap connections that have nothing in flight, and forget them. */
        void bootstrapDone(long nowMs);

        /** Forgets what happened to these nodes' connections, so that they may be tried at once. */
        void forget(Collection<Integer> nodeIds);
    }

    private final KafkaClientConfig config;
    private final Time time;
    private final ClientObserver observer;
    private final MetadataTracker tracker;
    private final ClusterIdentity identity;
    private final Map<Integer, Node> bootstrapNodes;
    private final List<CompletableFuture<ClusterMetadata>> waiters = new ArrayList<>();
    private Map<Integer, Node> knownNodes;
    /** {@link #knownNodes} as an array, for the least-loaded scan on every request for "any node". */
    private Node[] knownNodeArray;
    /**
     * Since when a refresh has been wanted (due, or asked for) without metadata arriving; -1 while none is. The
     * rebootstrap trigger counts from here, as in Apache Kafka's client (KIP-1102), not from the last metadata: an
     * idle client whose metadata merely aged past {@code metadataMaxAge} is not cut off from a healthy cluster.
     */
    private long refreshWantedSinceMs = -1;
    private boolean warnedOfFailure;
    private Network network;

    public MetadataUpdater(KafkaClientConfig config, MetadataTracker tracker, List<Node> bootstrapNodes,
                           ClientObserver observer, long nowMs) {
        this.config = config;
        this.time = config.time();
        this.observer = observer;
        this.tracker = tracker;
        this.identity = new ClusterIdentity(config.expectedClusterId().orElse(null));
        Map<Integer, Node> bootstrap = new LinkedHashMap<>();
        for (Node node : bootstrapNodes) {
            bootstrap.put(node.id(), node);
        }
        this.bootstrapNodes = bootstrap;
        setKnownNodes(new LinkedHashMap<>(bootstrap));
    }

    /** Connects the updater to the engine that sends its requests; called once, by that engine. */
    public void attach(Network network) {
        this.network = network;
    }

    public ClusterMetadata cluster() {
        return tracker.snapshot();
    }

    public MetadataTracker tracker() {
        return tracker;
    }

    /** The cluster the client talks to: pinned by {@code expectedClusterId} or learned from the first answer. */
    public ClusterIdentity identity() {
        return identity;
    }

    /** The nodes requests may go to: the brokers of the last metadata, or the bootstrap addresses. */
    public Node[] knownNodes() {
        return knownNodeArray;
    }

    /** A node by id: a known broker, a bootstrap address, or a broker of the last snapshot; null if none. */
    public Node nodeFor(int nodeId) {
        Node n = knownNodes.get(nodeId);
        if (n == null) {
            n = bootstrapNodes.get(nodeId);
        }
        return n != null ? n : tracker.snapshot().broker(nodeId).orElse(null);
    }

    /** Tracks a topic; the future completes with the next metadata. */
    public CompletableFuture<ClusterMetadata> addTopic(String topic) {
        tracker.addTopic(topic);
        return requestUpdate();
    }

    /** Asks for a refresh (subject to the refresh back-off); the future completes with the next metadata. */
    public CompletableFuture<ClusterMetadata> requestUpdate() {
        CompletableFuture<ClusterMetadata> f = new CompletableFuture<>();
        tracker.requestUpdate();
        waiters.add(f);
        return f;
    }

    /** Whether a refresh is due or in flight: it goes before other requests. */
    public boolean hasPriority(long nowMs) {
        return tracker.inProgress() || tracker.isDue(nowMs);
    }

    /** Sends a metadata request when one is due; returns how long until the next one might be. */
    public long maybeUpdate(long nowMs) {
        if (tracker.inProgress()) {
            return Long.MAX_VALUE;
        }
        maybeRebootstrap(nowMs);
        long wait = tracker.timeToNextUpdate(nowMs);
        if (wait > 0) {
            return wait;
        }
        if (refreshWantedSinceMs < 0) {
            refreshWantedSinceMs = nowMs;
        }
        OptionalInt target = network.leastLoadedNode(nowMs);
        if (target.isEmpty()) {
            return config.reconnectBackoff().toMillis();
        }
        int id = target.getAsInt();
        if (network.canSend(id, nowMs)) {
            CompletableFuture<MetadataResponse> f = new CompletableFuture<>();
            f.whenComplete(this::onMetadata);
            network.send(id, tracker.newRequest(nowMs, network.metadataVersion(id)), f, nowMs);
            return Long.MAX_VALUE;
        }
        network.connect(id, nowMs);
        return config.reconnectBackoff().toMillis();
    }

    private void onMetadata(MetadataResponse response, Throwable error) {
        long nowMs = time.nanoTime() / 1_000_000;
        if (error != null) {
            tracker.failed(nowMs);
            if (error instanceof KwireException k && !k.isRetriable() && !warnedOfFailure) {
                // Retried with back-off like any failure, but one that retrying cannot mend must not go unseen.
                warnedOfFailure = true;
                log.warn("Metadata refresh failed, and will fail again the same way: {}", error.getMessage());
            }
            return;
        }
        if (Errors.REBOOTSTRAP_REQUIRED.is(response.errorCode())) {
            tracker.failed(nowMs);
            rebootstrap(nowMs, "the broker asked for it (REBOOTSTRAP_REQUIRED)");
            return;
        }
        if (response.brokers().isEmpty()) {
            tracker.failed(nowMs); // a broker that is still starting up answers with no brokers: keep the old view
            return;
        }
        if (!identity.accept(response.clusterId())) {
            // Connections are checked before they take requests; this only guards against a broker whose answer
            // names another cluster than its connection check did.
            tracker.failed(nowMs);
            log.warn("Ignored metadata of cluster {}: this client talks to cluster {}", response.clusterId(),
                    identity.clusterId());
            return;
        }
        ClusterMetadata snapshot = tracker.update(response, nowMs, Instant.ofEpochMilli(time.currentTimeMillis()));
        refreshWantedSinceMs = -1;
        Map<Integer, Node> next = new LinkedHashMap<>();
        for (Node b : snapshot.brokers()) {
            next.put(b.id(), b);
        }
        setKnownNodes(next);
        network.bootstrapDone(nowMs); // bootstrap connections have done their job once real brokers are known
        observer.metadataUpdated(snapshot);
        if (!waiters.isEmpty()) {
            List<CompletableFuture<ClusterMetadata>> done = new ArrayList<>(waiters);
            waiters.clear();
            done.forEach(w -> w.complete(snapshot));
        }
    }

    /**
     * KIP-899/KIP-1102: when every known broker is unreachable, or no metadata has arrived for the rebootstrap
     * trigger time since a refresh was wanted, start again from the bootstrap addresses (resolved afresh).
     */
    private void maybeRebootstrap(long nowMs) {
        if (config.metadataRecoveryStrategy() != MetadataRecoveryStrategy.REBOOTSTRAP
                || knownNodes.keySet().equals(bootstrapNodes.keySet())) {
            return;
        }
        boolean allBlackedOut = true;
        for (int id : knownNodes.keySet()) {
            if (!network.isBlackedOut(id, nowMs)) {
                allBlackedOut = false;
                break;
            }
        }
        long trigger = config.metadataRecoveryRebootstrapTrigger().toMillis();
        if (allBlackedOut) {
            rebootstrap(nowMs, "every known broker is unreachable");
        } else if (refreshWantedSinceMs >= 0 && nowMs - refreshWantedSinceMs >= trigger) {
            rebootstrap(nowMs, "no metadata for " + trigger + " ms since a refresh was due");
        }
    }

    private void rebootstrap(long nowMs, String why) {
        log.info("Rebootstrapping from {}: {}", config.bootstrapServers(), why);
        setKnownNodes(new LinkedHashMap<>(bootstrapNodes));
        network.forget(bootstrapNodes.keySet());
        refreshWantedSinceMs = nowMs;
        tracker.requestUpdate();
    }

    private void setKnownNodes(Map<Integer, Node> nodes) {
        knownNodes = nodes;
        knownNodeArray = nodes.values().toArray(new Node[0]);
    }

    /** The known node ids, in metadata order. */
    public Collection<Integer> knownNodeIds() {
        return knownNodes.keySet();
    }

    public boolean isFresh(long nowMs) {
        return tracker.isFresh(nowMs);
    }

    /** Fails whoever waits for metadata; the client is closing. */
    public void close() {
        List<CompletableFuture<ClusterMetadata>> left = new ArrayList<>(waiters);
        waiters.clear();
        for (CompletableFuture<ClusterMetadata> w : left) {
            w.completeExceptionally(new ClientClosedException("The client was closed before metadata arrived"));
        }
    }
}
