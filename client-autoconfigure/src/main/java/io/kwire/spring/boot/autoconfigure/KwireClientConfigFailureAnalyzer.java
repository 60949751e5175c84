package io.kwire.spring.boot.autoconfigure;

import io.kwire.client.OAuthBearerTokenProvider;
import io.kwire.errors.ConfigException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.origin.Origin;
import org.springframework.core.env.Environment;

/**
 * Turns a {@link ConfigException} from building the kwire client configuration into a start-up report that names
 * the {@code kwire.client.*} property, where it was set (the file and line, as Boot's own binding reports say)
 * and what it allows. Registered in {@code META-INF/spring.factories}; Boot passes the application's
 * {@link Environment} to the public constructor.
 */
class KwireClientConfigFailureAnalyzer extends AbstractFailureAnalyzer<ConfigException> {

    private final Environment environment;

    /** Without an environment: reports leave out the origin. */
    KwireClientConfigFailureAnalyzer() {
        this(null);
    }

    public KwireClientConfigFailureAnalyzer(Environment environment) {
        this.environment = environment;
    }

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, ConfigException cause) {
        if (cause instanceof SpringPropertyConfigException spring) {
            return new FailureAnalysis(describe(spring.property(), cause.getMessage()), spring.action(), cause);
        }
        String property = KwireClientPropertyNames.propertyFor(cause.key());
        String reason = KwireClientPropertyNames.translate(cause.getMessage());
        if (property == null) {
            String description = "The kwire client configuration is invalid:\n\n    Key: " + cause.key()
                    + " (set by a KwireClientCustomizer or bean, not by a property)\n    Reason: " + reason;
            return new FailureAnalysis(description, action(cause.key(), null), cause);
        }
        return new FailureAnalysis(describe(property, reason), action(cause.key(), property), cause);
    }

    /** The report on a property: its name, where it was set when Boot knows, and the reason. */
    private String describe(String property, String reason) {
        StringBuilder description = new StringBuilder("The kwire client configuration is invalid:\n\n");
        description.append("    Property: ").append(property).append('\n');
        Origin origin = origin(property);
        if (origin != null) {
            description.append("    Origin: ").append(origin).append('\n');
        }
        return description.append("    Reason: ").append(reason).toString();
    }

    /** Where {@code property} was set, or {@code null} when it was not set or its source keeps no origin. */
    private Origin origin(String property) {
        if (environment == null || !ConfigurationPropertyName.isValid(property)) {
            return null;
        }
        ConfigurationPropertyName name = ConfigurationPropertyName.of(property);
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
            ConfigurationProperty value = source.getConfigurationProperty(name);
            if (value != null) {
                return value.getOrigin();
            }
        }
        return null;
    }

    private static String action(String key, String property) {
        if (property != null) {
            return "Update " + property + " in your application's configuration, or the KwireClientCustomizer or "
                    + "KwireClientConnectionDetails bean that sets it, to a value the reason above allows.";
        }
        if ("saslOauthTokenProvider".equals(key)) {
            // The core message is framework-neutral; here is where a Spring user learns what to define.
            return "Define a bean of type " + OAuthBearerTokenProvider.class.getName() + " (kwire uses it when it is"
                    + " the only one or the primary one), or set saslOauthTokenProvider in a KwireClientCustomizer.";
        }
        return "Fix the KwireClientCustomizer or bean that sets " + key + " to a value the reason above allows.";
    }
}
