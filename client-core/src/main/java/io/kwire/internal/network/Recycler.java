package io.kwire.internal.network;

import io.kwire.client.ConnectionClass;
import io.kwire.client.KafkaClientConfig;
import io.kwire.network.TransportFactory;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Which connections to recycle, and those being drained. A connection is recycled when it has served
 * {@link KafkaClientConfig#connectionsMaxAge()} (less up to a tenth, at random, so that connections opened together
 * are not all replaced together), or, with {@link KafkaClientConfig#sslRecycleConnections()}, when the
 * transport's TLS material changed since it was opened ({@link TransportFactory#materialGeneration}). Recycling moves
 * it out of the node's place in {@link Connections}: it takes no new requests, a new connection to the node takes
 * them, and it closes once its requests in flight have ended (answered, or failed by their own deadline), so
 * recycling fails none of them; one with nothing in flight closes at once. Only used on the I/O thread.
 */
final class Recycler {

    private final TransportFactory transports;
    private final boolean onRotation;
    private final long maxAgeMs;
    private final long checkIntervalMs;
    /** The connections being drained, with why each was recycled. */
    private final Map<BrokerConnection, String> draining = new IdentityHashMap<>();
    private long generation;
    private long lastCheckMs = Long.MIN_VALUE / 2;

    private final RandomGenerator random;

    Recycler(KafkaClientConfig config, TransportFactory transports, RandomGenerator random) {
        this.transports = transports;
        this.random = random;
        this.onRotation = config.sslRecycleConnections() && config.securityProtocol().usesTls();
        this.maxAgeMs = config.connectionsMaxAge().toMillis();
        this.checkIntervalMs = config.sslReloadCheckInterval().toMillis();
    }

    /** The transport's material generation for a connection opened now, after it checked for rotated files. */
    long generationForNewConnection(long nowMs) {
        return generation = transports.materialGeneration(nowMs);
    }

    /** A connection was opened with the material of {@code generation}: when it is due, by material or age. */
    void opened(BrokerConnection c, long generation) {
        c.materialGeneration = generation;
        c.maxAgeMs = maxAgeMs <= 0 ? 0 : maxAgeMs - (long) (maxAgeMs * 0.1 * random.nextDouble());
    }

    /** Once per poll, before {@link #dueReason}: notices rotated material when connections move over on rotation. */
    void refresh(long nowMs) {
        if (onRotation) {
            generation = transports.materialGeneration(nowMs);
            lastCheckMs = nowMs;
        }
    }

    /** Why {@code c} is to be recycled now, or null. Only a ready connection is (not one mid re-authentication). */
    String dueReason(BrokerConnection c, long nowMs) {
        if (c.step() != BrokerConnection.Step.READY) {
            return null;
        }
        if (onRotation && c.materialGeneration != generation) {
            return "the TLS material changed";
        }
        if (c.maxAgeMs > 0 && nowMs - c.setupStartMs() >= c.maxAgeMs) {
            return "it reached connectionsMaxAge (" + maxAgeMs + " ms, this connection " + c.maxAgeMs + " ms)";
        }
        return null;
    }

    /** When {@code c} is due by age (monotonic ms), or Long.MAX_VALUE: only a ready connection is recycled. */
    long dueAtMs(BrokerConnection c) {
        if (c.maxAgeMs <= 0 || c.step() != BrokerConnection.Step.READY) {
            return Long.MAX_VALUE;
        }
        long at = c.setupStartMs() + c.maxAgeMs;
        return at < c.setupStartMs() ? Long.MAX_VALUE : at;
    }

    /** Milliseconds until the next look at the files, or Long.MAX_VALUE when connections do not move on rotation. */
    long nextCheckMs(long nowMs) {
        return onRotation && checkIntervalMs > 0 ? Math.max(0, lastCheckMs + checkIntervalMs - nowMs)
                : Long.MAX_VALUE;
    }

    /** The material generation connections are compared with: when it changes, every older connection is due. */
    long generation() {
        return generation;
    }

    void startDraining(BrokerConnection c, String why) {
        draining.put(c, why);
    }

    boolean isDraining(BrokerConnection c) {
        return !draining.isEmpty() && draining.containsKey(c);
    }

    /** Why a drained connection closes: why it was recycled, and that nothing was left on it. */
    String drainedReason(BrokerConnection c) {
        return "recycled because " + draining.get(c) + "; nothing left in flight on it";
    }

    /** Forgets {@code c}; true if it was being drained. */
    boolean remove(BrokerConnection c) {
        return !draining.isEmpty() && draining.remove(c) != null;
    }

    /** Whether a connection being drained to the node still has requests of class {@code cls} in flight. */
    boolean holds(int nodeId, ConnectionClass cls) {
        for (BrokerConnection c : draining.keySet()) {
            if (c.node.id() == nodeId) {
                for (InFlightRequest r : c.inFlight) {
                    if (r.connectionClass == cls) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** Whether a connection being drained has nothing left in flight or to write, so that it can close. */
    boolean anyDrained() {
        for (BrokerConnection c : draining.keySet()) {
            if (c.isDrained()) {
                return true;
            }
        }
        return false;
    }


    boolean isEmpty() {
        return draining.isEmpty();
    }
}
