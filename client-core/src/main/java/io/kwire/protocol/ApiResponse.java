package io.kwire.protocol;

/** A response body. */
public interface ApiResponse extends ApiMessage {

    /**
     * How long the broker asks the client to wait before sending to it again (KIP-219), or 0 when the response
     * has no throttle field at this version.
     */
    default int throttleTimeMs() {
        return 0;
    }
}
