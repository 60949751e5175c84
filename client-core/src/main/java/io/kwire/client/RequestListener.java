package io.kwire.client;

/**
 * Hears how one request went, for code that follows a request as its caller sent it, such as a tracing span per
 * request: handed to {@code KwireClient.send(request, listener)}. The client's {@link ClientObserver} hears of every
 * request without knowing whose it was; a listener belongs to one request.
 *
 * <p>Both methods run on the thread that ends the request, usually the client's I/O thread: they must return
 * quickly without blocking. What one throws is logged and does not keep the request's future from completing.
 * A request sent without a listener costs nothing of this.
 */
public interface RequestListener {

    /**
     * The request went out on a connection and ended there (answered, timed out, disconnected): the node it went
     * to, the version it was sent at and its correlation id on that connection. Called before
     * {@link #ended(Throwable)}; not called for a request that ended before it was sent (no node could be had, no
     * version in common, the client closed), nor after the caller cancelled it.
     */
    default void sentAs(int nodeId, short version, int correlationId) {
    }

    /**
     * The request ended, once, however it ended: just before its future completes, so that what the listener
     * records is done when the caller's callbacks run.
     *
     * @param error why it failed (a {@code KwireException}, or a {@code CancellationException} when the caller
     *              cancelled it), or {@code null} when a response arrived
     */
    default void ended(Throwable error) {
    }
}
