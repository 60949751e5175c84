package io.kwire.spring.boot.autoconfigure;

import io.kwire.client.ClientObserver;
import io.kwire.client.HostResolver;
import io.kwire.client.KafkaClientConfig;
import io.kwire.client.OAuthBearerTokenProvider;
import io.kwire.client.SecurityProtocol;
import io.kwire.client.TlsEngine;
import io.kwire.errors.ConfigException;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.ssl.SslOptions;
import org.springframework.util.unit.DataSize;

/**
 * Builds the {@link KafkaClientConfig} in the documented order: properties, then connection details, then the SSL
 * bundle, then the observers, then the OAuth token provider bean, then customizers (which may replace any of it).
 * Stateless; used once at start-up.
 */
final class KwireClientConfigFactory {

    private KwireClientConfigFactory() {
    }

    /**
     * @param oauthTokenProvider the application's {@link OAuthBearerTokenProvider} bean, or {@code null} when it has
     *                           none (or several and no primary one)
     * @param hostResolver       the application's {@link HostResolver} bean, or {@code null} likewise
     */
    static KafkaClientConfig create(KwireClientProperties properties, KwireClientConnectionDetails details,
                                    SslBundles sslBundles, List<ClientObserver> observers,
                                    OAuthBearerTokenProvider oauthTokenProvider, HostResolver hostResolver,
                                    List<KwireClientCustomizer> customizers, KeyMaterialFiles files) {
        KafkaClientConfig.Builder builder = KafkaClientConfig.builder();
        applyProperties(properties, builder, files);
        applyConnectionDetails(details, properties, builder);
        String bundleSource = applySslBundle(properties, details, sslBundles, builder);
        if (bundleSource != null && properties.getSsl().getEngine() == TlsEngine.OPENSSL) {
            throw new ConfigException("sslEngine", "sslEngine OPENSSL builds its TLS context from the key and trust"
                    + " files or stores of kwire.client.ssl.*, but " + bundleSource + " gives a JDK SSLContext:"
                    + " leave sslEngine at JDK to use the bundle, or name the files instead of the bundle");
        }
        ClientObserver observer = CompositeClientObserver.of(observers);
        builder.observer(observer);
        if (oauthTokenProvider != null) {
            builder.saslOauthTokenProvider(oauthTokenProvider);
        }
        if (hostResolver != null) {
            builder.hostResolver(hostResolver);
        }
        for (KwireClientCustomizer customizer : customizers) {
            customizer.customize(builder);
        }
        KafkaClientConfig config = builder.build();
        if (config.observer() != observer) {
            // A customizer set its own observer: keep the beans (metrics among them) listening as well.
            config = config.toBuilder().observer(CompositeClientObserver.of(List.of(observer, config.observer())))
                    .build();
        }
        if (bundleSource != null && !config.securityProtocol().usesTls()) {
            // The bundle says TLS is wanted; the protocol is what is missing, so the report names the protocol.
            throw new ConfigException("securityProtocol", "securityProtocol " + config.securityProtocol()
                    + " does not use TLS, but " + bundleSource + " gives TLS key material: set securityProtocol to"
                    + " SSL or SASL_SSL (or remove the bundle)");
        }
        return config;
    }

