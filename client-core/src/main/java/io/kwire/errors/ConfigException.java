package io.kwire.errors;

import io.kwire.client.KafkaClientConfig;

/**
 * A configuration value was rejected when a {@link KafkaClientConfig} was built. The message names the key (in the
 * camelCase of the builder method) and what is allowed; {@link #key()} gives the key to tools that map it back to
 * their own property names (the Spring module turns {@code reconnectBackoffMax} into
 * {@code kwire.client.reconnect-backoff-max}). Never retriable; never carries a secret value.
 */
public class ConfigException extends KwireException {

    private static final long serialVersionUID = 1L;

    private final String key;

    public ConfigException(String key, String message) {
        super(message);
        this.key = key;
    }

    /** The offending key as named by the builder method, e.g. {@code reconnectBackoffMax}. */
    public String key() {
        return key;
    }
}
