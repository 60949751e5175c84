package io.kwire.errors;

/**
 * The client already holds as many unfinished requests, or as many bytes of them, as it is configured to
 * ({@code maxQueuedRequests}, {@code maxQueuedBytes}), and none finished within {@code queueFullWait}. Nothing was
 * sent. Retriable: slow down, or raise the bounds if the brokers can take more.
 */
public class QueueFullException extends KwireException {

    private static final long serialVersionUID = 1L;

    public QueueFullException(String message) {
        super(message);
    }

    @Override
    public boolean isRetriable() {
        return true;
    }
}