    private static void applyProperties(KwireClientProperties p, KafkaClientConfig.Builder b,
                                        KeyMaterialFiles files) {
        if (p.getClientId() != null) {
            b.clientId(p.getClientId());
        }
        if (p.getClientSoftwareName() != null) {
            b.clientSoftwareName(p.getClientSoftwareName());
        }
        if (p.getClientSoftwareVersion() != null) {
            b.clientSoftwareVersion(p.getClientSoftwareVersion());
        }
        b.reconnectBackoff(p.getReconnectBackoff())
                .reconnectBackoffMax(p.getReconnectBackoffMax())
                .requestTimeout(p.getRequestTimeout())
                .connectionsMaxIdle(p.getConnectionsMaxIdle())
                .idleProbeInterval(p.getIdleProbeInterval())
                .pollSpin(p.getPollSpin())
                .connectionsMaxAge(p.getConnectionsMaxAge())
                .retryBackoff(p.getRetryBackoff())
                .retryBackoffMax(p.getRetryBackoffMax())
                .socketConnectionSetupTimeout(p.getSocketConnectionSetupTimeout())
                .socketConnectionSetupTimeoutMax(p.getSocketConnectionSetupTimeoutMax())
                .metadataMaxAge(p.getMetadataMaxAge())
                .apiVersionAutoTimeout(p.getApiVersionAutoTimeout())
                .metadataRecoveryRebootstrapTrigger(p.getMetadataRecoveryRebootstrapTrigger())
                .metadataRecoveryStrategy(p.getMetadataRecoveryStrategy())
                .unavailableNodePolicy(p.getUnavailableNodePolicy())
                .clientDnsLookup(p.getClientDnsLookup())
                .proxyUrl(p.getProxy().getUrl())
                .maxInFlightRequestsPerConnection(p.getMaxInFlightRequestsPerConnection())
                .connectionClasses(p.getConnectionClasses())
                .connectionClassRoutes(p.getConnectionClassRoutes())
                .slowRequestThreshold(p.getSlowRequestThreshold())
                .receiveBufferBytes(bytes("receiveBufferBytes", p.getReceiveBufferSize()))
                .sendBufferBytes(bytes("sendBufferBytes", p.getSendBufferSize()))
                .maxResponseSize(bytes("maxResponseSize", p.getMaxResponseSize()))
                .maxQueuedRequests(p.getMaxQueuedRequests())
                .maxQueuedBytes(p.getMaxQueuedBytes() == null ? KafkaClientConfig.DEFAULT_MAX_QUEUED_BYTES
                        : p.getMaxQueuedBytes().toBytes())
                .queueFullWait(p.getQueueFullWait())
                .socketOptions(socketOptions(p))
                .apiVersion(p.getApiVersion())
                .expectedClusterId(p.getExpectedClusterId())
                .metricGroupPrefix(p.getMetricGroupPrefix());

        KwireClientProperties.Ssl ssl = p.getSsl();
        b.sslCheckHostname(ssl.isCheckHostname())
                .sslCafile(files.resolve("sslCafile", ssl.getCafile()))
                .sslCertfile(files.resolve("sslCertfile", ssl.getCertfile()))
                .sslKeyfile(files.resolve("sslKeyfile", ssl.getKeyfile()))
                .sslPassword(ssl.getPassword())
                .sslCrlfile(files.resolve("sslCrlfile", ssl.getCrlfile()))
                .sslReloadCheckInterval(ssl.getReloadCheckInterval())
                .sslRecycleConnections(ssl.isRecycleConnections())
                .sslEngine(ssl.getEngine())
                .sslCiphers(ssl.getCiphers())
                .sslEnabledProtocols(ssl.getEnabledProtocols())
                .sslKeystoreLocation(files.resolve("sslKeystoreLocation", ssl.getKeystoreLocation()))
                .sslKeystoreType(ssl.getKeystoreType())
                .sslKeystorePassword(ssl.getKeystorePassword())
                .sslKeyPassword(ssl.getKeyPassword())
                .sslTruststoreLocation(files.resolve("sslTruststoreLocation", ssl.getTruststoreLocation()))
                .sslTruststoreType(ssl.getTruststoreType())
                .sslTruststorePassword(ssl.getTruststorePassword());

        KwireClientProperties.Sasl sasl = p.getSasl();
        b.saslScramMaxIterations(sasl.getScramMaxIterations())
                .saslKerberosServiceName(sasl.getKerberosServiceName())
                .saslKerberosDomainName(sasl.getKerberosDomainName())
                .saslKerberosPrincipal(sasl.getKerberosPrincipal())
                .saslKerberosKeytab(files.resolve("saslKerberosKeytab", sasl.getKerberosKeytab()))
                .saslKerberosLoginContext(sasl.getKerberosLoginContext());
    }

    private static void applyConnectionDetails(KwireClientConnectionDetails details, KwireClientProperties p,
                                               KafkaClientConfig.Builder b) {
        b.bootstrapServers(details.getBootstrapServers());
        SecurityProtocol protocol = details.getSecurityProtocol();
        b.securityProtocol(protocol != null ? protocol : p.getSecurityProtocol());
        KwireClientConnectionDetails.SaslCredentials sasl = details.getSaslCredentials();
        if (sasl != null) {
            b.saslMechanism(sasl.mechanism()).saslPlainUsername(sasl.username()).saslPlainPassword(sasl.password());
        } else {
            b.saslMechanism(p.getSasl().getMechanism()).saslPlainUsername(p.getSasl().getUsername())
                    .saslPlainPassword(p.getSasl().getPassword());
        }
    }

