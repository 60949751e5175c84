package io.kwire.errors;

/** A request or connection set-up did not finish in time. Retriable: the broker may simply have been slow. */
public class KwireTimeoutException extends KwireException {

    private static final long serialVersionUID = 1L;

    public KwireTimeoutException(String message) {
        super(message);
    }

    public KwireTimeoutException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public boolean isRetriable() {
        return true;
    }
}
