package io.kwire.protocol;

/**
 * A request body that knows the type of its response, so the network layer can decode the answer at the
 * version the request was sent with and hand the caller a typed future.
 *
 * @param <R> the response type
 */
public interface ApiRequest<R extends ApiResponse> extends ApiMessage {

    /** A new, empty response of the matching type. */
    R newResponse();

    /**
     * Decodes this request's response body at the version the request was sent with. {@code in} is valid only
     * during the call: the client reuses it for the next frame, so an implementation must not keep it.
     */
    default R decodeResponse(ByteReader in, short version) {
        R response = newResponse();
        response.read(in, version);
        return response;
    }
}
