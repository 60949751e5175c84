package io.kwire.errors;

/** The broker refused the client's credentials or TLS identity. Not retriable until the configuration changes. */
public class AuthenticationException extends KwireException {

    private static final long serialVersionUID = 1L;

    public AuthenticationException(String message) {
        super(message);
    }

    public AuthenticationException(String message, Throwable cause) {
        super(message, cause);
    }

}
