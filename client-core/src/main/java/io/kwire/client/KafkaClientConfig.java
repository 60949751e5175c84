package io.kwire.client;

import io.kwire.errors.ConfigException;
import io.kwire.protocol.ApiKey;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.channels.spi.SelectorProvider;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;

/**
 * Everything a kwire client is configured with: immutable, validated when built, safe to share between threads.
 * One key per setting of the reference client ({@code kafka-python}'s {@code KafkaClient}), named in camelCase
 * with durations as {@link Duration} instead of {@code *_ms} integers; each accessor has the name of its key.
 *
 * <pre>{@code
 * KafkaClientConfig config = KafkaClientConfig.builder()
 *         .bootstrapServers("broker1:9092,broker2:9092")
 *         .securityProtocol(SecurityProtocol.SASL_SSL)
 *         .saslMechanism("SCRAM-SHA-512").saslPlainUsername("app").saslPlainPassword("secret")
 *         .build();
 * }</pre>
 *
 * <p>Invalid values fail in {@link Builder#build()} with a {@link ConfigException} naming the key and the allowed
 * range. Security keys are only checked when the {@link #securityProtocol()} uses them. {@link #toString()} lists
 * every key but never a secret: passwords are {@link Password}s, and the SSL context and token provider show
 * only their class.
 *
 * <p>The class is long because the key set is flat (one accessor per reference key, as users look them up); the
 * checks live in {@link ConfigChecks} so that this file is declarations only.
 */
public final class KafkaClientConfig {

    /** KIP-511's pattern for the client software name and version, as the broker enforces it. */
    static final Pattern SOFTWARE_PATTERN = Pattern.compile("[a-zA-Z0-9](?:[a-zA-Z0-9\\-.]*[a-zA-Z0-9])?");

    /** Matches RFC 4422 mechanism names (upper-case letters, digits, '-' and '_', 1 to 20 characters). */
    private static final Pattern SASL_MECHANISM_PATTERN = Pattern.compile("[A-Z0-9_-]{1,20}");

    private static final Set<String> PASSWORD_MECHANISMS = Set.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512");

    /** The reference client's valid {@code sasl_mechanism} values, in its order: kwire's built-in mechanisms. */
    private static final String BUILT_IN_MECHANISMS = "PLAIN, GSSAPI, OAUTHBEARER, SCRAM-SHA-256, SCRAM-SHA-512";

    /** Kafka's default frame limit: responses larger than this are treated as a corrupt stream. */
    public static final int DEFAULT_MAX_RESPONSE_SIZE = 100 * 1024 * 1024;
    /** Kafka's own maximum for the iterations of SCRAM credentials. */
    public static final int DEFAULT_SCRAM_MAX_ITERATIONS = 16_384;
    /** 32 MiB, a producer's default buffer memory. */
    public static final long DEFAULT_MAX_QUEUED_BYTES = 32L * 1024 * 1024;
    /** The default {@link #pollSpin()}: 50 us. */
    public static final Duration DEFAULT_POLL_SPIN = Duration.ofNanos(50_000);
    private static final Duration MAX_POLL_SPIN = Duration.ofMillis(1);

    private final List<String> bootstrapServers;
    private final String clientId;
    private final String clientSoftwareName;
    private final String clientSoftwareVersion;
    private final Duration reconnectBackoff;
    private final Duration reconnectBackoffMax;
    private final Duration requestTimeout;
    private final Duration connectionsMaxIdle;
    private final Duration idleProbeInterval;
    private final Duration pollSpin;
    private final Duration connectionsMaxAge;
    private final Duration retryBackoff;
    private final Duration retryBackoffMax;
    private final Duration socketConnectionSetupTimeout;
    private final Duration socketConnectionSetupTimeoutMax;
    private final Duration metadataMaxAge;
    private final Duration apiVersionAutoTimeout;
    private final Duration metadataRecoveryRebootstrapTrigger;
    private final int maxInFlightRequestsPerConnection;
    private final Set<ConnectionClass> connectionClasses;
    private final Map<ApiKey, ConnectionClass> connectionClassRoutes;
    private final Duration slowRequestThreshold;
    private final Integer receiveBufferBytes;
    private final Integer sendBufferBytes;
    private final int maxResponseSize;
    private final int saslScramMaxIterations;
    private final int maxQueuedRequests;
    private final long maxQueuedBytes;
    private final Duration queueFullWait;
    private final Map<SocketOption<?>, Object> socketOptions;
    private final BrokerVersion apiVersion;
    private final String expectedClusterId;
    private final SelectorProvider selectorProvider;
    private final ClientObserver observer;
    private final String metricGroupPrefix;
    private final Time time;
    private final MetadataRecoveryStrategy metadataRecoveryStrategy;
    private final UnavailableNodePolicy unavailableNodePolicy;
    private final ClientDnsLookup clientDnsLookup;
    private final HostResolver hostResolver;
    private final ProxyUrl proxyUrl;
    private final SecurityProtocol securityProtocol;
    private final SSLContext sslContext;
    private final boolean sslCheckHostname;
    private final Path sslCafile;
    private final Path sslCertfile;
    private final Path sslKeyfile;
    private final Password sslPassword;
    private final Path sslCrlfile;
    private final Duration sslReloadCheckInterval;
    private final boolean sslRecycleConnections;
    private final TlsEngine sslEngine;
    private final List<String> sslCiphers;
    private final List<String> sslEnabledProtocols;
    private final Path sslKeystoreLocation;
    private final String sslKeystoreType;
    private final Password sslKeystorePassword;
    private final Password sslKeyPassword;
    private final Path sslTruststoreLocation;
    private final String sslTruststoreType;
    private final Password sslTruststorePassword;
    private final String saslMechanism;
    private final String saslPlainUsername;
    private final Password saslPlainPassword;
    private final String saslKerberosServiceName;
    private final String saslKerberosDomainName;
    private final String saslKerberosPrincipal;
    private final Path saslKerberosKeytab;
    private final String saslKerberosLoginContext;
    private final OAuthBearerTokenProvider saslOauthTokenProvider;

