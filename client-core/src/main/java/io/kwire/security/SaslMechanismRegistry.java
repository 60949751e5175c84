package io.kwire.security;

import io.kwire.client.KafkaClientConfig;
import io.kwire.client.Node;
import io.kwire.errors.ConfigException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * SASL mechanisms by name. {@link #builtIn()} has PLAIN, SCRAM-SHA-256, SCRAM-SHA-512, OAUTHBEARER and GSSAPI;
 * {@link #with(String, SaslMechanismFactory)} returns a copy with one more (or a replaced) mechanism:
 *
 * <pre>{@code
 * SaslMechanismRegistry mechanisms = SaslMechanismRegistry.builtIn().with("MY-MECH", (config, node) -> new MyMech());
 * AuthenticatorFactory auth = SecurityFactories.authenticatorFactory(config, mechanisms);
 * }</pre>
 * Immutable and thread-safe.
 */
public final class SaslMechanismRegistry {

    private static final SaslMechanismRegistry BUILT_IN;

    static {
        Map<String, SaslMechanismFactory> m = new LinkedHashMap<>();
        m.put(PlainMechanism.NAME, PlainMechanism::create);
        m.put(ScramMechanism.SHA_256, (config, node) -> ScramMechanism.create(ScramMechanism.SHA_256, config));
        m.put(ScramMechanism.SHA_512, (config, node) -> ScramMechanism.create(ScramMechanism.SHA_512, config));
        m.put(OAuthBearerMechanism.NAME, OAuthBearerMechanism::create);
        m.put(GssapiMechanism.NAME, GssapiMechanism::create);
        BUILT_IN = new SaslMechanismRegistry(m);
    }

    private final Map<String, SaslMechanismFactory> factories;

    private SaslMechanismRegistry(Map<String, SaslMechanismFactory> factories) {
        this.factories = Collections.unmodifiableMap(factories);
    }

    public static SaslMechanismRegistry builtIn() {
        return BUILT_IN;
    }

    /** A copy with {@code factory} registered under {@code name} (replacing a built-in of that name). */
    public SaslMechanismRegistry with(String name, SaslMechanismFactory factory) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(factory, "factory");
        Map<String, SaslMechanismFactory> m = new LinkedHashMap<>(factories);
        m.put(name, factory);
        return new SaslMechanismRegistry(m);
    }

    public Set<String> names() {
        return factories.keySet();
    }

    /** The factory for {@code name}; a {@link ConfigException} on {@code saslMechanism} when unknown. */
    public SaslMechanismFactory factory(String name) {
        SaslMechanismFactory f = factories.get(name);
        if (f == null) {
            throw new ConfigException("saslMechanism", "saslMechanism " + name + " is not known to kwire; known: "
                    + names() + " (register others with SaslMechanismRegistry.with)");
        }
        return f;
    }

    SaslMechanism create(String name, KafkaClientConfig config, Node node) {
        return factory(name).create(config, node);
    }

    @Override
    public String toString() {
        return "SaslMechanismRegistry" + names();
    }
}
