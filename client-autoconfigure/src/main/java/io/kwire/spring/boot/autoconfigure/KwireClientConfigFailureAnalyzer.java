package io.kwire.spring.boot.autoconfigure;

import io.kwire.client.OAuthBearerTokenProvider;
import io.kwire.errors.ConfigException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a {@link ConfigException} from building the kwire client configuration into a start-up report that names
 * the {@code kwire.client.*} property and what it allows. Registered in {@code META-INF/spring.factories}.
 */
class KwireClientConfigFailureAnalyzer extends AbstractFailureAnalyzer<ConfigException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, ConfigException cause) {
        String property = KwireClientPropertyNames.propertyFor(cause.key());
        String reason = KwireClientPropertyNames.translate(cause.getMessage());
        StringBuilder description = new StringBuilder("The kwire client configuration is invalid:\n\n");
        if (property != null) {
            description.append("    Property: ").append(property).append('\n');
        } else {
            description.append("    Key: ").append(cause.key())
                    .append(" (set by a KwireClientCustomizer or bean, not by a property)\n");
        }
        description.append("    Reason: ").append(reason);
        return new FailureAnalysis(description.toString(), action(cause.key(), property), cause);
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
