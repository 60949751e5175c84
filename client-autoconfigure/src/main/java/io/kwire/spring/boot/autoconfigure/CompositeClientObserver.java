package io.kwire.spring.boot.autoconfigure;

import io.kwire.client.ClientObserver;
import io.kwire.client.ClusterMetadata;
import io.kwire.client.Node;
import io.kwire.errors.KwireException;
import io.kwire.protocol.ApiKey;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Tells several observers the same events, in order. An observer that throws is logged once and does not keep the
 * others from hearing the event, nor the I/O thread from going on. Called on the client's I/O thread, like any
 * observer; immutable after construction.
 */
public final class CompositeClientObserver implements ClientObserver {

    private static final Log logger = LogFactory.getLog(CompositeClientObserver.class);

    private final ClientObserver[] observers;
    private final AtomicBoolean[] warned;

    private CompositeClientObserver(List<ClientObserver> observers) {
        this.observers = observers.toArray(ClientObserver[]::new);
        this.warned = new AtomicBoolean[this.observers.length];
        for (int i = 0; i < warned.length; i++) {
            warned[i] = new AtomicBoolean();
        }
    }

    /**
     * One observer for all given ones: {@link ClientObserver#NONE} when there are none, the observer itself when
     * there is one, otherwise a composite. {@code NONE} entries are dropped and nested composites flattened.
     */
    public static ClientObserver of(List<? extends ClientObserver> observers) {
        List<ClientObserver> flat = new ArrayList<>();
        for (ClientObserver o : observers) {
            if (o instanceof CompositeClientObserver c) {
                flat.addAll(c.observers());
            } else if (o != null && o != ClientObserver.NONE && !flat.contains(o)) {
                flat.add(o);
            }
        }
        if (flat.isEmpty()) {
            return ClientObserver.NONE;
        }
        return flat.size() == 1 ? flat.get(0) : new CompositeClientObserver(flat);
    }

    /** The observers told, in order. */
    public List<ClientObserver> observers() {
        return List.of(observers);
    }

    private void failed(int i, RuntimeException e) {
        if (warned[i].compareAndSet(false, true)) {
            logger.warn("kwire client observer " + observers[i].getClass().getName()
                    + " threw; further failures of it are logged at debug level", e);
        } else if (logger.isDebugEnabled()) {
            logger.debug("kwire client observer " + observers[i].getClass().getName() + " threw", e);
        }
    }

    @Override
    public void connectionReady(Node node) {
        for (int i = 0; i < observers.length; i++) {
            try {
                observers[i].connectionReady(node);
            } catch (RuntimeException e) {
                failed(i, e);
            }
        }
    }

    @Override
    public void connectionClosed(Node node, String reason) {
        for (int i = 0; i < observers.length; i++) {
            try {
                observers[i].connectionClosed(node, reason);
            } catch (RuntimeException e) {
                failed(i, e);
            }
        }
    }

    @Override
    public void connectionFailed(Node node, KwireException cause) {
        for (int i = 0; i < observers.length; i++) {
            try {
                observers[i].connectionFailed(node, cause);
            } catch (RuntimeException e) {
                failed(i, e);
            }
        }
    }

    @Override
    public void authenticationFailed(Node node, KwireException cause) {
        for (int i = 0; i < observers.length; i++) {
            try {
                observers[i].authenticationFailed(node, cause);
            } catch (RuntimeException e) {
                failed(i, e);
            }
        }
    }

    @Override
    public void requestCompleted(ApiKey api, short version, int nodeId, long latencyNanos, int bytesSent,
                                 int bytesReceived, Outcome outcome) {
        for (int i = 0; i < observers.length; i++) {
            try {
                observers[i].requestCompleted(api, version, nodeId, latencyNanos, bytesSent, bytesReceived, outcome);
            } catch (RuntimeException e) {
                failed(i, e);
            }
        }
    }

    @Override
    public void throttled(int nodeId, ApiKey api, int throttleTimeMs) {
        for (int i = 0; i < observers.length; i++) {
            try {
                observers[i].throttled(nodeId, api, throttleTimeMs);
            } catch (RuntimeException e) {
                failed(i, e);
            }
        }
    }

    @Override
    public void metadataUpdated(ClusterMetadata metadata) {
        for (int i = 0; i < observers.length; i++) {
            try {
                observers[i].metadataUpdated(metadata);
            } catch (RuntimeException e) {
                failed(i, e);
            }
        }
    }

    @Override
    public String toString() {
        return "CompositeClientObserver" + observers();
    }
}