    /**
     * Applies the connection details' SSL bundle, or else the one {@code kwire.client.ssl.bundle} names.
     *
     * @return where the bundle came from, for error messages, or {@code null} when there is none
     */
    private static String applySslBundle(KwireClientProperties properties, KwireClientConnectionDetails details,
                                         SslBundles sslBundles, KafkaClientConfig.Builder b) {
        SslBundle bundle = details.getSslBundle();
        if (bundle != null) {
            applySslBundle(bundle, b);
            return "the SSL bundle of the connection details";
        }
        String name = properties.getSsl().getBundle();
        if (name == null || name.isBlank()) {
            return null;
        }
        if (sslBundles == null) {
            throw new ConfigException("sslContext", "sslContext is to come from SSL bundle '" + name
                    + "' but the application has no SslBundles (spring.ssl.bundle.*)");
        }
        applySslBundle(name, bundle(name, sslBundles), b);
        return "SSL bundle '" + name + "' (sslContext)";
    }

    private static SslBundle bundle(String name, SslBundles sslBundles) {
        try {
            return sslBundles.getBundle(name);
        } catch (NoSuchSslBundleException e) {
            List<String> names = sslBundles.getBundleNames();
            ConfigException failure = new ConfigException("sslContext", "sslContext is to come from SSL bundle '"
                    + name + "', which the application does not define: " + (names.isEmpty()
                    ? "it defines no SSL bundle (spring.ssl.bundle.*)"
                    : "it defines " + names + " (spring.ssl.bundle.*)"));
            failure.initCause(e);
            throw failure;
        } catch (RuntimeException e) {
            // A store-based bundle loads its files here, when first asked for.
            throw unloadable(name, e);
        }
    }

    private static ConfigException unloadable(String name, RuntimeException e) {
        ConfigException failure = new ConfigException("sslContext", "sslContext could not be made from SSL bundle '"
                + name + "' (spring.ssl.bundle.*." + name + "): " + messages(e));
        failure.initCause(e);
        return failure;
    }

    /** Applies a bundle named by the properties; one whose key material fails to load is reported on the name. */
    private static void applySslBundle(String name, SslBundle bundle, KafkaClientConfig.Builder b) {
        try {
            applySslBundle(bundle, b);
        } catch (RuntimeException e) {
            throw unloadable(name, e);
        }
    }

    /** The messages of a failure and its causes, which for a bundle say which file failed and why. */
    private static String messages(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getMessage() != null && sb.indexOf(t.getMessage()) < 0) {
                sb.append(sb.length() == 0 ? "" : ": ").append(t.getMessage());
            }
        }
        return sb.length() == 0 ? e.getClass().getName() : sb.toString();
    }

    private static void applySslBundle(SslBundle bundle, KafkaClientConfig.Builder b) {
        b.sslContext(bundle.createSslContext());
        SslOptions options = bundle.getOptions();
        if (options != null && options.getCiphers() != null) {
            b.sslCiphers(Arrays.asList(options.getCiphers()));
        }
        if (options != null && options.getEnabledProtocols() != null) {
            b.sslEnabledProtocols(Arrays.asList(options.getEnabledProtocols()));
        }
    }

    private static Map<SocketOption<?>, Object> socketOptions(KwireClientProperties p) {
        Map<SocketOption<?>, Object> options = new LinkedHashMap<>();
        options.put(StandardSocketOptions.TCP_NODELAY, p.isTcpNoDelay());
        if (p.getKeepAlive() != null) {
            options.put(StandardSocketOptions.SO_KEEPALIVE, p.getKeepAlive());
        }
        return options;
    }

    private static Integer bytes(String key, DataSize size) {
        if (size == null) {
            return null;
        }
        long bytes = size.toBytes();
        if (bytes > Integer.MAX_VALUE) {
            throw new ConfigException(key, key + " must be <= " + Integer.MAX_VALUE + " bytes, got " + bytes);
        }
        return (int) bytes;
    }
}
