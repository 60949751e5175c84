package io.kwire.protocol.records;

import io.kwire.errors.ProtocolException;

/**
 * A record batch whose bytes cannot be trusted: bad CRC, a length or count that does not match the bytes
 * present, a compressed section that does not decompress, or one that decompresses past the configured limit.
 * The message says which batch (by base offset) and what is wrong.
 */
public class CorruptRecordException extends ProtocolException {

    private static final long serialVersionUID = 1L;

    public CorruptRecordException(String message) {
        super(message);
    }

    public CorruptRecordException(String message, Throwable cause) {
        super(message, cause);
    }
}
