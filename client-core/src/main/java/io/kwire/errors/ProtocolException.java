package io.kwire.errors;

/**
 * Bytes that do not follow the Kafka protocol: a truncated or forged buffer, a bad length, a bad CRC, an
 * unknown API key. Not retriable: the same bytes would fail the same way. A connection that produced one is
 * closed, because its framing can no longer be trusted.
 */
public class ProtocolException extends KwireException {

    private static final long serialVersionUID = 1L;

    public ProtocolException(String message) {
        super(message);
    }

    public ProtocolException(String message, Throwable cause) {
        super(message, cause);
    }
}
