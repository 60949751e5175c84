package io.kwire.errors;

/** The broker's ApiVersions answer matches no Kafka release kwire knows (only with strict version checking). */
public class UnrecognizedBrokerVersionException extends KwireException {

    private static final long serialVersionUID = 1L;

    public UnrecognizedBrokerVersionException(String message) {
        super(message);
    }

    public UnrecognizedBrokerVersionException(String message, Throwable cause) {
        super(message, cause);
    }

}
