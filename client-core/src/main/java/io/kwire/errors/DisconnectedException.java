package io.kwire.errors;

/** The connection to the broker closed before the response arrived. Retriable; the request may or may not have been processed by the broker. */
public class DisconnectedException extends KwireException {

    private static final long serialVersionUID = 1L;

    public DisconnectedException(String message) {
        super(message);
    }

    public DisconnectedException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public boolean isRetriable() {
        return true;
    }
}
