package io.kwire.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.kwire.KwireClient;
import io.kwire.client.BrokerVersion;
import io.kwire.client.ClientDnsLookup;
import io.kwire.client.ClientObserver;
import io.kwire.client.HostResolver;
import io.kwire.client.KafkaClientConfig;
import io.kwire.client.MetadataRecoveryStrategy;
import io.kwire.client.OAuthBearerToken;
import io.kwire.client.OAuthBearerTokenProvider;
import io.kwire.client.Password;
import io.kwire.client.ProxyUrl;
import io.kwire.client.RefreshingTokenProvider;
import io.kwire.client.SecurityProtocol;
import io.kwire.client.TlsEngine;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.StandardSocketOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.BeanUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.web.server.context.WebServerGracefulShutdownLifecycle;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

/**
 * Wiring of {@link KwireClientAutoConfiguration}, with a {@link FakeKwireClient} standing in for the real client
 * (whose factory is not implemented yet) wherever the test is about configuration rather than I/O.
 */
class KwireClientAutoConfigurationTests {

    @TempDir
    static Path dir;

    static Path file;

    private static final String[] OAUTHBEARER = {"kwire.client.security-protocol=SASL_PLAINTEXT",
            "kwire.client.sasl.mechanism=OAUTHBEARER"};

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(KwireClientAutoConfiguration.class, SslAutoConfiguration.class))
            .withUserConfiguration(FakeClientConfiguration.class);

    @BeforeAll
    static void createFile() throws IOException {
        file = Files.writeString(dir.resolve("some.pem"), "x");
    }

    @Test
    void defaultsGiveTheClientDefaults() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(KafkaClientConfig.class).hasSingleBean(KwireClientLifecycle.class)
                    .hasSingleBean(KwireClientConnectionDetails.class).hasSingleBean(KwireClientProperties.class);
            KafkaClientConfig config = context.getBean(KafkaClientConfig.class);
            assertThat(config.toString()).isEqualTo(KafkaClientConfig.builder().build().toString());
        });
    }

    static Stream<Arguments> everyProperty() {
        Path f = file;
        return Stream.of(
                p("bootstrap-servers", "a:1,b", KafkaClientConfig::bootstrapServers, List.of("a:1", "b:9092")),
                p("client-id", "my-app", KafkaClientConfig::clientId, "my-app"),
                p("client-software-name", "my-sw", KafkaClientConfig::clientSoftwareName, "my-sw"),
                p("client-software-version", "1.2.3", KafkaClientConfig::clientSoftwareVersion, "1.2.3"),
                p("reconnect-backoff", "20ms", KafkaClientConfig::reconnectBackoff, Duration.ofMillis(20)),
                p("reconnect-backoff-max", "5s", KafkaClientConfig::reconnectBackoffMax, Duration.ofSeconds(5)),
                p("request-timeout", "1m", KafkaClientConfig::requestTimeout, Duration.ofMinutes(1)),
                p("connections-max-idle", "2m", KafkaClientConfig::connectionsMaxIdle, Duration.ofMinutes(2)),
                p("idle-probe-interval", "15s", KafkaClientConfig::idleProbeInterval, Duration.ofSeconds(15)),
                p("poll-spin", "20us", KafkaClientConfig::pollSpin, Duration.ofNanos(20_000)),
                p("connections-max-age", "1h", KafkaClientConfig::connectionsMaxAge, Duration.ofHours(1)),
                p("retry-backoff", "200ms", KafkaClientConfig::retryBackoff, Duration.ofMillis(200)),
                p("retry-backoff-max", "3s", KafkaClientConfig::retryBackoffMax, Duration.ofSeconds(3)),
                p("socket-connection-setup-timeout", "4s", KafkaClientConfig::socketConnectionSetupTimeout,
                        Duration.ofSeconds(4)),
                p("socket-connection-setup-timeout-max", "40s", KafkaClientConfig::socketConnectionSetupTimeoutMax,
                        Duration.ofSeconds(40)),
                p("metadata-max-age", "1m", KafkaClientConfig::metadataMaxAge, Duration.ofMinutes(1)),
                p("api-version-auto-timeout", "3s", KafkaClientConfig::apiVersionAutoTimeout, Duration.ofSeconds(3)),
                p("metadata-recovery-rebootstrap-trigger", "10m", KafkaClientConfig::metadataRecoveryRebootstrapTrigger,
                        Duration.ofMinutes(10)),
                p("unavailable-node-policy", "wait", KafkaClientConfig::unavailableNodePolicy,
                        io.kwire.client.UnavailableNodePolicy.WAIT),
                p("metadata-recovery-strategy", "none", KafkaClientConfig::metadataRecoveryStrategy,
                        MetadataRecoveryStrategy.NONE),
                p("client-dns-lookup", "resolve-canonical-bootstrap-servers-only", KafkaClientConfig::clientDnsLookup,
                        ClientDnsLookup.RESOLVE_CANONICAL_BOOTSTRAP_SERVERS_ONLY),
                p("proxy.url", "socks5://app:proxy%40secret@proxy.example:1080", c -> c.proxyUrl().orElseThrow(),
                        ProxyUrl.parse("socks5://app:proxy%40secret@proxy.example:1080")),
                p("max-in-flight-requests-per-connection", "1", KafkaClientConfig::maxInFlightRequestsPerConnection, 1),
                p("connection-classes", "control,fetch", KafkaClientConfig::connectionClasses,
                        Set.of(io.kwire.client.ConnectionClass.CONTROL, io.kwire.client.ConnectionClass.FETCH)),
                p("connection-class-routes.join-group", "slow", KafkaClientConfig::connectionClassRoutes,
                        java.util.Map.of(io.kwire.protocol.ApiKey.JOIN_GROUP, io.kwire.client.ConnectionClass.SLOW)),
                p("slow-request-threshold", "5s", KafkaClientConfig::slowRequestThreshold, Duration.ofSeconds(5)),
                p("receive-buffer-size", "64KB", KafkaClientConfig::receiveBufferBytes, OptionalInt.of(65536)),
                p("receive-buffer-size", "-1B", KafkaClientConfig::receiveBufferBytes, OptionalInt.empty()),
                p("send-buffer-size", "128KB", KafkaClientConfig::sendBufferBytes, OptionalInt.of(131072)),
                p("max-response-size", "10MB", KafkaClientConfig::maxResponseSize, 10 * 1024 * 1024),
                p("max-queued-requests", "500", KafkaClientConfig::maxQueuedRequests, 500),
                p("max-queued-bytes", "1MB", KafkaClientConfig::maxQueuedBytes, 1024L * 1024),
                p("queue-full-wait", "2s", KafkaClientConfig::queueFullWait, Duration.ofSeconds(2)),
                p("tcp-no-delay", "false", c -> c.socketOptions().get(StandardSocketOptions.TCP_NODELAY), false),
                p("keep-alive", "true", c -> c.socketOptions().get(StandardSocketOptions.SO_KEEPALIVE), true),
                p("api-version", "3.9", c -> c.apiVersion().orElseThrow(), new BrokerVersion(3, 9, 0)),
                p("expected-cluster-id", "MkU3OEVBNTcwNTJENDM2Qg", c -> c.expectedClusterId().orElseThrow(),
                        "MkU3OEVBNTcwNTJENDM2Qg"),
                p("metric-group-prefix", "app", KafkaClientConfig::metricGroupPrefix, "app"),
                p("security-protocol", "sasl_plaintext", KafkaClientConfig::securityProtocol,
                        SecurityProtocol.SASL_PLAINTEXT, "kwire.client.sasl.mechanism=PLAIN",
                        "kwire.client.sasl.username=u", "kwire.client.sasl.password=p"),
                p("ssl.check-hostname", "false", KafkaClientConfig::sslCheckHostname, false),
                p("ssl.cafile", f.toString(), c -> c.sslCafile().orElseThrow(), f),
                p("ssl.certfile", f.toString(), c -> c.sslCertfile().orElseThrow(), f),
                p("ssl.keyfile", f.toString(), c -> c.sslKeyfile().orElseThrow(), f),
                p("ssl.password", "pem-pw", c -> c.sslPassword().orElseThrow(), Password.of("pem-pw")),
                p("ssl.crlfile", f.toString(), c -> c.sslCrlfile().orElseThrow(), f),
                p("ssl.reload-check-interval", "2s", KafkaClientConfig::sslReloadCheckInterval,
                        Duration.ofSeconds(2)),
                p("ssl.recycle-connections", "true", KafkaClientConfig::sslRecycleConnections, true),
                p("ssl.engine", "openssl", KafkaClientConfig::sslEngine, TlsEngine.OPENSSL),
                p("ssl.ciphers", "TLS_AES_256_GCM_SHA384,TLS_AES_128_GCM_SHA256", KafkaClientConfig::sslCiphers,
                        List.of("TLS_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256")),
                p("ssl.enabled-protocols", "TLSv1.3", KafkaClientConfig::sslEnabledProtocols, List.of("TLSv1.3")),
                p("ssl.keystore-location", f.toString(), c -> c.sslKeystoreLocation().orElseThrow(), f),
                p("ssl.keystore-type", "JKS", KafkaClientConfig::sslKeystoreType, "JKS"),
                p("ssl.keystore-password", "ks", c -> c.sslKeystorePassword().orElseThrow(), Password.of("ks")),
                p("ssl.key-password", "kp", c -> c.sslKeyPassword().orElseThrow(), Password.of("kp")),
                p("ssl.truststore-location", f.toString(), c -> c.sslTruststoreLocation().orElseThrow(), f),
                p("ssl.truststore-type", "PEM", KafkaClientConfig::sslTruststoreType, "PEM"),
                p("ssl.truststore-password", "ts", c -> c.sslTruststorePassword().orElseThrow(), Password.of("ts")),
                p("sasl.mechanism", "SCRAM-SHA-512", c -> c.saslMechanism().orElseThrow(), "SCRAM-SHA-512"),
                p("sasl.username", "alice", c -> c.saslPlainUsername().orElseThrow(), "alice"),
                p("sasl.password", "wonderland", c -> c.saslPlainPassword().orElseThrow(), Password.of("wonderland")),
                p("sasl.scram-max-iterations", "20000", KafkaClientConfig::saslScramMaxIterations, 20000),
                p("sasl.kerberos-service-name", "kafka-svc", KafkaClientConfig::saslKerberosServiceName, "kafka-svc"),
                p("sasl.kerberos-domain-name", "example.com", c -> c.saslKerberosDomainName().orElseThrow(),
                        "example.com"),
                p("sasl.kerberos-principal", "app@EXAMPLE.COM", c -> c.saslKerberosPrincipal().orElseThrow(),
                        "app@EXAMPLE.COM"),
                p("sasl.kerberos-keytab", f.toString(), c -> c.saslKerberosKeytab().orElseThrow(), f),
                p("sasl.kerberos-login-context", "KafkaClient", c -> c.saslKerberosLoginContext().orElseThrow(),
                        "KafkaClient"));
    }

    private static Arguments p(String property, String value, Function<KafkaClientConfig, Object> read,
                               Object expected, String... extra) {
        return Arguments.of(property, value, read, expected, extra);
    }

    @ParameterizedTest(name = "kwire.client.{0}={1}")
    @MethodSource("everyProperty")
    void everyPropertyReachesTheConfig(String property, String value, Function<KafkaClientConfig, Object> read,
                                       Object expected, String[] extra) {
        List<String> pairs = new ArrayList<>(List.of(extra));
        pairs.add("kwire.client." + property + "=" + value);
        runner.withPropertyValues(pairs.toArray(String[]::new)).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(read.apply(context.getBean(KafkaClientConfig.class))).isEqualTo(expected);
        });
    }

    /** Guards the table above: a property added to KwireClientProperties must be added there too. */
    @Test
    void theTableCoversEveryGeneratedProperty() throws IOException {
        Set<String> tested = new HashSet<>();
        everyProperty().forEach(a -> tested.add("kwire.client." + a.get()[0]));
        tested.add("kwire.client.connection-class-routes"); // a map: its row sets one of its keys
        // Covered by their own tests below.
        tested.addAll(List.of("kwire.client.enabled", "kwire.client.ssl.bundle", "kwire.client.lifecycle.phase",
                "kwire.client.lifecycle.shutdown-timeout", "kwire.client.lifecycle.auto-startup"));
        Set<String> documented = documentedProperties();
        assertThat(documented).hasSizeGreaterThan(40);
        assertThat(tested).containsAll(documented);
    }

    /** Failure reports name properties through this mapping: each must exist. */
    @Test
    void everyConfigKeyMapsToARealPropertyOrIsCodeOnly() throws IOException {
        Set<String> documented = documentedProperties();
        List<String> codeOnly = new ArrayList<>();
        for (String key : KwireClientPropertyNames.configKeys()) {
            String property = KwireClientPropertyNames.propertyFor(key);
            if (property == null) {
                codeOnly.add(key);
            } else {
                assertThat(documented).as("property for key %s", key).contains(property);
            }
        }
        assertThat(codeOnly).containsExactlyInAnyOrder("selectorProvider", "observer", "time",
                "saslOauthTokenProvider", "hostResolver");
    }

    @Test
    void theSaslMechanismPropertyOffersEveryMechanismToTheIde() throws IOException {
        try (InputStream in = KwireClientAutoConfigurationTests.class
                .getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            String json = new String(in.readAllBytes());
            String hints = json.substring(json.indexOf("\"hints\""));
            String mechanism = hints.substring(hints.indexOf("\"kwire.client.sasl.mechanism\""));
            for (String m : List.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512", "GSSAPI", "OAUTHBEARER")) {
                assertThat(mechanism).contains("\"value\": \"" + m + "\"");
            }
        }
    }

    private static Set<String> documentedProperties() throws IOException {
        Set<String> documented = new HashSet<>();
        try (InputStream in = KwireClientAutoConfigurationTests.class
                .getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            String json = new String(in.readAllBytes());
            // Only the "properties" section: "groups" names the nested groups (ssl, sasl, lifecycle) too.
            int start = json.indexOf("\"properties\"");
            int end = json.indexOf("\"hints\"", start);
            Matcher m = Pattern.compile("\"name\"\\s*:\\s*\"(kwire\\.client\\.[^\"]+)\"")
                    .matcher(json.substring(start, end < 0 ? json.length() : end));
            while (m.find()) {
                documented.add(m.group(1));
            }
        }
        return documented;
    }

    @Test
    void userClientBeanWinsAndIsNeverStartedTwice() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(KwireClient.class);
            assertThat(context.getBean(KwireClient.class)).isSameAs(context.getBean("userClient"));
            assertThat(((FakeKwireClient) context.getBean(KwireClient.class)).calls()).containsExactly("start");
        });
    }

    @Test
    void userConfigBeanWins() {
        KafkaClientConfig own = KafkaClientConfig.builder().clientId("own").build();
        runner.withBean(KafkaClientConfig.class, () -> own)
                .run(context -> assertThat(context.getBean(KafkaClientConfig.class)).isSameAs(own));
    }

    @Test
    void customizersApplyInOrderAfterTheProperties() {
        runner.withPropertyValues("kwire.client.client-id=from-properties")
                .withUserConfiguration(CustomizerConfiguration.class).run(context -> {
                    KafkaClientConfig config = context.getBean(KafkaClientConfig.class);
                    assertThat(config.clientId()).isEqualTo("from-properties-first-second");
                    assertThat(config.maxInFlightRequestsPerConnection()).isEqualTo(2);
                });
    }

    @Test
    void connectionDetailsOverrideTheConnectionProperties() {
        runner.withPropertyValues("kwire.client.bootstrap-servers=ignored:1", "kwire.client.security-protocol=SSL",
                        "kwire.client.sasl.username=ignored")
                .withBean(KwireClientConnectionDetails.class, () -> new KwireClientConnectionDetails() {
                    @Override
                    public List<String> getBootstrapServers() {
                        return List.of("container:32768");
                    }

                    @Override
                    public SecurityProtocol getSecurityProtocol() {
                        return SecurityProtocol.SASL_PLAINTEXT;
                    }

                    @Override
                    public SaslCredentials getSaslCredentials() {
                        return new SaslCredentials("SCRAM-SHA-256", "svc", Password.of("pw"));
                    }
                })
                .run(context -> {
                    assertThat(context).doesNotHaveBean(PropertiesKwireClientConnectionDetails.class);
                    KafkaClientConfig config = context.getBean(KafkaClientConfig.class);
                    assertThat(config.bootstrapServers()).containsExactly("container:32768");
                    assertThat(config.securityProtocol()).isEqualTo(SecurityProtocol.SASL_PLAINTEXT);
                    assertThat(config.saslMechanism()).contains("SCRAM-SHA-256");
                    assertThat(config.saslPlainUsername()).contains("svc");
                });
    }

    @Test
    void connectionDetailsThatOnlyKnowTheAddressKeepTheSecurityProperties() {
        runner.withPropertyValues("kwire.client.security-protocol=SASL_PLAINTEXT",
                        "kwire.client.sasl.mechanism=SCRAM-SHA-512", "kwire.client.sasl.username=u",
                        "kwire.client.sasl.password=p")
                .withBean(KwireClientConnectionDetails.class, () -> () -> List.of("container:1"))
                .run(context -> {
                    KafkaClientConfig config = context.getBean(KafkaClientConfig.class);
                    assertThat(config.bootstrapServers()).containsExactly("container:1");
                    assertThat(config.securityProtocol()).isEqualTo(SecurityProtocol.SASL_PLAINTEXT);
                    assertThat(config.saslMechanism()).contains("SCRAM-SHA-512");
                    assertThat(config.saslPlainUsername()).contains("u");
                });
    }

    @Test
    void sslBundleBecomesTheSslContext() throws Exception {
        Path store = TestKeyStores.selfSigned(dir, "bundle.p12", "secret");
        runner.withPropertyValues("spring.ssl.bundle.jks.kafka.keystore.location=file:" + store,
                        "spring.ssl.bundle.jks.kafka.keystore.password=secret",
                        "spring.ssl.bundle.jks.kafka.keystore.type=PKCS12",
                        "spring.ssl.bundle.jks.kafka.truststore.location=file:" + store,
                        "spring.ssl.bundle.jks.kafka.truststore.password=secret",
                        "spring.ssl.bundle.jks.kafka.options.enabled-protocols=TLSv1.3",
                        "kwire.client.ssl.bundle=kafka", "kwire.client.security-protocol=SSL")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    KafkaClientConfig config = context.getBean(KafkaClientConfig.class);
                    assertThat(config.sslContext()).isPresent();
                    assertThat(config.sslContext().get().getProtocol()).isEqualTo("TLS");
                    assertThat(config.sslEnabledProtocols()).containsExactly("TLSv1.3");
                    // The bundle's key manager holds our generated key.
                    assertThat(config.sslContext().get().createSSLEngine().getSSLParameters()).isNotNull();
                });
    }

    @Test
    void sslBundleWithAPlaintextProtocolNamesTheSecurityProtocolAsTheFix() throws Exception {
        Path store = TestKeyStores.selfSigned(dir, "plain.p12", "secret");
        runner.withPropertyValues("spring.ssl.bundle.jks.kafka.truststore.location=file:" + store,
                        "spring.ssl.bundle.jks.kafka.truststore.password=secret", "kwire.client.ssl.bundle=kafka")
                .run(context -> {
                    FailureAnalysis analysis = analyze(context.getStartupFailure());
                    assertThat(analysis.getDescription()).contains("Property: kwire.client.security-protocol")
                            .contains("kwire.client.security-protocol PLAINTEXT does not use TLS")
                            .contains("SSL bundle 'kafka' (kwire.client.ssl.bundle)");
                    assertThat(analysis.getAction()).startsWith("Update kwire.client.security-protocol");
                });
    }

    @Test
    void disabledTurnsEverythingOff() {
        runner.withPropertyValues("kwire.client.enabled=false").run(context -> assertThat(context)
                .doesNotHaveBean(KafkaClientConfig.class).doesNotHaveBean(KwireClientLifecycle.class)
                .doesNotHaveBean(KwireClientProperties.class).doesNotHaveBean(KwireClientConnectionDetails.class));
    }

    @Test
    void invalidValueStopsStartupWithTheAnalyzersMessage() {
        runner.withPropertyValues("kwire.client.reconnect-backoff=50ms", "kwire.client.reconnect-backoff-max=10ms")
                .run(context -> {
                    assertThat(context).hasFailed();
                    FailureAnalysis analysis = analyze(context.getStartupFailure());
                    assertThat(analysis.getDescription()).contains("Property: kwire.client.reconnect-backoff-max")
                            .contains("Reason: kwire.client.reconnect-backoff-max must be >= "
                                    + "kwire.client.reconnect-backoff (50 ms), got 10 ms");
                    assertThat(analysis.getAction()).startsWith("Update kwire.client.reconnect-backoff-max");
                });
    }

    @Test
    void invalidBootstrapServerNamesThePropertyAndTheFormat() {
        runner.withPropertyValues("kwire.client.bootstrap-servers=host:99999").run(context -> assertThat(
                analyze(context.getStartupFailure()).getDescription())
                .contains("Property: kwire.client.bootstrap-servers")
                .contains("host[:port] with port 1..65535"));
    }

    @Test
    void anInvalidProxyUrlNamesThePropertyAndNeverThePassword() {
        runner.withPropertyValues("kwire.client.proxy.url=socks5://app:proxy-secret@proxy.example")
                .run(context -> {
                    FailureAnalysis analysis = analyze(context.getStartupFailure());
                    assertThat(analysis.getDescription()).contains("Property: kwire.client.proxy.url")
                            .contains("has no port: add the proxy's port, e.g. :1080")
                            .doesNotContain("proxy-secret");
                    assertThat(analysis.getAction()).doesNotContain("proxy-secret");
                });
    }

    @Test
    void missingSaslCredentialsNameTheSaslProperty() {
        runner.withPropertyValues("kwire.client.security-protocol=SASL_SSL", "kwire.client.sasl.mechanism=PLAIN",
                        "kwire.client.sasl.username=u")
                .run(context -> assertThat(analyze(context.getStartupFailure()).getDescription())
                        .contains("Property: kwire.client.sasl.password")
                        .contains("kwire.client.sasl.password must be set for kwire.client.sasl.mechanism PLAIN"));
    }

    @Test
    void saslWithoutAMechanismFailsNamingThePropertyAndTheMechanisms() {
        assertThat(new KwireClientProperties().getSasl().getMechanism()).isNull();
        // Username and password alone must not mean PLAIN: the mechanism has no default, as in kafka-python.
        runner.withPropertyValues("kwire.client.security-protocol=SASL_SSL", "kwire.client.sasl.username=u",
                        "kwire.client.sasl.password=p")
                .run(context -> {
                    assertThat(context).hasFailed();
                    FailureAnalysis analysis = analyze(context.getStartupFailure());
                    assertThat(analysis.getDescription()).contains("Property: kwire.client.sasl.mechanism")
                            .contains("Reason: kwire.client.sasl.mechanism must be set for "
                                    + "kwire.client.security-protocol SASL_SSL: one of PLAIN, GSSAPI, OAUTHBEARER, "
                                    + "SCRAM-SHA-256, SCRAM-SHA-512");
                    assertThat(analysis.getAction()).startsWith("Update kwire.client.sasl.mechanism");
                });
    }

    @Test
    void withoutSaslTheMechanismMayStayUnset() {
        runner.withPropertyValues("kwire.client.security-protocol=SSL").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(KafkaClientConfig.class).saslMechanism()).isEmpty();
        });
    }

    @Test
    void oauthBearerUsesTheTokenProviderBean() {
        OAuthBearerTokenProvider provider = () -> new OAuthBearerToken("t", Map.of(), Instant.EPOCH);
        runner.withPropertyValues(OAUTHBEARER).withBean(OAuthBearerTokenProvider.class, () -> provider)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(KafkaClientConfig.class).saslOauthTokenProvider())
                            .containsSame(provider);
                });
    }

    /** The documented bean: a RefreshingTokenProvider is the provider, and the context closes it (its thread ends). */
    @Test
    void aRefreshingTokenProviderBeanIsTheProviderAndClosesWithTheContext() throws Exception {
        RefreshingTokenProvider[] made = new RefreshingTokenProvider[1];
        AtomicReference<Thread> refresher = new AtomicReference<>();
        runner.withPropertyValues(OAUTHBEARER).withBean(RefreshingTokenProvider.class, () -> made[0] =
                        new RefreshingTokenProvider(() -> {
                            refresher.set(Thread.currentThread());
                            return new OAuthBearerToken("t", Map.of(), Instant.now().plusSeconds(3600));
                        }, Duration.ofSeconds(20)))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(KafkaClientConfig.class).saslOauthTokenProvider())
                            .containsSame(made[0]);
                    assertThat(made[0].token().value()).isEqualTo("t");
                    assertThat(refresher.get().isAlive()).isTrue();
                });
        refresher.get().join(10_000);
        assertThat(refresher.get().isAlive()).as("the refresher thread after the context closed").isFalse();
    }

    @Test
    void aCustomizerReplacesTheTokenProviderBean() {
        OAuthBearerTokenProvider bean = () -> new OAuthBearerToken("bean", Map.of(), Instant.EPOCH);
        OAuthBearerTokenProvider custom = () -> new OAuthBearerToken("custom", Map.of(), Instant.EPOCH);
        runner.withPropertyValues(OAUTHBEARER).withBean(OAuthBearerTokenProvider.class, () -> bean)
                .withBean(KwireClientCustomizer.class, () -> b -> b.saslOauthTokenProvider(custom))
                .run(context -> assertThat(context.getBean(KafkaClientConfig.class).saslOauthTokenProvider())
                        .containsSame(custom));
    }

    @Test
    void aHostResolverBeanBecomesTheConfigsResolverAndACustomizerStillWins() {
        HostResolver bean = host -> new InetAddress[] {InetAddress.getLoopbackAddress()};
        HostResolver custom = host -> new InetAddress[] {InetAddress.getLoopbackAddress()};
        runner.withBean(HostResolver.class, () -> bean).run(context -> assertThat(
                context.getBean(KafkaClientConfig.class).hostResolver()).isSameAs(bean));
        runner.withBean(HostResolver.class, () -> bean).withBean(KwireClientCustomizer.class,
                () -> b -> b.hostResolver(custom)).run(context -> assertThat(
                        context.getBean(KafkaClientConfig.class).hostResolver()).isSameAs(custom));
        runner.run(context -> assertThat(context.getBean(KafkaClientConfig.class).hostResolver())
                .isSameAs(HostResolver.SYSTEM));
    }

    @Test
    void oauthBearerWithoutATokenProviderSaysWhichBeanToDefine() {
        runner.withPropertyValues(OAUTHBEARER).run(context -> {
            assertThat(context).hasFailed();
            FailureAnalysis analysis = analyze(context.getStartupFailure());
            assertThat(analysis.getDescription()).contains("Key: saslOauthTokenProvider")
                    .contains("saslOauthTokenProvider must be set for kwire.client.sasl.mechanism OAUTHBEARER");
            assertThat(analysis.getAction()).isEqualTo("Define a bean of type io.kwire.client.OAuthBearerTokenProvider"
                    + " (kwire uses it when it is the only one or the primary one), or set saslOauthTokenProvider in"
                    + " a KwireClientCustomizer.");
        });
    }

    @Test
    void theFailureAnalyzerIsRegistered() throws IOException {
        // Load only the names: Boot's own analyzers need constructor arguments that a bare loader lacks.
        Properties factories = new Properties();
        try (InputStream in = getClass().getResourceAsStream("/META-INF/spring.factories")) {
            factories.load(in);
        }
        assertThat(factories.getProperty(FailureAnalyzer.class.getName()))
                .isEqualTo(KwireClientConfigFailureAnalyzer.class.getName());
        assertThat(BeanUtils.instantiateClass(KwireClientConfigFailureAnalyzer.class)).isNotNull();
    }

    @Test
    void lifecycleStartsTheClientAndClosesItWithTheShutdownTimeout() {
        runner.withPropertyValues("kwire.client.lifecycle.shutdown-timeout=7s", "kwire.client.lifecycle.phase=42")
                .run(context -> {
                    KwireClientLifecycle lifecycle = context.getBean(KwireClientLifecycle.class);
                    FakeKwireClient client = (FakeKwireClient) context.getBean(KwireClient.class);
                    assertThat(lifecycle.getPhase()).isEqualTo(42);
                    assertThat(lifecycle.isRunning()).isTrue();
                    context.close();
                    // The context's destroy step may close once more; the client's close is idempotent.
                    assertThat(client.calls()).startsWith("start", "close PT7S");
                    assertThat(lifecycle.isRunning()).isFalse();
                });
    }

    @Test
    void lifecycleStartsAndClosesEveryClientBean() {
        runner.withPropertyValues("kwire.client.lifecycle.shutdown-timeout=7s")
                .withBean("secondClient", KwireClient.class, FakeKwireClient::new).run(context -> {
                    FakeKwireClient first = (FakeKwireClient) context.getBean("userClient");
                    FakeKwireClient second = (FakeKwireClient) context.getBean("secondClient");
                    assertThat(first.calls()).containsExactly("start");
                    assertThat(second.calls()).containsExactly("start");
                    context.close();
                    assertThat(first.calls()).startsWith("start", "close PT7S");
                    assertThat(second.calls()).startsWith("start", "close PT7S");
                });
    }

    @Test
    void theFactoryBuildsAClientFromAnotherPrefixWithTheSharedBeans() {
        ClientObserver shared = new ClientObserver() { };
        runner.withPropertyValues("audit.kwire.client-id=audit", "audit.kwire.bootstrap-servers=audit:9093",
                        "kwire.client.client-id=main")
                .withBean("shared", ClientObserver.class, () -> shared)
                .withBean(KwireClientCustomizer.class, () -> b -> b.maxInFlightRequestsPerConnection(3))
                .run(context -> {
                    KwireClientFactory factory = context.getBean(KwireClientFactory.class);
                    KafkaClientConfig audit = factory.createConfig(factory.bind("audit.kwire"));
                    assertThat(audit.clientId()).isEqualTo("audit");
                    assertThat(audit.bootstrapServers()).containsExactly("audit:9093");
                    assertThat(audit.observer()).isSameAs(shared);
                    assertThat(audit.maxInFlightRequestsPerConnection()).isEqualTo(3);
                    assertThat(context.getBean(KafkaClientConfig.class).clientId()).isEqualTo("main");
                });
    }

    @Test
    void theFactoryRefusesANegativeDurationUnderAnotherPrefix() {
        runner.withPropertyValues("audit.kwire.request-timeout=-1s").run(context -> {
            KwireClientFactory factory = context.getBean(KwireClientFactory.class);
            assertThatExceptionOfType(BindException.class).isThrownBy(() -> factory.bind("audit.kwire"))
                    .withRootCauseInstanceOf(BindValidationException.class)
                    .satisfies(e -> assertThat(e.getName().toString()).isEqualTo("audit.kwire"));
        });
    }

    @Test
    void everyConfigTheFactoryBuildsGetsItsOwnPerClientObserver() {
        runner.withBean(KwireClientObserverFactory.class, () -> () -> new ClientObserver() { }).run(context -> {
            KwireClientFactory factory = context.getBean(KwireClientFactory.class);
            KafkaClientConfig first = factory.createConfig(new KwireClientProperties());
            KafkaClientConfig second = factory.createConfig(new KwireClientProperties());
            assertThat(first.observer()).isNotEqualTo(ClientObserver.NONE).isNotSameAs(second.observer());
        });
    }

    @Test
    void autoStartupFalseLeavesTheClientStopped() {
        runner.withPropertyValues("kwire.client.lifecycle.auto-startup=false").run(context -> {
            assertThat(((FakeKwireClient) context.getBean(KwireClient.class)).calls()).isEmpty();
        });
    }

    @Test
    void defaultPhaseStartsBeforeAndStopsAfterTheWebServer() {
        runner.run(context -> {
            int phase = context.getBean(KwireClientLifecycle.class).getPhase();
            assertThat(phase).isEqualTo(KwireClientLifecycle.DEFAULT_PHASE);
            // Graceful shutdown drains at this phase; the server itself starts/stops 1024 lower (Boot 4.0).
            assertThat(phase).isLessThan(WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE - 1024);
            assertThat(phase).isLessThan(SmartLifecycle.DEFAULT_PHASE - 2048);
        });
    }

    @Test
    void observerBeansAreComposedIntoTheConfig() {
        ClientObserver first = new ClientObserver() { };
        ClientObserver second = new ClientObserver() { };
        runner.withBean("first", ClientObserver.class, () -> first).withBean("second", ClientObserver.class, () -> second)
                .run(context -> {
                    ClientObserver observer = context.getBean(KafkaClientConfig.class).observer();
                    assertThat(observer).isInstanceOf(CompositeClientObserver.class);
                    assertThat(((CompositeClientObserver) observer).observers()).containsExactlyInAnyOrder(first, second);
                });
    }

    @Test
    void anObserverSetByACustomizerIsAddedNotSwapped() {
        ClientObserver bean = new ClientObserver() { };
        ClientObserver custom = new ClientObserver() { };
        runner.withBean("bean", ClientObserver.class, () -> bean)
                .withBean(KwireClientCustomizer.class, () -> b -> b.observer(custom))
                .run(context -> assertThat(((CompositeClientObserver) context.getBean(KafkaClientConfig.class)
                        .observer()).observers()).containsExactly(bean, custom));
    }

    private static FailureAnalysis analyze(Throwable failure) {
        FailureAnalysis analysis = new KwireClientConfigFailureAnalyzer().analyze(failure);
        assertThat(analysis).as("analysis of %s", failure).isNotNull();
        return analysis;
    }

    @Configuration(proxyBeanMethods = false)
    static class FakeClientConfiguration {

        @Bean
        KwireClient userClient(ObjectProvider<KafkaClientConfig> config) {
            return new FakeKwireClient(config.getIfAvailable(() -> KafkaClientConfig.builder().build()));
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class CustomizerConfiguration {

        @Bean
        @Order(2)
        KwireClientCustomizer second() {
            return b -> b.clientId(b.build().clientId() + "-second");
        }

        @Bean
        @Order(1)
        KwireClientCustomizer first() {
            return b -> b.clientId(b.build().clientId() + "-first").maxInFlightRequestsPerConnection(2);
        }
    }

}