    private KafkaClientConfig(Builder b) {
        bootstrapServers = ConfigChecks.bootstrapServers(b.bootstrapServers);
        clientId = clientId(b.clientId);
        clientSoftwareName = software("clientSoftwareName", b.clientSoftwareName);
        clientSoftwareVersion = software("clientSoftwareVersion", b.clientSoftwareVersion);

        reconnectBackoff = ConfigChecks.atLeast("reconnectBackoff", b.reconnectBackoff, Duration.ZERO);
        reconnectBackoffMax = ConfigChecks.atLeastKey("reconnectBackoffMax",
                ConfigChecks.atLeast("reconnectBackoffMax", b.reconnectBackoffMax, Duration.ZERO),
                "reconnectBackoff", reconnectBackoff);
        requestTimeout = ConfigChecks.positive("requestTimeout", b.requestTimeout);
        connectionsMaxIdle = ConfigChecks.positive("connectionsMaxIdle", b.connectionsMaxIdle);
        idleProbeInterval = ConfigChecks.atLeast("idleProbeInterval", b.idleProbeInterval, Duration.ZERO);
        pollSpin = ConfigChecks.between("pollSpin", b.pollSpin, Duration.ZERO, MAX_POLL_SPIN);
        connectionsMaxAge = ConfigChecks.zeroOrAtLeast("connectionsMaxAge", b.connectionsMaxAge, Duration.ofSeconds(1),
                "no maximum age");
        retryBackoff = ConfigChecks.atLeast("retryBackoff", b.retryBackoff, Duration.ZERO);
        retryBackoffMax = ConfigChecks.atLeastKey("retryBackoffMax",
                ConfigChecks.atLeast("retryBackoffMax", b.retryBackoffMax, Duration.ZERO), "retryBackoff", retryBackoff);
        socketConnectionSetupTimeout = ConfigChecks.positive("socketConnectionSetupTimeout",
                b.socketConnectionSetupTimeout);
        socketConnectionSetupTimeoutMax = ConfigChecks.atLeastKey("socketConnectionSetupTimeoutMax",
                ConfigChecks.positive("socketConnectionSetupTimeoutMax", b.socketConnectionSetupTimeoutMax),
                "socketConnectionSetupTimeout", socketConnectionSetupTimeout);
        metadataMaxAge = ConfigChecks.atLeast("metadataMaxAge", b.metadataMaxAge, Duration.ZERO);
        apiVersionAutoTimeout = ConfigChecks.positive("apiVersionAutoTimeout", b.apiVersionAutoTimeout);
        metadataRecoveryRebootstrapTrigger = ConfigChecks.atLeast("metadataRecoveryRebootstrapTrigger",
                b.metadataRecoveryRebootstrapTrigger, Duration.ZERO);

        maxInFlightRequestsPerConnection = ConfigChecks.atLeast("maxInFlightRequestsPerConnection",
                b.maxInFlightRequestsPerConnection, 1);
        connectionClasses = connectionClasses(b.connectionClasses);
        connectionClassRoutes = connectionClassRoutes(b.connectionClassRoutes);
        slowRequestThreshold = ConfigChecks.positive("slowRequestThreshold", b.slowRequestThreshold);
        receiveBufferBytes = ConfigChecks.bufferSize("receiveBufferBytes", b.receiveBufferBytes);
        sendBufferBytes = ConfigChecks.bufferSize("sendBufferBytes", b.sendBufferBytes);
        // A response header plus the smallest useful body needs far more than this; smaller is surely a unit mix-up.
        maxResponseSize = ConfigChecks.atLeast("maxResponseSize", b.maxResponseSize, 1024);
        saslScramMaxIterations = ConfigChecks.atLeast("saslScramMaxIterations", b.saslScramMaxIterations, 4096);
        maxQueuedRequests = ConfigChecks.atLeast("maxQueuedRequests", b.maxQueuedRequests, 1);
        maxQueuedBytes = ConfigChecks.atLeast("maxQueuedBytes", b.maxQueuedBytes, 0L);
        queueFullWait = ConfigChecks.atLeast("queueFullWait", b.queueFullWait, Duration.ZERO);
        socketOptions = socketOptions(b.socketOptions);

        apiVersion = fixedApiVersion(b.apiVersion);
        expectedClusterId = clusterId(b.expectedClusterId);
        selectorProvider = ConfigChecks.required("selectorProvider", b.selectorProvider);
        observer = ConfigChecks.required("observer", b.observer);
        metricGroupPrefix = ConfigChecks.required("metricGroupPrefix", b.metricGroupPrefix);
        time = ConfigChecks.required("time", b.time);
        metadataRecoveryStrategy = ConfigChecks.required("metadataRecoveryStrategy", b.metadataRecoveryStrategy);
        unavailableNodePolicy = ConfigChecks.required("unavailableNodePolicy", b.unavailableNodePolicy);
        clientDnsLookup = ConfigChecks.required("clientDnsLookup", b.clientDnsLookup);
        hostResolver = ConfigChecks.required("hostResolver", b.hostResolver);
        proxyUrl = b.proxyUrl != null ? b.proxyUrl
                : b.proxyUrlText == null || b.proxyUrlText.isBlank() ? null : ProxyUrl.parse(b.proxyUrlText);
        if (proxyUrl != null && clientDnsLookup == ClientDnsLookup.RESOLVE_CANONICAL_BOOTSTRAP_SERVERS_ONLY) {
            throw new ConfigException("clientDnsLookup", "clientDnsLookup " + clientDnsLookup + " resolves the"
                    + " bootstrap servers on the client, but with proxyUrl set the proxy resolves broker names: use "
                    + ClientDnsLookup.USE_ALL_DNS_IPS + " or unset proxyUrl");
        }

        securityProtocol = ConfigChecks.required("securityProtocol", b.securityProtocol);
        sslContext = b.sslContext;
        sslCheckHostname = b.sslCheckHostname;
        sslCafile = b.sslCafile;
        sslCertfile = b.sslCertfile;
        sslKeyfile = b.sslKeyfile;
        sslPassword = b.sslPassword;
        sslCrlfile = b.sslCrlfile;
        sslReloadCheckInterval = ConfigChecks.atLeast("sslReloadCheckInterval", b.sslReloadCheckInterval,
                Duration.ZERO);
        sslRecycleConnections = b.sslRecycleConnections;
        sslEngine = ConfigChecks.required("sslEngine", b.sslEngine);
        if (sslEngine == TlsEngine.OPENSSL && sslContext != null) {
            throw new ConfigException("sslEngine", "sslEngine OPENSSL builds its own context from the TLS files and"
                    + " stores, but an sslContext was given, whose engines are its own provider's: leave sslEngine at"
                    + " JDK, or give the key and trust material as files or stores instead of an sslContext");
        }
        sslCiphers = ConfigChecks.nonBlankEntries("sslCiphers", b.sslCiphers, true);
        sslEnabledProtocols = ConfigChecks.nonBlankEntries("sslEnabledProtocols", b.sslEnabledProtocols, false);
        sslKeystoreLocation = b.sslKeystoreLocation;
        sslKeystoreType = storeType("sslKeystoreType", b.sslKeystoreType);
        sslKeystorePassword = b.sslKeystorePassword;
        sslKeyPassword = b.sslKeyPassword;
        sslTruststoreLocation = b.sslTruststoreLocation;
        sslTruststoreType = storeType("sslTruststoreType", b.sslTruststoreType);
        sslTruststorePassword = b.sslTruststorePassword;
        if (securityProtocol.usesTls() && sslContext == null) {
            checkSslFiles();
        }

        saslMechanism = b.saslMechanism == null || b.saslMechanism.isBlank() ? null : b.saslMechanism.strip();
        saslPlainUsername = b.saslPlainUsername;
        saslPlainPassword = b.saslPlainPassword;
        saslKerberosServiceName = ConfigChecks.required("saslKerberosServiceName", b.saslKerberosServiceName);
        saslKerberosDomainName = b.saslKerberosDomainName;
        saslKerberosPrincipal = b.saslKerberosPrincipal;
        saslKerberosKeytab = b.saslKerberosKeytab;
        saslKerberosLoginContext = b.saslKerberosLoginContext;
        saslOauthTokenProvider = b.saslOauthTokenProvider;
        if (securityProtocol.usesSasl()) {
            checkSasl();
        }
    }

    /** A builder with every key at its default. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this config's values, to derive a changed copy. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * A fixed broker version must have a version table to take the api versions from ({@link
     * BrokerVersions#apiVersionsFor}); releases before 0.10.0 have none.
     */
    private static BrokerVersion fixedApiVersion(BrokerVersion version) {
        if (version != null && BrokerVersions.tableReleaseFor(version).isEmpty()) {
            List<BrokerVersion> known = BrokerVersions.knownReleases();
            throw new ConfigException("apiVersion", "apiVersion must be a Kafka release from " + known.get(0)
                    + " on (earlier brokers have no ApiVersions API), or unset to probe the broker; got " + version
                    + ". kwire knows " + known.stream().map(BrokerVersion::toString).collect(Collectors.joining(", "))
                    + "; a release between two of these uses the older one's versions");
        }
        return version;
    }

    /** A Kafka cluster id as brokers report it: 22 characters of URL-safe base64 for any cluster since 0.10.1. */
    private static String clusterId(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String id = value.strip();
        if (id.length() > 64 || !id.chars().allMatch(ch -> Character.isLetterOrDigit(ch) || ch == '-' || ch == '_')) {
            throw new ConfigException("expectedClusterId", "expectedClusterId must be a Kafka cluster id (22"
                    + " characters of URL-safe base64, as kafka-cluster.sh cluster-id or the broker's meta.properties"
                    + " shows it), or unset to take the cluster of the first metadata; got '" + id + "'");
        }
        return id;
    }

