package io.kwire.errors;

/**
 * A message cannot be expressed at the chosen protocol version: a field that does not exist at that version
 * holds a non-default value, or the version is outside what the message supports. Not retriable as is; the
 * caller must pick another version or drop the field.
 */
public class UnsupportedVersionException extends KwireException {

    private static final long serialVersionUID = 1L;

    public UnsupportedVersionException(String message) {
        super(message);
    }
}
