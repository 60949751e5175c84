package io.kwire.errors;

/** A response frame announced a size above the configured maximum, or bytes that are no Kafka frame at all (for example a TLS record on a plaintext connection). */
public class FrameTooLargeException extends ProtocolException {

    private static final long serialVersionUID = 1L;

    public FrameTooLargeException(String message) {
        super(message);
    }

    public FrameTooLargeException(String message, Throwable cause) {
        super(message, cause);
    }

}
