package io.kwire.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kwire.errors.ConfigException;
import io.kwire.errors.KwireException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.spi.SelectorProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class KafkaClientConfigTest {

    @TempDir
    Path dir;

    @Test
    void defaultsMatchTheReferenceClient() {
        KafkaClientConfig c = KafkaClientConfig.builder().build();
        assertThat(c.bootstrapServers()).containsExactly("localhost:9092");
        assertThat(c.clientId()).isEqualTo("kwire-" + c.clientSoftwareVersion());
        assertThat(c.clientSoftwareName()).isEqualTo("kwire");
        assertThat(c.clientSoftwareVersion()).matches(KafkaClientConfig.SOFTWARE_PATTERN);
        assertThat(c.reconnectBackoff()).isEqualTo(Duration.ofMillis(50));
        assertThat(c.reconnectBackoffMax()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.requestTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.connectionsMaxIdle()).isEqualTo(Duration.ofSeconds(540));
        assertThat(c.pollSpin()).isEqualTo(Duration.ofNanos(50_000));
        assertThat(c.connectionsMaxAge()).isZero();
        assertThat(c.sslReloadCheckInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.sslRecycleConnections()).isFalse();
        assertThat(c.retryBackoff()).isEqualTo(Duration.ofMillis(100));
        assertThat(c.retryBackoffMax()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.socketConnectionSetupTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.socketConnectionSetupTimeoutMax()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.metadataMaxAge()).isEqualTo(Duration.ofSeconds(300));
        assertThat(c.apiVersionAutoTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.metadataRecoveryRebootstrapTrigger()).isEqualTo(Duration.ofSeconds(300));
        assertThat(c.maxInFlightRequestsPerConnection()).isEqualTo(5);
        assertThat(c.receiveBufferBytes()).isEmpty();
        assertThat(c.sendBufferBytes()).isEmpty();
        assertThat(c.maxResponseSize()).isEqualTo(104_857_600);
        assertThat(c.socketOptions()).containsExactly(Map.entry(StandardSocketOptions.TCP_NODELAY, true));
        assertThat(c.apiVersion()).isEmpty();
        assertThat(c.selectorProvider()).isSameAs(SelectorProvider.provider());
        assertThat(c.observer()).isSameAs(ClientObserver.NONE);
        assertThat(c.metricGroupPrefix()).isEmpty();
        assertThat(c.time()).isSameAs(Time.SYSTEM);
        assertThat(c.metadataRecoveryStrategy()).isEqualTo(MetadataRecoveryStrategy.REBOOTSTRAP);
        assertThat(c.clientDnsLookup()).isEqualTo(ClientDnsLookup.USE_ALL_DNS_IPS);
        assertThat(c.securityProtocol()).isEqualTo(SecurityProtocol.PLAINTEXT);
        assertThat(c.sslContext()).isEmpty();
        assertThat(c.sslCheckHostname()).isTrue();
        assertThat(c.sslCafile()).isEmpty();
        assertThat(c.sslCertfile()).isEmpty();
        assertThat(c.sslKeyfile()).isEmpty();
        assertThat(c.sslPassword()).isEmpty();
        assertThat(c.sslCrlfile()).isEmpty();
        assertThat(c.sslCiphers()).isEmpty();
        assertThat(c.sslEnabledProtocols()).containsExactly("TLSv1.3", "TLSv1.2");
        assertThat(c.sslKeystoreLocation()).isEmpty();
        assertThat(c.sslKeystoreType()).isEqualTo("PKCS12");
        assertThat(c.sslKeystorePassword()).isEmpty();
        assertThat(c.sslKeyPassword()).isEmpty();
        assertThat(c.sslTruststoreLocation()).isEmpty();
        assertThat(c.sslTruststoreType()).isEqualTo("PKCS12");
        assertThat(c.sslTruststorePassword()).isEmpty();
        assertThat(c.saslMechanism()).isEmpty();
        assertThat(c.saslPlainUsername()).isEmpty();
        assertThat(c.saslPlainPassword()).isEmpty();
        assertThat(c.saslKerberosServiceName()).isEqualTo("kafka");
        assertThat(c.saslKerberosDomainName()).isEmpty();
        assertThat(c.saslKerberosPrincipal()).isEmpty();
        assertThat(c.saslKerberosKeytab()).isEmpty();
        assertThat(c.saslKerberosLoginContext()).isEmpty();
        assertThat(c.saslOauthTokenProvider()).isEmpty();
    }

    @Test
    void bootstrapServersAcceptACommaSeparatedStringAndNormalizePorts() {
        KafkaClientConfig c = KafkaClientConfig.builder()
                .bootstrapServers(" broker-1.example.com:19092, broker2 ,10.0.0.3:9093,[::1],[fe80::1%eth0]:9094,")
                .build();
        assertThat(c.bootstrapServers()).containsExactly("broker-1.example.com:19092", "broker2:9092",
                "10.0.0.3:9093", "[::1]:9092", "[fe80::1%eth0]:9094");
    }

    @Test
    void bootstrapServersAcceptAList() {
        assertThat(KafkaClientConfig.builder().bootstrapServers(List.of("a:1", "b")).build().bootstrapServers())
                .containsExactly("a:1", "b:9092");
    }

    @ParameterizedTest
    @ValueSource(strings = {"host:0", "host:65536", "host:abc", "::1", "[::1", "[::1]9092", "[]:9092", "ho st:9092",
            ":9092", "host:"})
    void invalidBootstrapAddressesNameTheKeyAndTheFormat(String address) {
        assertThatThrownBy(() -> KafkaClientConfig.builder().bootstrapServers(List.of(address)).build())
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("bootstrapServers entries must be host[:port] with port 1..65535")
                .hasMessageContaining("'" + address + "'");
    }

    @Test
    void emptyBootstrapServersAreRejected() {
        assertThatThrownBy(() -> KafkaClientConfig.builder().bootstrapServers(" , ").build())
                .isInstanceOf(ConfigException.class)
                .hasMessage("bootstrapServers must list at least one host[:port], got none");
    }

    static Stream<Arguments> invalidValues() {
        return Stream.of(
                bad("reconnectBackoff", b -> b.reconnectBackoff(Duration.ofMillis(-1)),
                        "reconnectBackoff must be >= 0 ms, got -1 ms"),
                bad("reconnectBackoffMax", b -> b.reconnectBackoffMax(Duration.ofMillis(10)),
                        "reconnectBackoffMax must be >= reconnectBackoff (50 ms), got 10 ms"),
                bad("requestTimeout", b -> b.requestTimeout(Duration.ZERO), "requestTimeout must be > 0 ms, got 0 ms"),
                bad("connectionsMaxIdle", b -> b.connectionsMaxIdle(Duration.ofSeconds(-1)),
                        "connectionsMaxIdle must be > 0 ms, got -1000 ms"),
                bad("pollSpin", b -> b.pollSpin(Duration.ofNanos(-1)), "pollSpin must be >= 0 ms, got PT-0.000000001S"),
                bad("pollSpin", b -> b.pollSpin(Duration.ofMillis(2)), "pollSpin must be <= 1 ms, got 2 ms"),
                bad("retryBackoff", b -> b.retryBackoff(Duration.ofMillis(-5)), "retryBackoff must be >= 0 ms, got -5 ms"),
                bad("retryBackoffMax", b -> b.retryBackoffMax(Duration.ofMillis(99)),
                        "retryBackoffMax must be >= retryBackoff (100 ms), got 99 ms"),
                bad("socketConnectionSetupTimeout", b -> b.socketConnectionSetupTimeout(Duration.ZERO),
                        "socketConnectionSetupTimeout must be > 0 ms, got 0 ms"),
                bad("socketConnectionSetupTimeoutMax", b -> b.socketConnectionSetupTimeoutMax(Duration.ofSeconds(5)),
                        "socketConnectionSetupTimeoutMax must be >= socketConnectionSetupTimeout (10000 ms), got 5000 ms"),
                bad("metadataMaxAge", b -> b.metadataMaxAge(Duration.ofMillis(-1)),
                        "metadataMaxAge must be >= 0 ms, got -1 ms"),
                bad("connectionsMaxAge", b -> b.connectionsMaxAge(Duration.ofMillis(500)),
                        "connectionsMaxAge must be 0 (no maximum age) or >= 1000 ms, got 500 ms"),
                bad("connectionsMaxAge", b -> b.connectionsMaxAge(Duration.ofMillis(-1)),
                        "connectionsMaxAge must be 0 (no maximum age) or >= 1000 ms, got -1 ms"),
                bad("sslReloadCheckInterval", b -> b.sslReloadCheckInterval(Duration.ofMillis(-1)),
                        "sslReloadCheckInterval must be >= 0 ms, got -1 ms"),
                bad("apiVersionAutoTimeout", b -> b.apiVersionAutoTimeout(Duration.ZERO),
                        "apiVersionAutoTimeout must be > 0 ms, got 0 ms"),
                bad("metadataRecoveryRebootstrapTrigger", b -> b.metadataRecoveryRebootstrapTrigger(Duration.ofMillis(-1)),
                        "metadataRecoveryRebootstrapTrigger must be >= 0 ms, got -1 ms"),
                bad("requestTimeout", b -> b.requestTimeout(Duration.ofDays(300 * 365)),
                        "requestTimeout must be <= 106751 days, got PT2628000H"),
                bad("requestTimeout", b -> b.requestTimeout(null), "requestTimeout must be set, got null"),
                bad("maxInFlightRequestsPerConnection", b -> b.maxInFlightRequestsPerConnection(0),
                        "maxInFlightRequestsPerConnection must be >= 1, got 0"),
                bad("receiveBufferBytes", b -> b.receiveBufferBytes(0),
                        "receiveBufferBytes must be >= 1 byte, or -1 for the OS default, got 0"),
                bad("sendBufferBytes", b -> b.sendBufferBytes(-2),
                        "sendBufferBytes must be >= 1 byte, or -1 for the OS default, got -2"),
                bad("maxResponseSize", b -> b.maxResponseSize(100), "maxResponseSize must be >= 1024, got 100"),
                bad("socketOptions", b -> b.socketOptions(Map.of(StandardSocketOptions.SO_KEEPALIVE, 1)),
                        "socketOptions values must match their option's type (SO_KEEPALIVE takes Boolean), got Integer 1"),
                bad("clientId", b -> b.clientId(null), "clientId must be set, got null"),
                bad("clientSoftwareName", b -> b.clientSoftwareName("-kwire"),
                        "clientSoftwareName must match [a-zA-Z0-9](?:[a-zA-Z0-9\\-.]*[a-zA-Z0-9])? (KIP-511: letters,"
                                + " digits, '-' and '.', starting and ending with a letter or digit), got '-kwire'"),
                bad("clientSoftwareVersion", b -> b.clientSoftwareVersion("1.0 beta"), null),
                bad("observer", b -> b.observer(null), "observer must be set, got null"),
                bad("time", b -> b.time(null), "time must be set, got null"),
                bad("selectorProvider", b -> b.selectorProvider(null), "selectorProvider must be set, got null"),
                bad("metricGroupPrefix", b -> b.metricGroupPrefix(null), "metricGroupPrefix must be set, got null"),
                bad("metadataRecoveryStrategy", b -> b.metadataRecoveryStrategy(null),
                        "metadataRecoveryStrategy must be set, got null"),
                bad("clientDnsLookup", b -> b.clientDnsLookup(null), "clientDnsLookup must be set, got null"),
                bad("securityProtocol", b -> b.securityProtocol(null), "securityProtocol must be set, got null"),
                bad("sslEnabledProtocols", b -> b.sslEnabledProtocols(List.of()),
                        "sslEnabledProtocols must list at least one entry, got none"),
                bad("sslCiphers", b -> b.sslCiphers(" "), "sslCiphers entries must not be blank, got [ ]"),
                bad("sslKeystoreType", b -> b.sslKeystoreType("NOPE"),
                        "sslKeystoreType must be PEM or a KeyStore type this JVM supports (PKCS12, JKS, ...), got 'NOPE'"),
                bad("sslTruststoreType", b -> b.sslTruststoreType("NOPE"), null));
    }

    private static Arguments bad(String key, UnaryOperator<KafkaClientConfig.Builder> change, String message) {
        return Arguments.of(key, change, message);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidValues")
    void invalidValueFailsAtBuildNamingTheKeyAndTheAllowedRange(String key,
            UnaryOperator<KafkaClientConfig.Builder> change, String message) {
        assertThatThrownBy(() -> change.apply(KafkaClientConfig.builder()).build())
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.key()).isEqualTo(key);
                    assertThat(e.getMessage()).startsWith(key + " ");
                    if (message != null) {
                        assertThat(e.getMessage()).isEqualTo(message);
                    }
                    assertThat(e.isRetriable()).isFalse();
                })
                .isInstanceOf(KwireException.class);
    }

    @Test
    void minusOneBufferSizeMeansTheOsDefaultAsInKafka() {
        KafkaClientConfig c = KafkaClientConfig.builder().receiveBufferBytes(-1).sendBufferBytes(131072).build();
        assertThat(c.receiveBufferBytes()).isEmpty();
        assertThat(c.sendBufferBytes()).isEqualTo(OptionalInt.of(131072));
    }

    @Test
    void apiVersionTextIsParsedOrRejectedRightAway() {
        assertThat(KafkaClientConfig.builder().apiVersion("3.9").build().apiVersion())
                .contains(new BrokerVersion(3, 9, 0));
        assertThatThrownBy(() -> KafkaClientConfig.builder().apiVersion("three"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("apiVersion must be major.minor[.patch], e.g. 3.9, got 'three'");
    }

    @Test
    void expectedClusterIdIsAClusterIdOrUnset() {
        assertThat(KafkaClientConfig.builder().build().expectedClusterId()).isEmpty();
        assertThat(KafkaClientConfig.builder().expectedClusterId("  ").build().expectedClusterId()).isEmpty();
        assertThat(KafkaClientConfig.builder().expectedClusterId(" MkU3OEVBNTcwNTJENDM2Qg ").build()
                .expectedClusterId()).contains("MkU3OEVBNTcwNTJENDM2Qg");
        assertThatThrownBy(() -> KafkaClientConfig.builder().expectedClusterId("my cluster").build())
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("expectedClusterId"))
                .hasMessageContaining("'my cluster'").hasMessageContaining("Kafka cluster id");
        assertThat(KafkaClientConfig.builder().expectedClusterId("MkU3OEVBNTcwNTJENDM2Qg").build().toBuilder()
                .build().expectedClusterId()).contains("MkU3OEVBNTcwNTJENDM2Qg");
    }

    @Test
    void apiVersionBeforeApiVersionsExistedFailsAtBuildListingTheKnownReleases() {
        assertThatThrownBy(() -> KafkaClientConfig.builder().apiVersion("0.1").build())
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("apiVersion"))
                .hasMessageStartingWith("apiVersion must be a Kafka release from 0.10.0 on (earlier brokers have no"
                        + " ApiVersions API), or unset to probe the broker; got 0.1.0. kwire knows 0.10.0, 0.10.1,")
                .hasMessageContaining(", 3.9, 4.0, 4.1, 4.2, 4.3, 4.4;");
        assertThatThrownBy(() -> KafkaClientConfig.builder().apiVersion(new BrokerVersion(0, 9, 0)).build())
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("apiVersion"));
        // Releases kwire has no table of its own for use the nearest older one; they are accepted.
        assertThat(KafkaClientConfig.builder().apiVersion("3.9.1").build().apiVersion())
                .contains(new BrokerVersion(3, 9, 1));
        assertThat(KafkaClientConfig.builder().apiVersion("99.0").build().apiVersion())
                .contains(new BrokerVersion(99, 0, 0));
    }

    @Test
    void socketOptionAddsToTheDefaults() {
        KafkaClientConfig c = KafkaClientConfig.builder().socketOption(StandardSocketOptions.SO_KEEPALIVE, true).build();
        assertThat(c.socketOptions()).containsEntry(StandardSocketOptions.TCP_NODELAY, true)
                .containsEntry(StandardSocketOptions.SO_KEEPALIVE, true);
    }

    @Test
    void saslPasswordMechanismsRequireUsernameAndPassword() {
        KafkaClientConfig.Builder b = KafkaClientConfig.builder().securityProtocol(SecurityProtocol.SASL_PLAINTEXT)
                .saslMechanism("PLAIN");
        assertThatThrownBy(b::build).isInstanceOf(ConfigException.class)
                .hasMessage("saslPlainUsername must be set for saslMechanism PLAIN with securityProtocol SASL_PLAINTEXT");
        b.saslMechanism("SCRAM-SHA-512").saslPlainUsername("app");
        assertThatThrownBy(b::build).isInstanceOf(ConfigException.class)
                .hasMessage("saslPlainPassword must be set for saslMechanism SCRAM-SHA-512 with securityProtocol"
                        + " SASL_PLAINTEXT");
        assertThat(b.saslPlainPassword("pw").build().saslPlainPassword()).contains(Password.of("pw"));
    }

    @ParameterizedTest
    @EnumSource(value = SecurityProtocol.class, names = {"SASL_PLAINTEXT", "SASL_SSL"})
    void saslWithoutAMechanismFailsListingTheMechanisms(SecurityProtocol protocol) {
        String message = "saslMechanism must be set for securityProtocol " + protocol + ": one of PLAIN, GSSAPI,"
                + " OAUTHBEARER, SCRAM-SHA-256, SCRAM-SHA-512 (or a name registered with SaslMechanismRegistry);"
                + " there is no default";
        // Credentials alone must not pick PLAIN: that would send the password in a form the user never chose.
        KafkaClientConfig.Builder b = KafkaClientConfig.builder().securityProtocol(protocol)
                .saslPlainUsername("app").saslPlainPassword("pw");
        for (String unset : new String[] {null, " "}) {
            assertThatThrownBy(() -> b.saslMechanism(unset).build())
                    .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("saslMechanism"))
                    .hasMessage(message);
        }
    }

    @ParameterizedTest
    @EnumSource(value = SecurityProtocol.class, names = {"PLAINTEXT", "SSL"})
    void withoutSaslNoMechanismIsNeeded(SecurityProtocol protocol) {
        KafkaClientConfig c = KafkaClientConfig.builder().securityProtocol(protocol).build();
        assertThat(c.saslMechanism()).isEmpty();
        assertThat(c.toBuilder().build().saslMechanism()).isEmpty();
    }

    @Test
    void toStringShowsAnUnsetMechanismAsNullNotPlain() {
        assertThat(KafkaClientConfig.builder().build().toString()).contains("saslMechanism=null,")
                .doesNotContain("saslMechanism=PLAIN");
        assertThat(KafkaClientConfig.builder().saslMechanism(" SCRAM-SHA-512 ").build().toString())
                .contains("saslMechanism=SCRAM-SHA-512,");
    }

    @Test
    void saslKeysAreNotCheckedWhenTheProtocolDoesNotUseSasl() {
        assertThat(KafkaClientConfig.builder().saslMechanism("SCRAM-SHA-256").build().saslMechanism())
                .contains("SCRAM-SHA-256");
    }

    @Test
    void oauthBearerRequiresATokenProvider() {
        KafkaClientConfig.Builder b = KafkaClientConfig.builder().securityProtocol(SecurityProtocol.SASL_SSL)
                .saslMechanism("OAUTHBEARER");
        assertThatThrownBy(b::build).isInstanceOf(ConfigException.class)
                .hasMessage("saslOauthTokenProvider must be set for saslMechanism OAUTHBEARER");
        OAuthBearerTokenProvider provider = () -> new OAuthBearerToken("t", Map.of(), Instant.EPOCH);
        assertThat(b.saslOauthTokenProvider(provider).build().saslOauthTokenProvider()).contains(provider);
    }

    @Test
    void customSaslMechanismsAreAcceptedButNotMalformedOnes() {
        KafkaClientConfig.Builder b = KafkaClientConfig.builder().securityProtocol(SecurityProtocol.SASL_PLAINTEXT);
        assertThat(b.saslMechanism("MY-MECH_1").build().saslMechanism()).contains("MY-MECH_1");
        assertThatThrownBy(() -> b.saslMechanism("plain text").build()).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("saslMechanism must be a SASL mechanism name");
    }

    @Test
    void gssapiChecksServiceNameAndKeytab() {
        KafkaClientConfig.Builder b = KafkaClientConfig.builder().securityProtocol(SecurityProtocol.SASL_PLAINTEXT)
                .saslMechanism("GSSAPI");
        assertThat(b.build().saslKerberosServiceName()).isEqualTo("kafka");
        assertThatThrownBy(() -> b.saslKerberosServiceName(" ").build()).isInstanceOf(ConfigException.class)
                .hasMessage("saslKerberosServiceName must not be blank for saslMechanism GSSAPI");
        Path missing = dir.resolve("missing.keytab");
        assertThatThrownBy(() -> b.saslKerberosServiceName("kafka").saslKerberosKeytab(missing).build())
                .isInstanceOf(ConfigException.class)
                .hasMessage("saslKerberosKeytab must be a readable file, got " + missing + " (does not exist)");
        KafkaClientConfig.Builder jaas = KafkaClientConfig.builder().securityProtocol(SecurityProtocol.SASL_PLAINTEXT)
                .saslMechanism("GSSAPI").saslKerberosLoginContext("KafkaClient");
        assertThat(jaas.build().saslKerberosLoginContext()).contains("KafkaClient");
        assertThatThrownBy(() -> jaas.saslKerberosPrincipal("app@EXAMPLE.COM").build())
                .isInstanceOf(ConfigException.class).hasMessageContaining("exclude each other");
        assertThatThrownBy(() -> jaas.saslKerberosPrincipal(null).saslKerberosLoginContext(" ").build())
                .isInstanceOf(ConfigException.class).hasMessage("saslKerberosLoginContext must not be blank");
    }

    @Test
    void sslKeystoreMustExistAndHaveAPassword() throws IOException {
        Path missing = dir.resolve("client.p12");
        KafkaClientConfig.Builder b = KafkaClientConfig.builder().securityProtocol(SecurityProtocol.SSL)
                .sslKeystoreLocation(missing);
        assertThatThrownBy(b::build).isInstanceOf(ConfigException.class)
                .hasMessage("sslKeystoreLocation must be a readable file, got " + missing + " (does not exist)");
        Files.write(missing, new byte[] {1});
        assertThatThrownBy(b::build).isInstanceOf(ConfigException.class)
                .hasMessage("sslKeystorePassword must be set when sslKeystoreLocation is set (type PKCS12)");
        assertThat(b.sslKeystorePassword("changeit").build().sslKeystoreLocation()).contains(missing);
    }

    @Test
    void sslFilesAreNotCheckedWithoutTlsOrWhenAnSslContextIsGiven() throws Exception {
        Path missing = dir.resolve("absent.pem");
        assertThat(KafkaClientConfig.builder().sslCafile(missing).build().sslCafile()).contains(missing);
        assertThat(KafkaClientConfig.builder().securityProtocol(SecurityProtocol.SSL).sslCafile(missing)
                .sslContext(SSLContext.getDefault()).build().sslContext()).isPresent();
    }

    @Test
    void theTlsEngineIsTheJdksUnlessSetAndOpenSslCannotUseAGivenSslContext() throws Exception {
        assertThat(KafkaClientConfig.builder().build().sslEngine()).isEqualTo(TlsEngine.JDK);
        KafkaClientConfig openSsl = KafkaClientConfig.builder().sslEngine(TlsEngine.OPENSSL).build();
        assertThat(openSsl.toBuilder().build().sslEngine()).isEqualTo(TlsEngine.OPENSSL);
        assertThat(openSsl.toString()).contains("sslEngine=OPENSSL");
        assertThatThrownBy(() -> KafkaClientConfig.builder().sslEngine(null).build())
                .isInstanceOf(ConfigException.class).hasMessage("sslEngine must be set, got null");
        assertThatThrownBy(() -> KafkaClientConfig.builder().securityProtocol(SecurityProtocol.SSL)
                .sslEngine(TlsEngine.OPENSSL).sslContext(SSLContext.getDefault()).build())
                .isInstanceOf(ConfigException.class).hasMessageContaining("sslEngine OPENSSL")
                .hasMessageContaining("an sslContext was given, whose engines are its own provider's");
    }

    @Test
    void sslKeyMaterialMayComeFromOneSourceOnly() throws IOException {
        Path file = Files.writeString(dir.resolve("x.pem"), "x");
        assertThatThrownBy(() -> KafkaClientConfig.builder().securityProtocol(SecurityProtocol.SSL)
                .sslKeystoreLocation(file).sslKeystorePassword("p").sslCertfile(file).build())
                .isInstanceOf(ConfigException.class)
                .hasMessage("sslKeystoreLocation and sslCertfile/sslKeyfile both name the client key: set one or the other");
        assertThatThrownBy(() -> KafkaClientConfig.builder().securityProtocol(SecurityProtocol.SSL)
                .sslTruststoreLocation(file).sslCafile(file).build())
                .isInstanceOf(ConfigException.class)
                .hasMessage("sslTruststoreLocation and sslCafile both name the trusted CAs: set one or the other");
        assertThatThrownBy(() -> KafkaClientConfig.builder().securityProtocol(SecurityProtocol.SSL)
                .sslKeyfile(file).build())
                .isInstanceOf(ConfigException.class)
                .hasMessage("sslKeyfile requires sslCertfile (the certificate for that key)");
    }

    @Test
    void pemStoresNeedNoPassword() throws IOException {
        Path pem = Files.writeString(dir.resolve("client.pem"), "-----BEGIN CERTIFICATE-----");
        KafkaClientConfig c = KafkaClientConfig.builder().securityProtocol(SecurityProtocol.SSL)
                .sslKeystoreLocation(pem).sslKeystoreType("pem").build();
        assertThat(c.sslKeystoreType()).isEqualTo("PEM");
    }

    @Test
    void toStringListsEveryKeyButNoSecret() throws IOException {
        Path pem = Files.writeString(dir.resolve("c.pem"), "x");
        KafkaClientConfig c = KafkaClientConfig.builder()
                .securityProtocol(SecurityProtocol.SASL_SSL)
                .saslMechanism("SCRAM-SHA-256").saslPlainUsername("app").saslPlainPassword("sasl-secret")
                .sslCertfile(pem).sslKeyfile(pem).sslPassword("pem-secret")
                .sslKeystorePassword("ks-secret").sslKeyPassword("key-secret").sslTruststorePassword("ts-secret")
                .saslOauthTokenProvider(() -> new OAuthBearerToken("token-secret", Map.of(), Instant.EPOCH))
                .build();
        String text = c.toString();
        assertThat(text).doesNotContain("sasl-secret", "pem-secret", "ks-secret", "key-secret", "ts-secret",
                "token-secret");
        assertThat(text).contains("saslPlainPassword=[hidden]", "sslKeystorePassword=[hidden]",
                "sslKeyPassword=[hidden]", "sslTruststorePassword=[hidden]", "sslPassword=[hidden]",
                "saslPlainUsername=app");
        for (java.lang.reflect.Method m : KafkaClientConfig.class.getDeclaredMethods()) {
            boolean accessor = java.lang.reflect.Modifier.isPublic(m.getModifiers()) && m.getParameterCount() == 0
                    && !java.lang.reflect.Modifier.isStatic(m.getModifiers())
                    && !List.of("toString", "toBuilder", "hashCode").contains(m.getName());
            if (accessor) {
                assertThat(text).as("toString lists key %s", m.getName()).contains(m.getName() + "=");
            }
        }
    }

    @Test
    void toBuilderRoundTripKeepsEveryValue() throws Exception {
        Path pem = Files.writeString(dir.resolve("c.pem"), "x");
        ClientObserver observer = new ClientObserver() { };
        Time time = new Time() {
            @Override
            public long nanoTime() {
                return 1;
            }

            @Override
            public long currentTimeMillis() {
                return 2;
            }
        };
        HostResolver resolver = host -> new InetAddress[0];
        KafkaClientConfig original = KafkaClientConfig.builder()
                .bootstrapServers("a:1,b:2").clientId("app").clientSoftwareName("app-sw").clientSoftwareVersion("9.9")
                .reconnectBackoff(Duration.ofMillis(1)).reconnectBackoffMax(Duration.ofMillis(2))
                .requestTimeout(Duration.ofMillis(3)).connectionsMaxIdle(Duration.ofMillis(4))
                .retryBackoff(Duration.ofMillis(5)).retryBackoffMax(Duration.ofMillis(6))
                .socketConnectionSetupTimeout(Duration.ofMillis(7)).socketConnectionSetupTimeoutMax(Duration.ofMillis(8))
                .metadataMaxAge(Duration.ofMillis(9)).apiVersionAutoTimeout(Duration.ofMillis(10))
                .metadataRecoveryRebootstrapTrigger(Duration.ofMillis(11)).maxInFlightRequestsPerConnection(1)
                .receiveBufferBytes(1000).sendBufferBytes(2000).maxResponseSize(4096)
                .socketOption(StandardSocketOptions.SO_KEEPALIVE, true).apiVersion("2.8.1").observer(observer)
                .metricGroupPrefix("p").time(time).metadataRecoveryStrategy(MetadataRecoveryStrategy.NONE)
                .clientDnsLookup(ClientDnsLookup.RESOLVE_CANONICAL_BOOTSTRAP_SERVERS_ONLY).hostResolver(resolver)
                .securityProtocol(SecurityProtocol.SASL_SSL).sslCheckHostname(false)
                .sslCafile(pem).sslCertfile(pem).sslKeyfile(pem).sslPassword("a").sslCrlfile(pem)
                .sslCiphers("TLS_AES_128_GCM_SHA256").sslEnabledProtocols("TLSv1.3").sslKeystoreType("JKS")
                .sslKeyPassword("b").sslTruststoreType("PEM").sslTruststorePassword("c")
                .saslMechanism("SCRAM-SHA-512").saslPlainUsername("u").saslPlainPassword("p")
                .saslKerberosServiceName("k").saslKerberosDomainName("d").saslKerberosPrincipal("pr")
                .saslKerberosKeytab(pem)
                .build();
        KafkaClientConfig copy = original.toBuilder().build();
        assertThat(copy.toString()).isEqualTo(original.toString());
        assertThat(copy.saslPlainPassword()).isEqualTo(original.saslPlainPassword());
        assertThat(copy.observer()).isSameAs(observer);
        assertThat(copy.time()).isSameAs(time);
        assertThat(copy.hostResolver()).isSameAs(resolver);
        assertThat(KafkaClientConfig.builder().build().hostResolver()).isSameAs(HostResolver.SYSTEM);
        assertThat(copy.bootstrapServers()).containsExactly("a:1", "b:2");
        assertThat(copy.apiVersion()).contains(new BrokerVersion(2, 8, 1));

        KafkaClientConfig changed = original.toBuilder().clientId("other").build();
        assertThat(changed.clientId()).isEqualTo("other");
        assertThat(original.clientId()).isEqualTo("app");
    }

    @Test
    void builtConfigDoesNotChangeWhenTheBuilderDoes() {
        KafkaClientConfig.Builder b = KafkaClientConfig.builder();
        KafkaClientConfig c = b.build();
        b.socketOption(StandardSocketOptions.SO_KEEPALIVE, true).bootstrapServers("x:1");
        assertThat(c.socketOptions()).doesNotContainKey(StandardSocketOptions.SO_KEEPALIVE);
        assertThat(c.bootstrapServers()).containsExactly("localhost:9092");
        assertThatThrownBy(() -> c.socketOptions().clear()).isInstanceOf(UnsupportedOperationException.class);
    }
}
