package io.kwire.client;

/**
 * The request cannot be sent at any version both kwire and the broker support, or a field set on the message
 * does not exist at the version chosen. Not retriable against the same broker.
 */
public class UnsupportedVersionException extends KwireException {

    private static final long serialVersionUID = 1L;

    public UnsupportedVersionException(String message) {
        super(message);
    }
}
