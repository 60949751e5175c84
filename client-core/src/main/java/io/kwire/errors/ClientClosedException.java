package io.kwire.errors;

/** The client was closed before the request could complete. */
public class ClientClosedException extends KwireException {

    private static final long serialVersionUID = 1L;

    public ClientClosedException(String message) {
        super(message);
    }

    public ClientClosedException(String message, Throwable cause) {
        super(message, cause);
    }

}
