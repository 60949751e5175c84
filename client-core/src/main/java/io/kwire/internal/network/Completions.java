package io.kwire.internal.network;

import io.kwire.client.ClientObserver;
import io.kwire.client.ClientResponse;
import io.kwire.client.RequestListener;
import io.kwire.errors.KwireException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Requests that ended and whose futures are still to complete, oldest first. Futures complete here, at the end of
 * a poll, never in the middle of reading a connection: a callback that sends, closes a node or polls again finds
 * the engine between steps. Only used on the I/O thread.
 */
final class Completions {

    private final ArrayDeque<InFlightRequest> ended = new ArrayDeque<>();
    private final ClientObserver observer;

    Completions(ClientObserver observer) {
        this.observer = observer;
    }

    void add(InFlightRequest request) {
        ended.add(request);
    }

    boolean isEmpty() {
        return ended.isEmpty();
    }

    /**
     * Completes the futures of every request that had ended when the call began, and tells the observer. A callback
     * that sends a request ending at once (acks=0, an encode failure) leaves it for the next poll, so a chain of such
     * callbacks cannot run without I/O between. A callback may call back in (close a node, poll): each call takes its
     * entries from the queue, so every future completes once, whichever call reaches it.
     *
     * @param collect whether to return the ended requests the caller sent (the {@code poll} result); the I/O thread
     *                of {@code KwireClient} reads results from the futures only, and gets no list per poll
     */
    List<ClientResponse> completeEnded(boolean collect) {
        int n = ended.size();
        if (n == 0) {
            return List.of();
        }
        List<ClientResponse> external = collect ? new ArrayList<>(n) : null;
        for (int i = 0; i < n; i++) {
            InFlightRequest r = ended.pollFirst();
            if (r == null) {
                break; // a nested call completed the rest
            }
            ClientObserver.Outcome outcome = outcome(r.error);
            try {
                observer.requestCompleted(r.apiKey, r.version, r.nodeId, r.completedNanos - r.createdNanos,
                        r.bytesSent, r.bytesReceived, outcome);
            } finally { // an observer's Error still lets the future complete; the rest wait in the queue
                if (r.future != null) {
                    if (r.future instanceof RequestListener listener) { // a KwireClient request's own listener
                        listener.sentAs(r.nodeId, r.version, r.correlationId);
                    }
                    if (r.error == null) {
                        r.future.complete(r.response);
                    } else {
                        r.future.completeExceptionally(r.error);
                    }
                }
            }
            if (collect && !r.internal) {
                external.add(r.toClientResponse());
            }
        }
        return collect ? external : List.of();
    }

    /** How the observer names the end of a request that ended with {@code error} (null: a response). */
    static ClientObserver.Outcome outcome(KwireException error) {
        return ClientObserver.Outcome.of(error);
    }

    /** Completes everything, including what callbacks add meanwhile; for closing. */
    void completeAll() {
        while (!ended.isEmpty()) {
            completeEnded(false);
        }
    }
}
