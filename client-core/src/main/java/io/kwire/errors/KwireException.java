package io.kwire.errors;

/**
 * The one unchecked root of every error kwire raises. Subclasses are grouped by what the caller should do
 * about them; {@link #isRetriable()} says whether the same request may succeed if simply sent again.
 *
 * <p>Messages never contain secrets (passwords, keys, tokens).
 */
public class KwireException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public KwireException(String message) {
        super(message);
    }

    public KwireException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Whether sending the same request again may succeed. */
    public boolean isRetriable() {
        return false;
    }
}
