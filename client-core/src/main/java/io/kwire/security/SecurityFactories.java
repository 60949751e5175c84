package io.kwire.security;

import io.kwire.client.KafkaClientConfig;
import io.kwire.client.Node;
import io.kwire.client.SecurityProtocol;
import io.kwire.errors.ConfigException;
import io.kwire.internal.tls.ReloadingTlsTransportFactory;
import io.kwire.network.Authenticator;
import io.kwire.network.AuthenticatorFactory;
import io.kwire.network.NodeApiVersions;
import io.kwire.network.TransportFactory;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

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

    /**
     * Plain TCP for PLAINTEXT and SASL_PLAINTEXT, TLS for SSL and SASL_SSL. The TLS factory watches the files it read
     * for rotation ({@link KafkaClientConfig#sslReloadCheckInterval()}) and takes a new context through
     * {@link TransportFactory#updateSslContext}. The returned factory is for one client, which closes it with itself
     * (freeing the OpenSSL engine's native context, with {@code sslEngine OPENSSL}).
     */
    public static TransportFactory transportFactory(KafkaClientConfig config) {
        SecurityProtocol protocol = config.securityProtocol();
        if (!protocol.usesTls()) {
            return TransportFactory.PLAINTEXT;
        }
        return new ReloadingTlsTransportFactory(config);
    }

    /**
     * None for PLAINTEXT and SSL; SASL with {@code saslMechanism} from the built-in mechanisms otherwise. For GSSAPI
     * this logs in to Kerberos now (a {@link KerberosLogin} that renews its ticket on its own thread), failing with a
     * {@link ConfigException} or {@link io.kwire.errors.AuthenticationException} that says what to fix. The returned
     * factory is for one client: its {@link AuthenticatorFactory#close()} (which {@code KafkaClient.close()} calls)
     * ends that login and the client's SASL threads.
     */
    public static AuthenticatorFactory authenticatorFactory(KafkaClientConfig config) {
        return authenticatorFactory(config, SaslMechanismRegistry.builtIn());
    }

    /** As {@link #authenticatorFactory(KafkaClientConfig)}, with user-registered mechanisms. */
    public static AuthenticatorFactory authenticatorFactory(KafkaClientConfig config, SaslMechanismRegistry mechanisms) {
        if (!config.securityProtocol().usesSasl()) {
            return AuthenticatorFactory.NONE;
        }
        String name = config.saslMechanism().orElseThrow(); // build() refuses SASL without a mechanism
        SaslMechanismFactory factory = mechanisms.factory(name); // unknown names fail now, not per connection
        if (isBuiltInGssapi(name, factory)) {
            return new GssapiAuthenticatorFactory(config, KerberosLogin.login(config), true);
        }
        boolean inline = factory == SaslMechanismRegistry.builtIn().factory(PlainMechanism.NAME);
        return new MechanismAuthenticatorFactory(name, node -> factory.create(config, node), config.clientId(),
                inline);
    }

    /**
     * SASL/GSSAPI over a Kerberos login the caller owns, e.g. one shared by several clients of the same principal.
     * Closing the returned factory (as {@code KafkaClient.close()} does) leaves {@code login} open: the caller closes
     * it after its last client.
     */
    public static AuthenticatorFactory authenticatorFactory(KafkaClientConfig config, KerberosLogin login) {
        if (!config.securityProtocol().usesSasl()
                || config.saslMechanism().filter(GssapiMechanism.NAME::equals).isEmpty()) {
            throw new ConfigException("saslMechanism", "a KerberosLogin is for saslMechanism GSSAPI with"
                    + " securityProtocol SASL_PLAINTEXT or SASL_SSL");
        }
        return new GssapiAuthenticatorFactory(config, login, false);
    }

    private static boolean isBuiltInGssapi(String name, SaslMechanismFactory factory) {
        return GssapiMechanism.NAME.equals(name)
                && factory == SaslMechanismRegistry.builtIn().factory(GssapiMechanism.NAME);
    }

    /**
     * Authenticators of one mechanism. Given a way to resume them (the client's engine gives one), they run the
     * mechanism's steps on the client's {@link SaslWorkers}, the built-in PLAIN's excepted ({@code inline}: it only
     * copies the credentials); without one, in their own calls.
     */
    private static class MechanismAuthenticatorFactory implements AuthenticatorFactory {

        private final String name;
        private final Function<Node, SaslMechanism> mechanisms;
        /** Null for the built-in PLAIN, whose steps run inline. */
        private final SaslWorkers workers;

        MechanismAuthenticatorFactory(String name, Function<Node, SaslMechanism> mechanisms, String clientId,
                                      boolean inline) {
            this.name = name;
            this.mechanisms = mechanisms;
            this.workers = inline ? null : new SaslWorkers(clientId);
        }

        @Override
        public Authenticator create(Node node, NodeApiVersions versions) {
            return new SaslAuthenticator(name, () -> mechanisms.apply(node), node, versions);
        }

        @Override
        public Authenticator create(Node node, NodeApiVersions versions, Runnable progressed) {
            if (workers == null) {
                return create(node, versions);
            }
            return new SaslAuthenticator(name, () -> mechanisms.apply(node), node, versions, workers, progressed);
        }

        @Override
        public void close() {
            if (workers != null) {
                workers.close();
            }
        }
    }

    /** GSSAPI authenticators reading the login's current Subject when each exchange starts. */
    private static final class GssapiAuthenticatorFactory extends MechanismAuthenticatorFactory {

        private final KerberosLogin login;
        private final boolean ownsLogin;

        GssapiAuthenticatorFactory(KafkaClientConfig config, KerberosLogin login, boolean ownsLogin) {
            super(GssapiMechanism.NAME, node -> GssapiMechanism.create(config, node, login.subject()),
                    config.clientId(), false);
            this.login = Objects.requireNonNull(login, "login");
            this.ownsLogin = ownsLogin;
        }

        @Override
        public void close() {
            super.close();
            if (ownsLogin) {
                login.close();
            }
        }

        @Override
        public Optional<String> credentialProblem() {
            return login.renewalProblem();
        }

        @Override
        public String toString() {
            return "GssapiAuthenticatorFactory{" + login + "}";
        }
    }
}
