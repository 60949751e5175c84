package io.kwire.client;

/**
 * A broker's ApiVersions answer (or a configured broker release) does not correspond to a Kafka release kwire
 * knows. Not retriable: asking the same broker again gives the same answer.
 */
public class UnrecognizedBrokerVersionException extends KwireException {

    private static final long serialVersionUID = 1L;

    public UnrecognizedBrokerVersionException(String message) {
        super(message);
    }

    public UnrecognizedBrokerVersionException(String message, Throwable cause) {
        super(message, cause);
    }
}
