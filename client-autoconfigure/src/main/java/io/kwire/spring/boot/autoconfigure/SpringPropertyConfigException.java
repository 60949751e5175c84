package io.kwire.spring.boot.autoconfigure;

import io.kwire.errors.ConfigException;

/**
 * A {@link ConfigException} whose value came from a Spring property other than {@code kwire.client.*} (Boot's
 * {@code spring.kafka.*}), so that the failure report names that property, its origin and the fix there rather
 * than the kwire property of the same config key. Immutable.
 */
class SpringPropertyConfigException extends ConfigException {

    private static final long serialVersionUID = 1L;

    private final String property;
    private final String action;

    /**
     * @param key      the config key, as in {@link ConfigException}
     * @param property the Spring property the value came from
     * @param action   what to do, for the report's Action section
     */
    SpringPropertyConfigException(String key, String property, String message, String action) {
        super(key, message);
        this.property = property;
        this.action = action;
    }

    String property() {
        return property;
    }

    String action() {
        return action;
    }
}
