package io.kwire.security;

import io.kwire.client.ConfigException;
import io.kwire.client.KafkaClientConfig;
import io.kwire.client.SecurityProtocol;
import io.kwire.network.AuthenticatorFactory;
import io.kwire.network.TransportFactory;

/**
 * Chooses the transport (plain TCP or TLS) and the SASL exchange by {@link KafkaClientConfig#securityProtocol()}:
 *
 * <pre>{@code
 * KafkaClient client = new KafkaClient(config,
 *         SecurityFactories.transportFactory(config),
 *         SecurityFactories.authenticatorFactory(config));
 * }</pre>
 * Both calls validate eagerly: TLS files are read (and bad ones rejected with a {@link ConfigException} naming the
 * key) when {@link #transportFactory} is called, not at the first connection.
 */
public final class SecurityFactories {

    private SecurityFactories() {
    }

    /** Plain TCP for PLAINTEXT and SASL_PLAINTEXT, TLS for SSL and SASL_SSL. */
    public static TransportFactory transportFactory(KafkaClientConfig config) {
        SecurityProtocol protocol = config.securityProtocol();
        if (!protocol.usesTls()) {
            return TransportFactory.PLAINTEXT;
        }
        SslContextFactory ssl = SslContextFactory.create(config);
        return (channel, node) -> new TlsTransport(channel, ssl.createEngine(node), node.host() + ":" + node.port());
    }

    /** None for PLAINTEXT and SSL; SASL with {@code saslMechanism} from the built-in mechanisms otherwise. */
    public static AuthenticatorFactory authenticatorFactory(KafkaClientConfig config) {
        return authenticatorFactory(config, SaslMechanismRegistry.builtIn());
    }

    /** As {@link #authenticatorFactory(KafkaClientConfig)}, with user-registered mechanisms. */
    public static AuthenticatorFactory authenticatorFactory(KafkaClientConfig config, SaslMechanismRegistry mechanisms) {
        if (!config.securityProtocol().usesSasl()) {
            return AuthenticatorFactory.NONE;
        }
        String name = config.saslMechanism();
        SaslMechanismFactory factory = mechanisms.factory(name); // unknown names fail now, not per connection
        return (node, versions) -> new SaslAuthenticator(name, () -> factory.create(config, node), node, versions);
    }
}
