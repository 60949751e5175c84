package io.kwire.protocol;

/** A top-level request or response body: a {@link Message} that belongs to one {@link ApiKey}. */
public interface ApiMessage extends Message {

    ApiKey apiKey();
}