    private static String clientId(String value) {
        ConfigChecks.required("clientId", value);
        // The request header carries the client id as a string with a 16-bit length.
        int bytes = value.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > Short.MAX_VALUE) {
            throw new ConfigException("clientId", "clientId must be at most " + Short.MAX_VALUE
                    + " bytes in UTF-8, got " + bytes);
        }
        return value;
    }

    private static String software(String key, String value) {
        ConfigChecks.required(key, value);
        if (!SOFTWARE_PATTERN.matcher(value).matches()) {
            throw new ConfigException(key, key + " must match " + SOFTWARE_PATTERN.pattern()
                    + " (KIP-511: letters, digits, '-' and '.', starting and ending with a letter or digit), got '"
                    + value + "'");
        }
        return value;
    }

    private static Map<SocketOption<?>, Object> socketOptions(Map<SocketOption<?>, Object> options) {
        ConfigChecks.required("socketOptions", options);
        Map<SocketOption<?>, Object> copy = new LinkedHashMap<>();
        for (Map.Entry<SocketOption<?>, Object> e : options.entrySet()) {
            SocketOption<?> option = e.getKey();
            Object value = e.getValue();
            if (option == null || value == null || !option.type().isInstance(value)) {
                throw new ConfigException("socketOptions", "socketOptions values must match their option's type"
                        + (option == null ? "" : " (" + option.name() + " takes " + option.type().getSimpleName() + ")")
                        + ", got " + (value == null ? "null" : value.getClass().getSimpleName() + " " + value));
            }
            copy.put(option, value);
        }
        return Collections.unmodifiableMap(copy);
    }

    private static String storeType(String key, String type) {
        ConfigChecks.required(key, type);
        if (type.equalsIgnoreCase("PEM")) {
            return "PEM";
        }
        try {
            KeyStore.getInstance(type);
            return type;
        } catch (KeyStoreException e) {
            throw new ConfigException(key, key + " must be PEM or a KeyStore type this JVM supports (PKCS12, JKS, ...),"
                    + " got '" + type + "'");
        }
    }

    private void checkSslFiles() {
        if (sslKeystoreLocation != null && (sslCertfile != null || sslKeyfile != null)) {
            throw new ConfigException("sslKeystoreLocation",
                    "sslKeystoreLocation and sslCertfile/sslKeyfile both name the client key: set one or the other");
        }
        if (sslTruststoreLocation != null && sslCafile != null) {
            throw new ConfigException("sslTruststoreLocation",
                    "sslTruststoreLocation and sslCafile both name the trusted CAs: set one or the other");
        }
        if (sslKeyfile != null && sslCertfile == null) {
            throw new ConfigException("sslKeyfile", "sslKeyfile requires sslCertfile (the certificate for that key)");
        }
        ConfigChecks.readableFile("sslCafile", sslCafile);
        ConfigChecks.readableFile("sslCertfile", sslCertfile);
        ConfigChecks.readableFile("sslKeyfile", sslKeyfile);
        ConfigChecks.readableFile("sslCrlfile", sslCrlfile);
        ConfigChecks.readableFile("sslKeystoreLocation", sslKeystoreLocation);
        ConfigChecks.readableFile("sslTruststoreLocation", sslTruststoreLocation);
        if (sslKeystoreLocation != null && !"PEM".equals(sslKeystoreType) && sslKeystorePassword == null) {
            // As in Kafka: a key store without its password cannot yield the private key.
            throw new ConfigException("sslKeystorePassword",
                    "sslKeystorePassword must be set when sslKeystoreLocation is set (type " + sslKeystoreType + ")");
        }
    }

    private void checkSasl() {
        if (saslMechanism == null) {
            // No default, as in the reference client: a forgotten mechanism must not send the password with PLAIN.
            throw new ConfigException("saslMechanism", "saslMechanism must be set for securityProtocol "
                    + securityProtocol + ": one of " + BUILT_IN_MECHANISMS
                    + " (or a name registered with SaslMechanismRegistry); there is no default");
        }
        if (!SASL_MECHANISM_PATTERN.matcher(saslMechanism).matches()) {
            throw new ConfigException("saslMechanism", "saslMechanism must be a SASL mechanism name (1 to 20 of A-Z,"
                    + " 0-9, '-', '_'), e.g. " + BUILT_IN_MECHANISMS + ", got '" + saslMechanism + "'");
        }
        if (PASSWORD_MECHANISMS.contains(saslMechanism)) {
            if (saslPlainUsername == null || saslPlainUsername.isEmpty()) {
                throw new ConfigException("saslPlainUsername", "saslPlainUsername must be set for saslMechanism "
                        + saslMechanism + " with securityProtocol " + securityProtocol);
            }
            if (saslPlainUsername.indexOf('\0') >= 0) {
                throw new ConfigException("saslPlainUsername", "saslPlainUsername must not contain NUL characters");
            }
            if (saslPlainPassword == null || saslPlainPassword.isEmpty()) {
                throw new ConfigException("saslPlainPassword", "saslPlainPassword must be set for saslMechanism "
                        + saslMechanism + " with securityProtocol " + securityProtocol);
            }
        } else if (saslMechanism.equals("OAUTHBEARER") && saslOauthTokenProvider == null) {
            throw new ConfigException("saslOauthTokenProvider",
                    "saslOauthTokenProvider must be set for saslMechanism OAUTHBEARER");
        } else if (saslMechanism.equals("GSSAPI")) {
            if (saslKerberosServiceName.isBlank()) {
                throw new ConfigException("saslKerberosServiceName",
                        "saslKerberosServiceName must not be blank for saslMechanism GSSAPI");
            }
            ConfigChecks.readableFile("saslKerberosKeytab", saslKerberosKeytab);
            if (saslKerberosLoginContext != null && (saslKerberosKeytab != null || saslKerberosPrincipal != null)) {
                throw new ConfigException("saslKerberosLoginContext", "saslKerberosLoginContext (a JAAS login) and"
                        + " saslKerberosPrincipal/saslKerberosKeytab (kwire's own Kerberos login) exclude each other;"
                        + " set one or the other");
            }
            if (saslKerberosLoginContext != null && saslKerberosLoginContext.isBlank()) {
                throw new ConfigException("saslKerberosLoginContext", "saslKerberosLoginContext must not be blank");
            }
        }
    }

    /** Bootstrap addresses, normalized to {@code host:port} (IPv6 bracketed); default {@code localhost:9092}. */
    public List<String> bootstrapServers() {
        return bootstrapServers;
    }

    /** Sent in every request header to identify this client in broker logs and quotas; default {@code kwire-<version>}. */
    public String clientId() {
        return clientId;
    }

    /** KIP-511 software name sent with ApiVersions; default {@code kwire}. */
    public String clientSoftwareName() {
        return clientSoftwareName;
    }

    /** KIP-511 software version sent with ApiVersions; default kwire's version. */
    public String clientSoftwareVersion() {
        return clientSoftwareVersion;
    }

    /** Wait before reconnecting to a node after a failure; default 50 ms. */
    public Duration reconnectBackoff() {
        return reconnectBackoff;
    }

    /** Cap of the exponential reconnect back-off (with ±20 % jitter); default 1 s. */
    public Duration reconnectBackoffMax() {
        return reconnectBackoffMax;
    }

    /** How long a request may wait for its response; default 30 s. */
    public Duration requestTimeout() {
        return requestTimeout;
    }

    /** Idle connections are closed after this (brokers close theirs after 10 min); default 540 s. */
    public Duration connectionsMaxIdle() {
        return connectionsMaxIdle;
    }

    /**
     * How long a ready connection may go without sending or receiving before the client asks the broker whether it is
     * still there (an ApiVersions request): 30 s by default, 0 to never ask. A broker that does not answer within the
     * request timeout is closed like any request that timed out, so a hung broker (stopped process, frozen VM, a
     * network that drops packets silently) is noticed within this interval plus the request timeout, with no traffic
     * of the application's. Probes do not count as use: an idle connection is still reaped after
     * {@link #connectionsMaxIdle()}.
     */
    public Duration idleProbeInterval() {
        return idleProbeInterval;
    }

    /**
     * How long a poll that would block keeps checking its sockets without blocking first, while requests are likely
     * in flight: 50 us by default, 0 to block at once, at most 1 ms. A response that comes within the spin is read
     * without the CPU going to sleep and waking again (tens of microseconds on a virtual machine whose CPUs go
     * idle), which roughly halves the round trip to a fast broker on an idle machine. The client spins only while
     * requests are in flight and at least half of its recent spins that had to wait caught a response; once it has
     * stopped, a probe now and then finds out whether they do again (the first after 32 polls, each probe that misses
     * doubling the interval up to 1024 polls), so a slow broker or an idle client costs next to nothing. The spin
     * yields the CPU once, after its first check finds nothing, so that a broker woken on the client's CPU runs
     * first; a spin that keeps such a broker from answering misses, and stops. Set 0 where every microsecond of CPU
     * counts more than latency.
     */
    public Duration pollSpin() {
        return pollSpin;
    }

    /**
     * How long a connection may serve before it is recycled: from then on it takes no new requests, a new connection
     * to the broker takes them, and it closes once the requests in flight on it have ended (answered or timed out),
     * so none fails for it (one with nothing in flight closes at once). Each connection's limit is up to a tenth
     * shorter, at random, so that connections opened together are not all replaced together. Default 0: no maximum
     * age. When set, at least 1 s.
     */
    public Duration connectionsMaxAge() {
        return connectionsMaxAge;
    }

    /** Wait before retrying a failed request; default 100 ms. */
    public Duration retryBackoff() {
        return retryBackoff;
    }

    /** Cap of the exponential retry back-off (KIP-580); default 1 s. */
    public Duration retryBackoffMax() {
        return retryBackoffMax;
    }

    /** Time a connection set-up (TCP, TLS, SASL) may take before the attempt fails; default 10 s. */
    public Duration socketConnectionSetupTimeout() {
        return socketConnectionSetupTimeout;
    }

    /** Cap of the exponentially growing set-up timeout (KIP-601); default 30 s. */
    public Duration socketConnectionSetupTimeoutMax() {
        return socketConnectionSetupTimeoutMax;
    }

    /** Metadata older than this is refreshed even without a reason; default 300 s. */
    public Duration metadataMaxAge() {
        return metadataMaxAge;
    }

    /** Time allowed for the ApiVersions probe when {@link #apiVersion()} is not fixed; default 2 s. */
    public Duration apiVersionAutoTimeout() {
        return apiVersionAutoTimeout;
    }

    /** With {@link MetadataRecoveryStrategy#REBOOTSTRAP}: rebootstrap after metadata failed this long (KIP-1102); default 300 s. */
    public Duration metadataRecoveryRebootstrapTrigger() {
        return metadataRecoveryRebootstrapTrigger;
    }

    /** Requests pipelined per connection before further sends wait; default 5. */
    public int maxInFlightRequestsPerConnection() {
        return maxInFlightRequestsPerConnection;
    }

    /**
     * The {@link ConnectionClass}es that get connections of their own to each broker, opened when a request of the
     * class first needs one; the classes left out are merged into {@link ConnectionClass#CONTROL}, which is always
     * in. Default: all four (at most four connections per broker, each with its own
     * {@link #maxInFlightRequestsPerConnection()}); {@code CONTROL} alone is one connection per broker for everything.
     */
    public Set<ConnectionClass> connectionClasses() {
        return connectionClasses;
    }

    /**
     * APIs whose requests travel on another class than {@link ConnectionClass#defaultFor}'s; empty by default. A
     * route to a class that is not among {@link #connectionClasses()} goes to {@code CONTROL}.
     */
    public Map<ApiKey, ConnectionClass> connectionClassRoutes() {
        return connectionClassRoutes;
    }

    /**
     * A control or produce request whose broker-side wait exceeds this travels on the {@link ConnectionClass#SLOW}
     * connection instead (a JoinGroup waits up to its rebalance timeout; a Fetch or an admin request routed to
     * {@code CONTROL} up to its {@code maxWaitMs} or {@code timeoutMs}); default 1 s. A Produce's {@code timeoutMs}
     * bounds replication and is not counted as a wait.
     */
    public Duration slowRequestThreshold() {
        return slowRequestThreshold;
    }

    private static Set<ConnectionClass> connectionClasses(Set<ConnectionClass> classes) {
        ConfigChecks.required("connectionClasses", classes);
        if (classes.contains(null)) {
            throw new ConfigException("connectionClasses", "connectionClasses must not contain null");
        }
        if (!classes.contains(ConnectionClass.CONTROL)) {
            throw new ConfigException("connectionClasses", "connectionClasses must contain CONTROL (the classes left"
                    + " out are merged into it), got " + classes);
        }
        return Collections.unmodifiableSet(EnumSet.copyOf(classes));
    }

    private static Map<ApiKey, ConnectionClass> connectionClassRoutes(Map<ApiKey, ConnectionClass> routes) {
        ConfigChecks.required("connectionClassRoutes", routes);
        Map<ApiKey, ConnectionClass> copy = new EnumMap<>(ApiKey.class);
        routes.forEach((api, c) -> {
            if (api == null || c == null) {
                throw new ConfigException("connectionClassRoutes", "connectionClassRoutes must map API keys to"
                        + " classes, got " + api + " -> " + c);
            }
            copy.put(api, c);
        });
        return Collections.unmodifiableMap(copy);
    }

    /** SO_RCVBUF; empty means the OS default (the default). */
    public OptionalInt receiveBufferBytes() {
        return receiveBufferBytes == null ? OptionalInt.empty() : OptionalInt.of(receiveBufferBytes);
    }

    /** SO_SNDBUF; empty means the OS default (the default). */
    public OptionalInt sendBufferBytes() {
        return sendBufferBytes == null ? OptionalInt.empty() : OptionalInt.of(sendBufferBytes);
    }

    /** Largest response frame accepted; a larger size prefix closes the connection; default 100 MiB. */
    public int maxResponseSize() {
        return maxResponseSize;
    }

    /**
     * The most PBKDF2 iterations a SCRAM exchange accepts from a broker (16,384 by default, Kafka's own maximum for
     * SCRAM credentials; at least 4,096, SCRAM's minimum). The iterations are computed on one of the client's SASL
     * threads, so a broker that asks for more (a hostile one can ask for 2<sup>31</sup>, minutes of CPU) fails the
     * exchange with an {@link io.kwire.errors.AuthenticationException} instead of holding that thread and the
     * connection for minutes.
     */
    public int saslScramMaxIterations() {
        return saslScramMaxIterations;
    }

    /**
     * The most requests a {@code KwireClient} holds unfinished (queued, waiting for a node, or in flight): 10,000 by
     * default. A request beyond it waits up to {@link #queueFullWait()} for one to finish, then fails with a
     * {@link io.kwire.errors.QueueFullException} without being sent.
     */
    public int maxQueuedRequests() {
        return maxQueuedRequests;
    }

    /**
     * The most bytes of record batches and other byte fields a {@code KwireClient} holds in unfinished requests, as a
     * producer's buffer memory: 32 MiB by default. One request heavier than this still goes when nothing else is held.
     */
    public long maxQueuedBytes() {
        return maxQueuedBytes;
    }

    /**
     * How long {@code KwireClient.send} waits for room when {@link #maxQueuedRequests()} or {@link #maxQueuedBytes()}
     * is reached, blocking the calling thread, before the request fails with a
     * {@link io.kwire.errors.QueueFullException}: 0 by default (fail at once, never block the caller).
     */
    public Duration queueFullWait() {
        return queueFullWait;
    }

    /**
     * Options set on every broker socket; default TCP_NODELAY=true. SO_KEEPALIVE is on unless these options set it
     * (false turns it off).
     */
    public Map<SocketOption<?>, Object> socketOptions() {
        return socketOptions;
    }

    /** A fixed broker version to assume instead of probing with ApiVersions; empty (probe) by default. */
    public Optional<BrokerVersion> apiVersion() {
        return Optional.ofNullable(apiVersion);
    }

    /**
     * The id of the Kafka cluster the client must talk to; empty (default) to take the cluster of the first metadata
     * answer. Either way, once the id is known every new connection is checked before it takes requests (ApiVersions
     * v5 of KIP-1242 on Kafka 4.4 and later, a Metadata answer on older brokers), and a broker of another cluster
     * is refused with {@link io.kwire.errors.ClusterIdMismatchException}. Brokers of 0.10.0 name no cluster and are
     * not checked.
     */
    public Optional<String> expectedClusterId() {
        return Optional.ofNullable(expectedClusterId);
    }

    /** Where the client's selector and channels come from; default {@link SelectorProvider#provider()}. */
    public SelectorProvider selectorProvider() {
        return selectorProvider;
    }

    /** Told about connections, requests and metadata (the metrics hook); default {@link ClientObserver#NONE}. */
    public ClientObserver observer() {
        return observer;
    }

    /**
     * kafka-python's metric group prefix (such as "producer"), telling apart the metrics of clients that serve
     * different purposes; default empty. The Spring Boot starter puts it on every meter as the tag {@code group};
     * an observer of one's own may use it as it likes.
     */
    public String metricGroupPrefix() {
        return metricGroupPrefix;
    }

    /** Source of time for timeouts and back-offs; default {@link Time#SYSTEM}. */
    public Time time() {
        return time;
    }

    /** What to do when no known broker is reachable (KIP-899); default {@link MetadataRecoveryStrategy#REBOOTSTRAP}. */
    public MetadataRecoveryStrategy metadataRecoveryStrategy() {
        return metadataRecoveryStrategy;
    }

    /**
     * What a request does when its node's last connection attempt failed and the node is backing off:
     * {@link UnavailableNodePolicy#FAIL_FAST} (the default) fails it at once with that failure,
     * {@link UnavailableNodePolicy#WAIT} waits while the back-off ends before the request's deadline.
     */
    public UnavailableNodePolicy unavailableNodePolicy() {
        return unavailableNodePolicy;
    }

    /** How host names resolve; default {@link ClientDnsLookup#USE_ALL_DNS_IPS}. */
    public ClientDnsLookup clientDnsLookup() {
        return clientDnsLookup;
    }

    /**
     * What turns host names into addresses, on lookup threads of the client's own (at most four lookups at once), so
     * that a slow name server holds up only the connections that need a lookup; it must answer within a bounded time.
     * Default {@link HostResolver#SYSTEM}, the JDK's.
     */
    public HostResolver hostResolver() {
        return hostResolver;
    }

    /**
     * The SOCKS5 or HTTP CONNECT proxy every broker connection goes through; default none. With a proxy the client
     * connects only to the proxy and asks it for each broker's advertised {@code host:port}: broker names are
     * resolved by the proxy, never by the client. TLS and SASL then run through the proxy's tunnel as usual; the
     * proxy's part of the set-up counts against {@link #socketConnectionSetupTimeout()}.
     */
    public Optional<ProxyUrl> proxyUrl() {
        return Optional.ofNullable(proxyUrl);
    }

    /** Transport and authentication; default {@link SecurityProtocol#PLAINTEXT}. */
    public SecurityProtocol securityProtocol() {
        return securityProtocol;
    }

    /**
     * A ready SSL context. When present it supplies keys and trust, and the file and store keys are not read;
     * {@link #sslCheckHostname()}, {@link #sslEnabledProtocols()} and {@link #sslCiphers()} still apply.
     */
    public Optional<SSLContext> sslContext() {
        return Optional.ofNullable(sslContext);
    }

    /** Whether the broker certificate must match the host name connected to; default true. */
    public boolean sslCheckHostname() {
        return sslCheckHostname;
    }

    /** PEM file of CA certificates to trust. */
    public Optional<Path> sslCafile() {
        return Optional.ofNullable(sslCafile);
    }

    /** PEM file with the client certificate chain (and possibly its key). */
    public Optional<Path> sslCertfile() {
        return Optional.ofNullable(sslCertfile);
    }

    /** PEM file with the client private key. */
    public Optional<Path> sslKeyfile() {
        return Optional.ofNullable(sslKeyfile);
    }

    /** Password of the encrypted private key in {@link #sslKeyfile()} / {@link #sslCertfile()}. */
    public Optional<Password> sslPassword() {
        return Optional.ofNullable(sslPassword);
    }

    /** CRL file checked against the broker's leaf certificate; no CRL check by default. */
    public Optional<Path> sslCrlfile() {
        return Optional.ofNullable(sslCrlfile);
    }

    /**
     * How often, at most, the TLS files ({@link #sslCafile()}, {@link #sslCertfile()}, {@link #sslKeyfile()},
     * {@link #sslCrlfile()}, the key and trust stores) are checked for changes: before a new connection, and by the
     * engine while {@link #sslRecycleConnections()} is on, the files' modification times and sizes are read at most
     * once per interval, and only when they changed is their content hashed and, if that changed too, a new SSL
     * context built for new connections (both off the I/O thread, on the common fork-join pool). A new file that cannot be used (half written, wrong password, a key that
     * does not match its certificate) leaves the context in use as it is, is logged once, shows in
     * {@link ClientStatus#tls()}, and is tried again when the files change again. Default 10 s; 0 reads the files
     * only when the client is created. Not used with {@link #sslContext()}: hand the client a new one instead
     * ({@code updateSslContext}).
     */
    public Duration sslReloadCheckInterval() {
        return sslReloadCheckInterval;
    }

    /**
     * Whether existing connections move to new TLS material (a reloaded file, or an SSL context handed to the client
     * through {@code updateSslContext}): each is recycled as with {@link #connectionsMaxAge()}, taking no new
     * requests while the ones in flight on it end, and a new connection with the new material takes over. Default
     * false: existing connections keep the material they were opened with until they close for another reason.
     */
    public boolean sslRecycleConnections() {
        return sslRecycleConnections;
    }

    /**
     * The TLS implementation; default {@link TlsEngine#JDK}. {@link TlsEngine#OPENSSL} (OpenSSL or BoringSSL through
     * netty-tcnative, which the application adds) costs less CPU per byte sent; see {@link TlsEngine}.
     */
    public TlsEngine sslEngine() {
        return sslEngine;
    }

    /**
     * Cipher suites to enable (JSSE names); empty means the JVM's defaults, and with {@link TlsEngine#OPENSSL} the
     * forward-secret AEAD suites of TLS 1.2 and the TLS 1.3 suites (see {@link TlsEngine#OPENSSL} for what that
     * engine accepts here).
     */
    public List<String> sslCiphers() {
        return sslCiphers;
    }

    /** TLS protocol versions to enable; default TLSv1.3, TLSv1.2. */
    public List<String> sslEnabledProtocols() {
        return sslEnabledProtocols;
    }

    /** Key store with the client key and certificate (mutual TLS). */
    public Optional<Path> sslKeystoreLocation() {
        return Optional.ofNullable(sslKeystoreLocation);
    }

    /** Key store format: PKCS12 (default), JKS, PEM, or another type the JVM supports. */
    public String sslKeystoreType() {
        return sslKeystoreType;
    }

    /** Key store password. */
    public Optional<Password> sslKeystorePassword() {
        return Optional.ofNullable(sslKeystorePassword);
    }

    /** Password of the private key inside the key store, if it differs from the store's. */
    public Optional<Password> sslKeyPassword() {
        return Optional.ofNullable(sslKeyPassword);
    }

    /** Trust store with the CA certificates; the JVM's trust store by default. */
    public Optional<Path> sslTruststoreLocation() {
        return Optional.ofNullable(sslTruststoreLocation);
    }

    /** Trust store format: PKCS12 (default), JKS, PEM, or another type the JVM supports. */
    public String sslTruststoreType() {
        return sslTruststoreType;
    }

    /** Trust store password (optional: certificates can be read without it). */
    public Optional<Password> sslTruststorePassword() {
        return Optional.ofNullable(sslTruststorePassword);
    }

    /**
     * SASL mechanism for the SASL protocols: PLAIN, GSSAPI, OAUTHBEARER, SCRAM-SHA-256, SCRAM-SHA-512 or a name
     * registered with {@code SaslMechanismRegistry}. No default: empty unless set, and {@link Builder#build()} fails
     * when {@link #securityProtocol()} uses SASL and it is empty.
     */
    public Optional<String> saslMechanism() {
        return Optional.ofNullable(saslMechanism);
    }

    /** User name for PLAIN and SCRAM. */
    public Optional<String> saslPlainUsername() {
        return Optional.ofNullable(saslPlainUsername);
    }

    /** Password for PLAIN and SCRAM. */
    public Optional<Password> saslPlainPassword() {
        return Optional.ofNullable(saslPlainPassword);
    }

    /** Kerberos service name of the brokers for GSSAPI; default {@code kafka}. */
    public String saslKerberosServiceName() {
        return saslKerberosServiceName;
    }

    /** Kerberos host name to use for GSSAPI instead of the broker's host. */
    public Optional<String> saslKerberosDomainName() {
        return Optional.ofNullable(saslKerberosDomainName);
    }

    /** Client principal for GSSAPI, e.g. {@code app@EXAMPLE.COM}. */
    public Optional<String> saslKerberosPrincipal() {
        return Optional.ofNullable(saslKerberosPrincipal);
    }

    /** Keytab holding the principal's key for GSSAPI; the ticket cache by default. */
    public Optional<Path> saslKerberosKeytab() {
        return Optional.ofNullable(saslKerberosKeytab);
    }

    /**
     * The name of an entry in the JVM's JAAS configuration ({@code java.security.auth.login.config}), e.g.
     * {@code KafkaClient}, to log in with for GSSAPI instead of {@link #saslKerberosPrincipal()} and
     * {@link #saslKerberosKeytab()}; unset by default.
     */
    public Optional<String> saslKerberosLoginContext() {
        return Optional.ofNullable(saslKerberosLoginContext);
    }

    /** Token source for OAUTHBEARER. */
    public Optional<OAuthBearerTokenProvider> saslOauthTokenProvider() {
        return Optional.ofNullable(saslOauthTokenProvider);
    }

    /** Every key and its value; secrets as {@code [hidden]}, objects without a useful value by class name. */
    @Override
    public String toString() {
        Map<String, Object> keys = new LinkedHashMap<>();
        keys.put("bootstrapServers", bootstrapServers);
        keys.put("clientId", clientId);
        keys.put("clientSoftwareName", clientSoftwareName);
        keys.put("clientSoftwareVersion", clientSoftwareVersion);
        keys.put("reconnectBackoff", reconnectBackoff);
        keys.put("reconnectBackoffMax", reconnectBackoffMax);
        keys.put("requestTimeout", requestTimeout);
        keys.put("connectionsMaxIdle", connectionsMaxIdle);
        keys.put("idleProbeInterval", idleProbeInterval);
        keys.put("pollSpin", pollSpin);
        keys.put("connectionsMaxAge", connectionsMaxAge);
        keys.put("retryBackoff", retryBackoff);
        keys.put("retryBackoffMax", retryBackoffMax);
        keys.put("socketConnectionSetupTimeout", socketConnectionSetupTimeout);
        keys.put("socketConnectionSetupTimeoutMax", socketConnectionSetupTimeoutMax);
        keys.put("metadataMaxAge", metadataMaxAge);
        keys.put("apiVersionAutoTimeout", apiVersionAutoTimeout);
        keys.put("metadataRecoveryRebootstrapTrigger", metadataRecoveryRebootstrapTrigger);
        keys.put("maxInFlightRequestsPerConnection", maxInFlightRequestsPerConnection);
        keys.put("connectionClasses", connectionClasses);
        keys.put("connectionClassRoutes", connectionClassRoutes);
        keys.put("slowRequestThreshold", slowRequestThreshold);
        keys.put("receiveBufferBytes", receiveBufferBytes == null ? "os-default" : receiveBufferBytes);
        keys.put("sendBufferBytes", sendBufferBytes == null ? "os-default" : sendBufferBytes);
        keys.put("maxResponseSize", maxResponseSize);
        keys.put("saslScramMaxIterations", saslScramMaxIterations);
        keys.put("maxQueuedRequests", maxQueuedRequests);
        keys.put("maxQueuedBytes", maxQueuedBytes);
        keys.put("queueFullWait", queueFullWait);
        keys.put("socketOptions", socketOptions);
        keys.put("apiVersion", apiVersion == null ? "probe" : apiVersion);
        keys.put("expectedClusterId", expectedClusterId == null ? "first-metadata" : expectedClusterId);
        keys.put("selectorProvider", className(selectorProvider));
        keys.put("observer", observer == ClientObserver.NONE ? "NONE" : className(observer));
        keys.put("metricGroupPrefix", metricGroupPrefix);
        keys.put("time", time == Time.SYSTEM ? "SYSTEM" : className(time));
        keys.put("metadataRecoveryStrategy", metadataRecoveryStrategy);
        keys.put("unavailableNodePolicy", unavailableNodePolicy);
        keys.put("clientDnsLookup", clientDnsLookup);
        keys.put("hostResolver", hostResolver == HostResolver.SYSTEM ? "SYSTEM" : className(hostResolver));
        keys.put("proxyUrl", proxyUrl);
        keys.put("securityProtocol", securityProtocol);
        keys.put("sslContext", sslContext == null ? null : className(sslContext) + "(" + sslContext.getProtocol() + ")");
        keys.put("sslCheckHostname", sslCheckHostname);
        keys.put("sslCafile", sslCafile);
        keys.put("sslCertfile", sslCertfile);
        keys.put("sslKeyfile", sslKeyfile);
        keys.put("sslPassword", sslPassword);
        keys.put("sslCrlfile", sslCrlfile);
        keys.put("sslReloadCheckInterval", sslReloadCheckInterval);
        keys.put("sslRecycleConnections", sslRecycleConnections);
        keys.put("sslEngine", sslEngine);
        keys.put("sslCiphers", sslCiphers);
        keys.put("sslEnabledProtocols", sslEnabledProtocols);
        keys.put("sslKeystoreLocation", sslKeystoreLocation);
        keys.put("sslKeystoreType", sslKeystoreType);
        keys.put("sslKeystorePassword", sslKeystorePassword);
        keys.put("sslKeyPassword", sslKeyPassword);
        keys.put("sslTruststoreLocation", sslTruststoreLocation);
        keys.put("sslTruststoreType", sslTruststoreType);
        keys.put("sslTruststorePassword", sslTruststorePassword);
        keys.put("saslMechanism", saslMechanism);
        keys.put("saslPlainUsername", saslPlainUsername);
        keys.put("saslPlainPassword", saslPlainPassword);
        keys.put("saslKerberosServiceName", saslKerberosServiceName);
        keys.put("saslKerberosDomainName", saslKerberosDomainName);
        keys.put("saslKerberosPrincipal", saslKerberosPrincipal);
        keys.put("saslKerberosKeytab", saslKerberosKeytab);
        keys.put("saslKerberosLoginContext", saslKerberosLoginContext);
        keys.put("saslOauthTokenProvider", saslOauthTokenProvider == null ? null : className(saslOauthTokenProvider));
        StringBuilder sb = new StringBuilder("KafkaClientConfig{");
        keys.forEach((k, v) -> sb.append(k).append('=').append(v).append(", "));
        sb.setLength(sb.length() - 2);
        return sb.append('}').toString();
    }

    private static String className(Object o) {
        return o.getClass().getName();
    }

    /**
     * Collects values for a {@link KafkaClientConfig}; setters do not check, {@link #build()} does. Not thread-safe:
     * one thread fills a builder.
     */
    public static final class Builder {

        private List<String> bootstrapServers = List.of("localhost:9092");
        private String clientId = "kwire-" + KwireVersion.get();
        private String clientSoftwareName = "kwire";
        private String clientSoftwareVersion = KwireVersion.get();
        private Duration reconnectBackoff = Duration.ofMillis(50);
        private Duration reconnectBackoffMax = Duration.ofSeconds(1);
        private Duration requestTimeout = Duration.ofSeconds(30);
        private Duration connectionsMaxIdle = Duration.ofSeconds(540);
        private Duration idleProbeInterval = Duration.ofSeconds(30);
        private Duration pollSpin = DEFAULT_POLL_SPIN;
        private Duration connectionsMaxAge = Duration.ZERO;
        private Duration retryBackoff = Duration.ofMillis(100);
        private Duration retryBackoffMax = Duration.ofSeconds(1);
        private Duration socketConnectionSetupTimeout = Duration.ofSeconds(10);
        private Duration socketConnectionSetupTimeoutMax = Duration.ofSeconds(30);
        private Duration metadataMaxAge = Duration.ofSeconds(300);
        private Duration apiVersionAutoTimeout = Duration.ofSeconds(2);
        private Duration metadataRecoveryRebootstrapTrigger = Duration.ofSeconds(300);
        private int maxInFlightRequestsPerConnection = 5;
        private Set<ConnectionClass> connectionClasses = EnumSet.allOf(ConnectionClass.class);
        private Map<ApiKey, ConnectionClass> connectionClassRoutes = Map.of();
        private Duration slowRequestThreshold = Duration.ofSeconds(1);
        private Integer receiveBufferBytes;
        private Integer sendBufferBytes;
        private int maxResponseSize = DEFAULT_MAX_RESPONSE_SIZE;
        private int saslScramMaxIterations = DEFAULT_SCRAM_MAX_ITERATIONS;
        private int maxQueuedRequests = 10_000;
        private long maxQueuedBytes = DEFAULT_MAX_QUEUED_BYTES;
        private Duration queueFullWait = Duration.ZERO;
        private Map<SocketOption<?>, Object> socketOptions = new LinkedHashMap<>(
                Map.of(StandardSocketOptions.TCP_NODELAY, Boolean.TRUE));
        private BrokerVersion apiVersion;
        private String expectedClusterId;
        private SelectorProvider selectorProvider = SelectorProvider.provider();
        private ClientObserver observer = ClientObserver.NONE;
        private String metricGroupPrefix = "";
        private Time time = Time.SYSTEM;
        private MetadataRecoveryStrategy metadataRecoveryStrategy = MetadataRecoveryStrategy.REBOOTSTRAP;
        private UnavailableNodePolicy unavailableNodePolicy = UnavailableNodePolicy.FAIL_FAST;
        private ClientDnsLookup clientDnsLookup = ClientDnsLookup.USE_ALL_DNS_IPS;
        private HostResolver hostResolver = HostResolver.SYSTEM;
        /** Held as given (a password inside) until {@link #build()} parses it; the builder is never printed. */
        private String proxyUrlText;
        private ProxyUrl proxyUrl;
        private SecurityProtocol securityProtocol = SecurityProtocol.PLAINTEXT;
        private SSLContext sslContext;
        private boolean sslCheckHostname = true;
        private Path sslCafile;
        private Path sslCertfile;
        private Path sslKeyfile;
        private Password sslPassword;
        private Path sslCrlfile;
        private Duration sslReloadCheckInterval = Duration.ofSeconds(10);
        private boolean sslRecycleConnections;
        private TlsEngine sslEngine = TlsEngine.JDK;
        private List<String> sslCiphers = List.of();
        private List<String> sslEnabledProtocols = List.of("TLSv1.3", "TLSv1.2");
        private Path sslKeystoreLocation;
        private String sslKeystoreType = "PKCS12";
        private Password sslKeystorePassword;
        private Password sslKeyPassword;
        private Path sslTruststoreLocation;
        private String sslTruststoreType = "PKCS12";
        private Password sslTruststorePassword;
        private String saslMechanism;
        private String saslPlainUsername;
        private Password saslPlainPassword;
        private String saslKerberosServiceName = "kafka";
        private String saslKerberosDomainName;
        private String saslKerberosPrincipal;
        private Path saslKerberosKeytab;
        private String saslKerberosLoginContext;
        private OAuthBearerTokenProvider saslOauthTokenProvider;

        private Builder() {
        }

        private Builder(KafkaClientConfig c) {
            bootstrapServers = c.bootstrapServers;
            clientId = c.clientId;
            clientSoftwareName = c.clientSoftwareName;
            clientSoftwareVersion = c.clientSoftwareVersion;
            reconnectBackoff = c.reconnectBackoff;
            reconnectBackoffMax = c.reconnectBackoffMax;
            requestTimeout = c.requestTimeout;
            connectionsMaxIdle = c.connectionsMaxIdle;
            idleProbeInterval = c.idleProbeInterval;
            pollSpin = c.pollSpin;
            connectionsMaxAge = c.connectionsMaxAge;
            retryBackoff = c.retryBackoff;
            retryBackoffMax = c.retryBackoffMax;
            socketConnectionSetupTimeout = c.socketConnectionSetupTimeout;
            socketConnectionSetupTimeoutMax = c.socketConnectionSetupTimeoutMax;
            metadataMaxAge = c.metadataMaxAge;
            apiVersionAutoTimeout = c.apiVersionAutoTimeout;
            metadataRecoveryRebootstrapTrigger = c.metadataRecoveryRebootstrapTrigger;
            maxInFlightRequestsPerConnection = c.maxInFlightRequestsPerConnection;
            connectionClasses = c.connectionClasses;
            connectionClassRoutes = c.connectionClassRoutes;
            slowRequestThreshold = c.slowRequestThreshold;
            receiveBufferBytes = c.receiveBufferBytes;
            sendBufferBytes = c.sendBufferBytes;
            maxResponseSize = c.maxResponseSize;
            saslScramMaxIterations = c.saslScramMaxIterations;
            maxQueuedRequests = c.maxQueuedRequests;
            maxQueuedBytes = c.maxQueuedBytes;
            queueFullWait = c.queueFullWait;
            socketOptions = new LinkedHashMap<>(c.socketOptions);
            apiVersion = c.apiVersion;
            expectedClusterId = c.expectedClusterId;
            selectorProvider = c.selectorProvider;
            observer = c.observer;
            metricGroupPrefix = c.metricGroupPrefix;
            time = c.time;
            metadataRecoveryStrategy = c.metadataRecoveryStrategy;
            unavailableNodePolicy = c.unavailableNodePolicy;
            clientDnsLookup = c.clientDnsLookup;
            hostResolver = c.hostResolver;
            proxyUrl = c.proxyUrl;
            securityProtocol = c.securityProtocol;
            sslContext = c.sslContext;
            sslCheckHostname = c.sslCheckHostname;
            sslCafile = c.sslCafile;
            sslCertfile = c.sslCertfile;
            sslKeyfile = c.sslKeyfile;
            sslPassword = c.sslPassword;
            sslCrlfile = c.sslCrlfile;
            sslReloadCheckInterval = c.sslReloadCheckInterval;
            sslRecycleConnections = c.sslRecycleConnections;
            sslEngine = c.sslEngine;
            sslCiphers = c.sslCiphers;
            sslEnabledProtocols = c.sslEnabledProtocols;
            sslKeystoreLocation = c.sslKeystoreLocation;
            sslKeystoreType = c.sslKeystoreType;
            sslKeystorePassword = c.sslKeystorePassword;
            sslKeyPassword = c.sslKeyPassword;
            sslTruststoreLocation = c.sslTruststoreLocation;
            sslTruststoreType = c.sslTruststoreType;
            sslTruststorePassword = c.sslTruststorePassword;
            saslMechanism = c.saslMechanism;
            saslPlainUsername = c.saslPlainUsername;
            saslPlainPassword = c.saslPlainPassword;
            saslKerberosServiceName = c.saslKerberosServiceName;
            saslKerberosDomainName = c.saslKerberosDomainName;
            saslKerberosPrincipal = c.saslKerberosPrincipal;
            saslKerberosKeytab = c.saslKerberosKeytab;
            saslKerberosLoginContext = c.saslKerberosLoginContext;
            saslOauthTokenProvider = c.saslOauthTokenProvider;
        }

        /**
         * Comma-separated {@code host[:port]} list; blanks around entries are ignored. Left unset, the client uses
         * {@code localhost:9092}, as the reference does when no servers are given; an explicitly empty list is
         * refused instead, since it is more often an unset variable than a wish for localhost.
         */
        public Builder bootstrapServers(String commaSeparated) {
            if (commaSeparated == null) {
                this.bootstrapServers = null;
                return this;
            }
            List<String> list = new ArrayList<>();
            for (String s : commaSeparated.split(",")) {
                if (!s.isBlank()) {
                    list.add(s.strip());
                }
            }
            this.bootstrapServers = list;
            return this;
        }

        public Builder bootstrapServers(List<String> servers) {
            this.bootstrapServers = servers == null ? null : new ArrayList<>(servers);
            return this;
        }

        public Builder clientId(String clientId) {
            this.clientId = clientId;
            return this;
        }

        public Builder clientSoftwareName(String name) {
            this.clientSoftwareName = name;
            return this;
        }

        public Builder clientSoftwareVersion(String version) {
            this.clientSoftwareVersion = version;
            return this;
        }

        public Builder reconnectBackoff(Duration d) {
            this.reconnectBackoff = d;
            return this;
        }

        public Builder reconnectBackoffMax(Duration d) {
            this.reconnectBackoffMax = d;
            return this;
        }

        public Builder requestTimeout(Duration d) {
            this.requestTimeout = d;
            return this;
        }

        /** See {@link KafkaClientConfig#idleProbeInterval()}. */
        public Builder idleProbeInterval(Duration interval) {
            this.idleProbeInterval = interval;
            return this;
        }

        /** See {@link KafkaClientConfig#pollSpin()}. */
        public Builder pollSpin(Duration spin) {
            this.pollSpin = spin;
            return this;
        }

        /** See {@link KafkaClientConfig#connectionsMaxAge()}. */
        public Builder connectionsMaxAge(Duration d) {
            this.connectionsMaxAge = d;
            return this;
        }

        public Builder connectionsMaxIdle(Duration d) {
            this.connectionsMaxIdle = d;
            return this;
        }

        public Builder retryBackoff(Duration d) {
            this.retryBackoff = d;
            return this;
        }

        public Builder retryBackoffMax(Duration d) {
            this.retryBackoffMax = d;
            return this;
        }

        public Builder socketConnectionSetupTimeout(Duration d) {
            this.socketConnectionSetupTimeout = d;
            return this;
        }

        public Builder socketConnectionSetupTimeoutMax(Duration d) {
            this.socketConnectionSetupTimeoutMax = d;
            return this;
        }

        public Builder metadataMaxAge(Duration d) {
            this.metadataMaxAge = d;
            return this;
        }

        public Builder apiVersionAutoTimeout(Duration d) {
            this.apiVersionAutoTimeout = d;
            return this;
        }

        public Builder metadataRecoveryRebootstrapTrigger(Duration d) {
            this.metadataRecoveryRebootstrapTrigger = d;
            return this;
        }

        public Builder maxInFlightRequestsPerConnection(int n) {
            this.maxInFlightRequestsPerConnection = n;
            return this;
        }

        /** See {@link KafkaClientConfig#connectionClasses()}; {@code CONTROL} alone for one connection per broker. */
        public Builder connectionClasses(Set<ConnectionClass> classes) {
            this.connectionClasses = classes;
            return this;
        }

        /** See {@link KafkaClientConfig#connectionClasses()}. */
        public Builder connectionClasses(ConnectionClass... classes) {
            this.connectionClasses = classes == null ? null : new java.util.HashSet<>(Arrays.asList(classes));
            return this;
        }

        /** See {@link KafkaClientConfig#connectionClassRoutes()}. */
        public Builder connectionClassRoutes(Map<ApiKey, ConnectionClass> routes) {
            this.connectionClassRoutes = routes;
            return this;
        }

        /** See {@link KafkaClientConfig#slowRequestThreshold()}. */
        public Builder slowRequestThreshold(Duration threshold) {
            this.slowRequestThreshold = threshold;
            return this;
        }

        /** SO_RCVBUF in bytes; {@code null} or -1 for the OS default. */
        public Builder receiveBufferBytes(Integer bytes) {
            this.receiveBufferBytes = bytes;
            return this;
        }

        /**
         * SO_SNDBUF in bytes; {@code null} or -1 for the OS default, which Linux grows as the connection needs. A
         * fixed size caps a connection at size / round-trip time (128 KiB over 50 ms: 2.6 MB/s); on a short link it
         * can lower the CPU the I/O thread spends per MB sent (docs/benchmarks.md).
         */
        public Builder sendBufferBytes(Integer bytes) {
            this.sendBufferBytes = bytes;
            return this;
        }

        /** See {@link KafkaClientConfig#maxQueuedRequests()}. */
        public Builder maxQueuedRequests(int requests) {
            this.maxQueuedRequests = requests;
            return this;
        }

        /** See {@link KafkaClientConfig#maxQueuedBytes()}. */
        public Builder maxQueuedBytes(long bytes) {
            this.maxQueuedBytes = bytes;
            return this;
        }

        /** See {@link KafkaClientConfig#queueFullWait()}. */
        public Builder queueFullWait(Duration wait) {
            this.queueFullWait = wait;
            return this;
        }

        /** See {@link KafkaClientConfig#saslScramMaxIterations()}. */
        public Builder saslScramMaxIterations(int iterations) {
            this.saslScramMaxIterations = iterations;
            return this;
        }

        public Builder maxResponseSize(int bytes) {
            this.maxResponseSize = bytes;
            return this;
        }

        /** Replaces all socket options (the default TCP_NODELAY=true included). */
        public Builder socketOptions(Map<SocketOption<?>, Object> options) {
            this.socketOptions = options == null ? null : new LinkedHashMap<>(options);
            return this;
        }

        /** Adds or replaces one socket option, keeping the others. */
        public <T> Builder socketOption(SocketOption<T> option, T value) {
            if (this.socketOptions == null) {
                this.socketOptions = new LinkedHashMap<>();
            }
            this.socketOptions.put(option, value);
            return this;
        }

        /**
         * A fixed broker version, or {@code null} to probe with ApiVersions. {@link #build()} refuses releases before
         * 0.10.0, which have no ApiVersions API and so no api versions kwire could assume.
         */
        public Builder apiVersion(BrokerVersion version) {
            this.apiVersion = version;
            return this;
        }

        /** See {@link KafkaClientConfig#expectedClusterId()}; {@code null} or blank to take the first metadata's. */
        public Builder expectedClusterId(String clusterId) {
            this.expectedClusterId = clusterId;
            return this;
        }

        /**
         * A fixed broker version as text ({@code 3.9} or {@code 3.9.1}); {@code null} or blank to probe.
         *
         * @throws ConfigException right away if the text is not a version
         */
        public Builder apiVersion(String version) {
            if (version == null || version.isBlank()) {
                this.apiVersion = null;
                return this;
            }
            try {
                this.apiVersion = BrokerVersion.parse(version);
            } catch (IllegalArgumentException e) {
                throw new ConfigException("apiVersion", "apiVersion must be major.minor[.patch], e.g. 3.9, got '"
                        + version + "'");
            }
            return this;
        }

        public Builder selectorProvider(SelectorProvider provider) {
            this.selectorProvider = provider;
            return this;
        }

        public Builder observer(ClientObserver observer) {
            this.observer = observer;
            return this;
        }

        public Builder metricGroupPrefix(String prefix) {
            this.metricGroupPrefix = prefix;
            return this;
        }

        public Builder time(Time time) {
            this.time = time;
            return this;
        }

        /** See {@link KafkaClientConfig#unavailableNodePolicy()}. */
        public Builder unavailableNodePolicy(UnavailableNodePolicy policy) {
            this.unavailableNodePolicy = policy;
            return this;
        }

        public Builder metadataRecoveryStrategy(MetadataRecoveryStrategy strategy) {
            this.metadataRecoveryStrategy = strategy;
            return this;
        }

        public Builder clientDnsLookup(ClientDnsLookup lookup) {
            this.clientDnsLookup = lookup;
            return this;
        }

        /** See {@link KafkaClientConfig#hostResolver()}. */
        public Builder hostResolver(HostResolver resolver) {
            this.hostResolver = resolver;
            return this;
        }

        /**
         * See {@link KafkaClientConfig#proxyUrl()}: {@code socks5://[user:password@]host:port} or
         * {@code http://[user:password@]host:port}; null or blank for none. Checked by {@link #build()}.
         */
        public Builder proxyUrl(String url) {
            this.proxyUrlText = url;
            this.proxyUrl = null;
            return this;
        }

        /** See {@link KafkaClientConfig#proxyUrl()}; null for none. */
        public Builder proxyUrl(ProxyUrl url) {
            this.proxyUrl = url;
            this.proxyUrlText = null;
            return this;
        }

        public Builder securityProtocol(SecurityProtocol protocol) {
            this.securityProtocol = protocol;
            return this;
        }

        public Builder sslContext(SSLContext context) {
            this.sslContext = context;
            return this;
        }

        public Builder sslCheckHostname(boolean check) {
            this.sslCheckHostname = check;
            return this;
        }

        public Builder sslCafile(Path file) {
            this.sslCafile = file;
            return this;
        }

        public Builder sslCertfile(Path file) {
            this.sslCertfile = file;
            return this;
        }

        public Builder sslKeyfile(Path file) {
            this.sslKeyfile = file;
            return this;
        }

        public Builder sslPassword(Password password) {
            this.sslPassword = password;
            return this;
        }

        public Builder sslPassword(String password) {
            return sslPassword(Password.of(password));
        }

        public Builder sslCrlfile(Path file) {
            this.sslCrlfile = file;
            return this;
        }

        /** See {@link KafkaClientConfig#sslReloadCheckInterval()}. */
        public Builder sslReloadCheckInterval(Duration interval) {
            this.sslReloadCheckInterval = interval;
            return this;
        }

        /** See {@link KafkaClientConfig#sslEngine()}. */
        public Builder sslEngine(TlsEngine engine) {
            this.sslEngine = engine;
            return this;
        }

        /** See {@link KafkaClientConfig#sslRecycleConnections()}. */
        public Builder sslRecycleConnections(boolean recycle) {
            this.sslRecycleConnections = recycle;
            return this;
        }

        public Builder sslCiphers(List<String> ciphers) {
            this.sslCiphers = ciphers == null ? null : new ArrayList<>(ciphers);
            return this;
        }

        public Builder sslCiphers(String... ciphers) {
            return sslCiphers(Arrays.asList(ciphers));
        }

        public Builder sslEnabledProtocols(List<String> protocols) {
            this.sslEnabledProtocols = protocols == null ? null : new ArrayList<>(protocols);
            return this;
        }

        public Builder sslEnabledProtocols(String... protocols) {
            return sslEnabledProtocols(Arrays.asList(protocols));
        }

        public Builder sslKeystoreLocation(Path file) {
            this.sslKeystoreLocation = file;
            return this;
        }

        public Builder sslKeystoreType(String type) {
            this.sslKeystoreType = type;
            return this;
        }

        public Builder sslKeystorePassword(Password password) {
            this.sslKeystorePassword = password;
            return this;
        }

        public Builder sslKeystorePassword(String password) {
            return sslKeystorePassword(Password.of(password));
        }

        public Builder sslKeyPassword(Password password) {
            this.sslKeyPassword = password;
            return this;
        }

        public Builder sslKeyPassword(String password) {
            return sslKeyPassword(Password.of(password));
        }

        public Builder sslTruststoreLocation(Path file) {
            this.sslTruststoreLocation = file;
            return this;
        }

        public Builder sslTruststoreType(String type) {
            this.sslTruststoreType = type;
            return this;
        }

        public Builder sslTruststorePassword(Password password) {
            this.sslTruststorePassword = password;
            return this;
        }

        public Builder sslTruststorePassword(String password) {
            return sslTruststorePassword(Password.of(password));
        }

        /** Required with SASL_PLAINTEXT and SASL_SSL (no default); {@code null} or blank for unset. */
        public Builder saslMechanism(String mechanism) {
            this.saslMechanism = mechanism;
            return this;
        }

        public Builder saslPlainUsername(String username) {
            this.saslPlainUsername = username;
            return this;
        }

        public Builder saslPlainPassword(Password password) {
            this.saslPlainPassword = password;
            return this;
        }

        public Builder saslPlainPassword(String password) {
            return saslPlainPassword(Password.of(password));
        }

        public Builder saslKerberosServiceName(String name) {
            this.saslKerberosServiceName = name;
            return this;
        }

        public Builder saslKerberosDomainName(String name) {
            this.saslKerberosDomainName = name;
            return this;
        }

        public Builder saslKerberosPrincipal(String principal) {
            this.saslKerberosPrincipal = principal;
            return this;
        }

        public Builder saslKerberosKeytab(Path keytab) {
            this.saslKerberosKeytab = keytab;
            return this;
        }

        /** See {@link KafkaClientConfig#saslKerberosLoginContext()}. */
        public Builder saslKerberosLoginContext(String jaasEntryName) {
            this.saslKerberosLoginContext = jaasEntryName;
            return this;
        }

        public Builder saslOauthTokenProvider(OAuthBearerTokenProvider provider) {
            this.saslOauthTokenProvider = provider;
            return this;
        }

        /**
         * Checks every value and builds the config.
         *
         * @throws ConfigException naming the first key whose value is not allowed
         */
        public KafkaClientConfig build() {
            return new KafkaClientConfig(this);
        }

        @Override
        public String toString() {
            return "KafkaClientConfig.Builder";
        }
    }
}
