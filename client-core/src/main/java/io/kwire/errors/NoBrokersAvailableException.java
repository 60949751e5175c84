package io.kwire.errors;

/** No broker could be reached. The message lists each address tried with its own cause. */
public class NoBrokersAvailableException extends KwireException {

    private static final long serialVersionUID = 1L;

    public NoBrokersAvailableException(String message) {
        super(message);
    }

    public NoBrokersAvailableException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public boolean isRetriable() {
        return true;
    }
}
