package io.kwire.errors;

/** The node has no ready connection right now (connecting, backing off, or unknown). Retriable after the connection delay. */
public class NodeNotReadyException extends KwireException {

    private static final long serialVersionUID = 1L;

    public NodeNotReadyException(String message) {
        super(message);
    }

    public NodeNotReadyException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public boolean isRetriable() {
        return true;
    }
}
