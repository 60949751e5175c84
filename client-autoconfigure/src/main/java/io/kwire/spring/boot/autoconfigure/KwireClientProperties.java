package io.kwire.spring.boot.autoconfigure;

import io.kwire.client.ClientDnsLookup;
import io.kwire.client.ConnectionClass;
import io.kwire.client.KafkaClientConfig;
import io.kwire.client.MetadataRecoveryStrategy;
import io.kwire.client.SecurityProtocol;
import io.kwire.client.TlsEngine;
import io.kwire.client.UnavailableNodePolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/**
 * The {@code kwire.client.*} properties: every key of {@link io.kwire.client.KafkaClientConfig} that can be
 * written in YAML (objects such as the observer, the time source or an OAuth token provider come from beans or a
 * {@link KwireClientCustomizer}). Defaults equal the client's defaults; values are checked when the config is
 * built, and a bad one stops the application with a message naming the property.
 *
 * <p>Bound once at start-up by Spring; not meant to be changed afterwards. As a {@link Validator}, Boot calls it
 * on itself at binding (no Bean Validation provider needed): a negative duration stops the application with Boot's
 * report naming the property, its value and where it was set.
 *
 * <p>Long on purpose: it mirrors {@code KafkaClientConfig}'s keys one for one, with the Javadoc Boot turns into
 * configuration metadata; one class is what {@code @ConfigurationProperties} binds.
 */
@ConfigurationProperties("kwire.client")
public class KwireClientProperties implements Validator {

    /** Whether to create the kwire client (and its lifecycle, health indicator and metrics). */
    private boolean enabled = true;

    /**
     * Brokers to bootstrap from, as host[:port] (default port 9092, IPv6 as [addr]:port); a comma-separated string
     * or a YAML list. Need not be every broker: the rest come from metadata.
     */
    private List<String> bootstrapServers = new ArrayList<>(List.of("localhost:9092"));

    /** Client id sent in every request header, for broker logs and quotas. Defaults to "kwire-" and the version. */
    private String clientId;

    /** Software name sent to brokers with ApiVersions (KIP-511). Defaults to "kwire". */
    private String clientSoftwareName;

    /** Software version sent to brokers with ApiVersions (KIP-511). Defaults to kwire's version. */
    private String clientSoftwareVersion;

    /** Wait before reconnecting to a broker after a failed or closed connection. */
    private Duration reconnectBackoff = Duration.ofMillis(50);

    /** Cap of the reconnect back-off, which doubles per consecutive failure with 20% jitter. */
    private Duration reconnectBackoffMax = Duration.ofSeconds(1);

    /** How long a request may wait for its response before it fails. */
    private Duration requestTimeout = Duration.ofSeconds(30);

    /** Idle connections are closed after this, before the broker closes them (it does after 10 minutes). */
    private Duration connectionsMaxIdle = Duration.ofSeconds(540);

    /**
     * How long a ready connection may stay silent before the client asks the broker whether it is still there; a broker
     * that does not answer within the request timeout is treated as gone (health DOWN with no traffic). 0: never ask.
     */
    private Duration idleProbeInterval = Duration.ofSeconds(30);

    /**
     * How long a poll keeps checking its sockets without blocking before it sleeps, while requests are likely in
     * flight; saves the CPU's wake-up on a round trip to a fast broker. 0: block at once. At most 1 ms.
     */
    private Duration pollSpin = KafkaClientConfig.DEFAULT_POLL_SPIN;

    /**
     * How long a connection may serve before it is recycled: it takes no new requests, a new connection takes them,
     * and it closes once its requests in flight have ended, so none fails. Each connection's limit is up to a tenth
     * shorter, at random. 0: no maximum age; else at least 1s.
     */
    private Duration connectionsMaxAge = Duration.ZERO;

    /** Wait before retrying a request that failed with a retriable error. */
    private Duration retryBackoff = Duration.ofMillis(100);

    /** Cap of the retry back-off, which grows exponentially per attempt (KIP-580). */
    private Duration retryBackoffMax = Duration.ofSeconds(1);

    /** Time a connection set-up (TCP connect, TLS and SASL handshakes) may take before the attempt fails. */
    private Duration socketConnectionSetupTimeout = Duration.ofSeconds(10);

    /** Cap of the set-up timeout, which grows per consecutive failure (KIP-601). */
    private Duration socketConnectionSetupTimeoutMax = Duration.ofSeconds(30);

    /** Metadata older than this is refreshed even without a leadership change, to discover new brokers. */
    private Duration metadataMaxAge = Duration.ofSeconds(300);

    /** Time allowed for the ApiVersions probe of a broker; not used when api-version is set. */
    private Duration apiVersionAutoTimeout = Duration.ofSeconds(2);

    /** With metadata-recovery-strategy REBOOTSTRAP: rebootstrap after metadata could not be had for this long. */
    private Duration metadataRecoveryRebootstrapTrigger = Duration.ofSeconds(300);

    /** What to do when no known broker can be reached: REBOOTSTRAP (resolve the bootstrap servers again) or NONE. */
    private MetadataRecoveryStrategy metadataRecoveryStrategy = MetadataRecoveryStrategy.REBOOTSTRAP;

    /**
     * What a request does when its node's last connection attempt failed and the node is backing off: FAIL_FAST
     * fails it at once with that failure (a stopped broker or a wrong password is known in milliseconds), WAIT
     * waits while the back-off ends before the request's deadline.
     */
    private UnavailableNodePolicy unavailableNodePolicy = UnavailableNodePolicy.FAIL_FAST;

    /** How host names are resolved: USE_ALL_DNS_IPS or RESOLVE_CANONICAL_BOOTSTRAP_SERVERS_ONLY. */
    private ClientDnsLookup clientDnsLookup = ClientDnsLookup.USE_ALL_DNS_IPS;

    /** Requests sent on one connection before further sends wait for responses. */
    private int maxInFlightRequestsPerConnection = 5;

    /**
     * Connection classes with connections of their own to each broker (control, produce, fetch, slow); the others
     * are merged into control, which must be listed. "control" alone: one connection per broker.
     */
    private Set<ConnectionClass> connectionClasses = EnumSet.allOf(ConnectionClass.class);

    /** APIs sent on another connection class than their default, e.g. connection-class-routes.join-group=slow. */
    private Map<io.kwire.protocol.ApiKey, ConnectionClass> connectionClassRoutes = new LinkedHashMap<>();

    /** A control or produce request whose broker-side wait exceeds this goes on the slow connection. */
    private Duration slowRequestThreshold = Duration.ofSeconds(1);

    /** TCP receive buffer (SO_RCVBUF). Unset or -1B: the operating system's default. */
    private DataSize receiveBufferSize;

    /** TCP send buffer (SO_SNDBUF). Unset or -1B: the operating system's default. */
    private DataSize sendBufferSize;

    /** Largest response the client accepts; a larger frame is treated as a corrupt stream and closes the connection. */
    private DataSize maxResponseSize = DataSize.ofMegabytes(100);

    /** Most requests the client holds unfinished; beyond it a request fails with QueueFullException. */
    private int maxQueuedRequests = 10_000;

    /** Most bytes of record batches the client holds in unfinished requests, like a producer's buffer memory. */
    private DataSize maxQueuedBytes = DataSize.ofMegabytes(32);

    /** How long a send blocks for room when the queue is full before failing; 0: fail at once. */
    private Duration queueFullWait = Duration.ZERO;

    /** Whether to disable Nagle's algorithm on broker sockets (TCP_NODELAY). */
    private boolean tcpNoDelay = true;

    /** Whether to enable TCP keep-alive (SO_KEEPALIVE) on broker sockets. Unset: on, as in Apache's client. */
    private Boolean keepAlive;

    /**
     * A fixed broker version such as 3.9 to assume instead of asking brokers with ApiVersions; 0.10.0 or later
     * (earlier brokers have no ApiVersions). Unset: probe.
     */
    private String apiVersion;

    /**
     * The id of the Kafka cluster the client must talk to; brokers of another cluster are refused before they take
     * requests. Unset: the cluster of the first metadata answer.
     */
    private String expectedClusterId;

    /** When set, every Micrometer meter of the client carries the tag group with this value, e.g. producer. */
    private String metricGroupPrefix = "";

    /** Transport and authentication: PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL. */
    private SecurityProtocol securityProtocol = SecurityProtocol.PLAINTEXT;

    private final Ssl ssl = new Ssl();

    private final Sasl sasl = new Sasl();

    private final Proxy proxy = new Proxy();

    private final Lifecycle lifecycle = new Lifecycle();

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public List<String> getBootstrapServers() {
        return bootstrapServers;
    }

    public void setBootstrapServers(List<String> bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    public String getClientId() {
        return clientId;
    }

    public void setClientId(String clientId) {
        this.clientId = clientId;
    }

    public String getClientSoftwareName() {
        return clientSoftwareName;
    }

    public void setClientSoftwareName(String clientSoftwareName) {
        this.clientSoftwareName = clientSoftwareName;
    }

    public String getClientSoftwareVersion() {
        return clientSoftwareVersion;
    }

    public void setClientSoftwareVersion(String clientSoftwareVersion) {
        this.clientSoftwareVersion = clientSoftwareVersion;
    }

    public Duration getReconnectBackoff() {
        return reconnectBackoff;
    }

    public void setReconnectBackoff(Duration reconnectBackoff) {
        this.reconnectBackoff = reconnectBackoff;
    }

    public Duration getReconnectBackoffMax() {
        return reconnectBackoffMax;
    }

    public void setReconnectBackoffMax(Duration reconnectBackoffMax) {
        this.reconnectBackoffMax = reconnectBackoffMax;
    }

    public Duration getRequestTimeout() {
        return requestTimeout;
    }

    public void setRequestTimeout(Duration requestTimeout) {
        this.requestTimeout = requestTimeout;
    }

    public Duration getIdleProbeInterval() {
        return idleProbeInterval;
    }

    public void setIdleProbeInterval(Duration idleProbeInterval) {
        this.idleProbeInterval = idleProbeInterval;
    }

    public Duration getPollSpin() {
        return pollSpin;
    }

    public void setPollSpin(Duration pollSpin) {
        this.pollSpin = pollSpin;
    }

    public Duration getConnectionsMaxAge() {
        return connectionsMaxAge;
    }

    public void setConnectionsMaxAge(Duration connectionsMaxAge) {
        this.connectionsMaxAge = connectionsMaxAge;
    }

    public Duration getConnectionsMaxIdle() {
        return connectionsMaxIdle;
    }

    public void setConnectionsMaxIdle(Duration connectionsMaxIdle) {
        this.connectionsMaxIdle = connectionsMaxIdle;
    }

    public Duration getRetryBackoff() {
        return retryBackoff;
    }

    public void setRetryBackoff(Duration retryBackoff) {
        this.retryBackoff = retryBackoff;
    }

    public Duration getRetryBackoffMax() {
        return retryBackoffMax;
    }

    public void setRetryBackoffMax(Duration retryBackoffMax) {
        this.retryBackoffMax = retryBackoffMax;
    }

    public Duration getSocketConnectionSetupTimeout() {
        return socketConnectionSetupTimeout;
    }

    public void setSocketConnectionSetupTimeout(Duration socketConnectionSetupTimeout) {
        this.socketConnectionSetupTimeout = socketConnectionSetupTimeout;
    }

    public Duration getSocketConnectionSetupTimeoutMax() {
        return socketConnectionSetupTimeoutMax;
    }

    public void setSocketConnectionSetupTimeoutMax(Duration socketConnectionSetupTimeoutMax) {
        this.socketConnectionSetupTimeoutMax = socketConnectionSetupTimeoutMax;
    }

    public Duration getMetadataMaxAge() {
        return metadataMaxAge;
    }

    public void setMetadataMaxAge(Duration metadataMaxAge) {
        this.metadataMaxAge = metadataMaxAge;
    }

    public Duration getApiVersionAutoTimeout() {
        return apiVersionAutoTimeout;
    }

    public void setApiVersionAutoTimeout(Duration apiVersionAutoTimeout) {
        this.apiVersionAutoTimeout = apiVersionAutoTimeout;
    }

    public Duration getMetadataRecoveryRebootstrapTrigger() {
        return metadataRecoveryRebootstrapTrigger;
    }

    public void setMetadataRecoveryRebootstrapTrigger(Duration metadataRecoveryRebootstrapTrigger) {
        this.metadataRecoveryRebootstrapTrigger = metadataRecoveryRebootstrapTrigger;
    }

    public UnavailableNodePolicy getUnavailableNodePolicy() {
        return unavailableNodePolicy;
    }

    public void setUnavailableNodePolicy(UnavailableNodePolicy unavailableNodePolicy) {
        this.unavailableNodePolicy = unavailableNodePolicy;
    }

    public MetadataRecoveryStrategy getMetadataRecoveryStrategy() {
        return metadataRecoveryStrategy;
    }

    public void setMetadataRecoveryStrategy(MetadataRecoveryStrategy metadataRecoveryStrategy) {
        this.metadataRecoveryStrategy = metadataRecoveryStrategy;
    }

    public ClientDnsLookup getClientDnsLookup() {
        return clientDnsLookup;
    }

    public void setClientDnsLookup(ClientDnsLookup clientDnsLookup) {
        this.clientDnsLookup = clientDnsLookup;
    }

    public int getMaxInFlightRequestsPerConnection() {
        return maxInFlightRequestsPerConnection;
    }

    public void setMaxInFlightRequestsPerConnection(int maxInFlightRequestsPerConnection) {
        this.maxInFlightRequestsPerConnection = maxInFlightRequestsPerConnection;
    }

    public Set<ConnectionClass> getConnectionClasses() {
        return connectionClasses;
    }

    public void setConnectionClasses(Set<ConnectionClass> connectionClasses) {
        this.connectionClasses = connectionClasses;
    }

    public Map<io.kwire.protocol.ApiKey, ConnectionClass> getConnectionClassRoutes() {
        return connectionClassRoutes;
    }

    public void setConnectionClassRoutes(Map<io.kwire.protocol.ApiKey, ConnectionClass> connectionClassRoutes) {
        this.connectionClassRoutes = connectionClassRoutes;
    }

    public Duration getSlowRequestThreshold() {
        return slowRequestThreshold;
    }

    public void setSlowRequestThreshold(Duration slowRequestThreshold) {
        this.slowRequestThreshold = slowRequestThreshold;
    }

    public DataSize getReceiveBufferSize() {
        return receiveBufferSize;
    }

    public void setReceiveBufferSize(DataSize receiveBufferSize) {
        this.receiveBufferSize = receiveBufferSize;
    }

    public DataSize getSendBufferSize() {
        return sendBufferSize;
    }

    public void setSendBufferSize(DataSize sendBufferSize) {
        this.sendBufferSize = sendBufferSize;
    }

    public DataSize getMaxResponseSize() {
        return maxResponseSize;
    }

    public int getMaxQueuedRequests() {
        return maxQueuedRequests;
    }

    public void setMaxQueuedRequests(int maxQueuedRequests) {
        this.maxQueuedRequests = maxQueuedRequests;
    }

    public DataSize getMaxQueuedBytes() {
        return maxQueuedBytes;
    }

    public void setMaxQueuedBytes(DataSize maxQueuedBytes) {
        this.maxQueuedBytes = maxQueuedBytes;
    }

    public Duration getQueueFullWait() {
        return queueFullWait;
    }

    public void setQueueFullWait(Duration queueFullWait) {
        this.queueFullWait = queueFullWait;
    }

    public void setMaxResponseSize(DataSize maxResponseSize) {
        this.maxResponseSize = maxResponseSize;
    }

    public boolean isTcpNoDelay() {
        return tcpNoDelay;
    }

    public void setTcpNoDelay(boolean tcpNoDelay) {
        this.tcpNoDelay = tcpNoDelay;
    }

    public Boolean getKeepAlive() {
        return keepAlive;
    }

    public void setKeepAlive(Boolean keepAlive) {
        this.keepAlive = keepAlive;
    }

    public String getApiVersion() {
        return apiVersion;
    }

    public void setApiVersion(String apiVersion) {
        this.apiVersion = apiVersion;
    }

    public String getExpectedClusterId() {
        return expectedClusterId;
    }

    public void setExpectedClusterId(String expectedClusterId) {
        this.expectedClusterId = expectedClusterId;
    }

    public String getMetricGroupPrefix() {
        return metricGroupPrefix;
    }

    public void setMetricGroupPrefix(String metricGroupPrefix) {
        this.metricGroupPrefix = metricGroupPrefix;
    }

    public SecurityProtocol getSecurityProtocol() {
        return securityProtocol;
    }

    public void setSecurityProtocol(SecurityProtocol securityProtocol) {
        this.securityProtocol = securityProtocol;
    }

    @Override
    public boolean supports(Class<?> type) {
        return KwireClientProperties.class.isAssignableFrom(type);
    }

    /** Refuses negative durations; the other values are checked by the client's configuration builder. */
    @Override
    public void validate(Object target, Errors errors) {
        NonNegativeDurations.check(target, errors);
    }

    public Ssl getSsl() {
        return ssl;
    }

    public Sasl getSasl() {
        return sasl;
    }

    public Proxy getProxy() {
        return proxy;
    }

    public Lifecycle getLifecycle() {
        return lifecycle;
    }

    /** TLS settings, used when security-protocol is SSL or SASL_SSL. */
    public static class Ssl {

        /**
         * Name of a Spring SSL bundle (spring.ssl.bundle.*) to build the TLS context from. When set, the key and
         * trust material below is ignored; the bundle's ciphers and protocols apply if it names any.
         */
        private String bundle;

        /** Whether the broker's certificate must match the host name connected to. */
        private boolean checkHostname = true;

        /** PEM file of CA certificates to trust. A file path, or a classpath: or file: location. */
        private String cafile;

        /**
         * PEM file with the client certificate chain, for mutual TLS. A file path, or a classpath: or file:
         * location.
         */
        private String certfile;

        /** PEM file with the client private key. A file path, or a classpath: or file: location. */
        private String keyfile;

        /** Password of an encrypted private key in keyfile or certfile. */
        private String password;

        /**
         * CRL file against which the broker's certificate is checked. Unset: no CRL check. A file path, or a
         * classpath: or file: location.
         */
        private String crlfile;

        /**
         * How often, at most, the key and trust files above are checked for changes (rotated certificates): new
         * connections use changed files once they load; files that cannot be used (half written, wrong password)
         * keep the material in use and show in the health details. 0: read once, at start-up. A bundle reloads
         * through spring.ssl.bundle.*.reload-on-update instead.
         */
        private Duration reloadCheckInterval = Duration.ofSeconds(10);

        /**
         * Whether open connections move to new key material (reloaded files or a reloaded SSL bundle): each is
         * recycled, taking no new requests while those in flight on it end. false: only new connections use it.
         */
        private boolean recycleConnections;

        /**
         * The TLS implementation: JDK (the default), or OPENSSL, OpenSSL or BoringSSL through netty-tcnative, which
         * spends less CPU per byte sent and needs io.netty:netty-handler and a netty-tcnative (such as
         * io.netty:netty-tcnative-boringssl-static) on the classpath. OPENSSL builds its context from the key and
         * trust files and stores here, not from an SSL bundle.
         */
        private TlsEngine engine = TlsEngine.JDK;

        /**
         * Cipher suites to enable, in JSSE names. Empty: the JVM's defaults (with engine OPENSSL, the forward-secret
         * AEAD suites of TLS 1.2 and the TLS 1.3 suites).
         */
        private List<String> ciphers = new ArrayList<>();

        /** TLS versions to enable. */
        private List<String> enabledProtocols = new ArrayList<>(List.of("TLSv1.3", "TLSv1.2"));

        /**
         * Key store with the client key and certificate, for mutual TLS. A file path, or a classpath: or file:
         * location.
         */
        private String keystoreLocation;

        /** Key store format: PKCS12, JKS or PEM. */
        private String keystoreType = "PKCS12";

        /** Key store password; required for PKCS12 and JKS key stores. */
        private String keystorePassword;

        /** Password of the private key in the key store, when it differs from the store's password. */
        private String keyPassword;

        /**
         * Trust store with the CA certificates to trust. Unset: the JVM's trust store. A file path, or a
         * classpath: or file: location.
         */
        private String truststoreLocation;

        /** Trust store format: PKCS12, JKS or PEM. */
        private String truststoreType = "PKCS12";

        /** Trust store password, if the store has one. */
        private String truststorePassword;

        public String getBundle() {
            return bundle;
        }

        public void setBundle(String bundle) {
            this.bundle = bundle;
        }

        public boolean isCheckHostname() {
            return checkHostname;
        }

        public void setCheckHostname(boolean checkHostname) {
            this.checkHostname = checkHostname;
        }

        public String getCafile() {
            return cafile;
        }

        public void setCafile(String cafile) {
            this.cafile = cafile;
        }

        public String getCertfile() {
            return certfile;
        }

        public void setCertfile(String certfile) {
            this.certfile = certfile;
        }

        public String getKeyfile() {
            return keyfile;
        }

        public void setKeyfile(String keyfile) {
            this.keyfile = keyfile;
        }

        public String getPassword() {
            return password;
        }

        public void setPassword(String password) {
            this.password = password;
        }

        public Duration getReloadCheckInterval() {
            return reloadCheckInterval;
        }

        public void setReloadCheckInterval(Duration reloadCheckInterval) {
            this.reloadCheckInterval = reloadCheckInterval;
        }

        public boolean isRecycleConnections() {
            return recycleConnections;
        }

        public void setRecycleConnections(boolean recycleConnections) {
            this.recycleConnections = recycleConnections;
        }

        public TlsEngine getEngine() {
            return engine;
        }

        public void setEngine(TlsEngine engine) {
            this.engine = engine;
        }

        public String getCrlfile() {
            return crlfile;
        }

        public void setCrlfile(String crlfile) {
            this.crlfile = crlfile;
        }

        public List<String> getCiphers() {
            return ciphers;
        }

        public void setCiphers(List<String> ciphers) {
            this.ciphers = ciphers;
        }

        public List<String> getEnabledProtocols() {
            return enabledProtocols;
        }

        public void setEnabledProtocols(List<String> enabledProtocols) {
            this.enabledProtocols = enabledProtocols;
        }

        public String getKeystoreLocation() {
            return keystoreLocation;
        }

        public void setKeystoreLocation(String keystoreLocation) {
            this.keystoreLocation = keystoreLocation;
        }

        public String getKeystoreType() {
            return keystoreType;
        }

        public void setKeystoreType(String keystoreType) {
            this.keystoreType = keystoreType;
        }

        public String getKeystorePassword() {
            return keystorePassword;
        }

        public void setKeystorePassword(String keystorePassword) {
            this.keystorePassword = keystorePassword;
        }

        public String getKeyPassword() {
            return keyPassword;
        }

        public void setKeyPassword(String keyPassword) {
            this.keyPassword = keyPassword;
        }

        public String getTruststoreLocation() {
            return truststoreLocation;
        }

        public void setTruststoreLocation(String truststoreLocation) {
            this.truststoreLocation = truststoreLocation;
        }

        public String getTruststoreType() {
            return truststoreType;
        }

        public void setTruststoreType(String truststoreType) {
            this.truststoreType = truststoreType;
        }

        public String getTruststorePassword() {
            return truststorePassword;
        }

        public void setTruststorePassword(String truststorePassword) {
            this.truststorePassword = truststorePassword;
        }
    }

    /** The proxy every broker connection goes through. */
    public static class Proxy {

        /**
         * SOCKS5 or HTTP CONNECT proxy for every broker connection: socks5://[user:password@]host:port or
         * http://[user:password@]host:port, reserved characters of the user name and password percent-encoded.
         * Broker host names are resolved by the proxy. A secret when it carries a password: the actuator shows it
         * with the password hidden. Unset: brokers are connected to directly.
         */
        private String url;

        public String getUrl() {
            return url;
        }

        public void setUrl(String url) {
            this.url = url;
        }
    }

    /** SASL settings, used when security-protocol is SASL_PLAINTEXT or SASL_SSL. */
    public static class Sasl {

        /**
         * SASL mechanism, required with SASL_PLAINTEXT and SASL_SSL (no default): PLAIN, GSSAPI, OAUTHBEARER (needs
         * an OAuthBearerTokenProvider bean or a KwireClientCustomizer), SCRAM-SHA-256, SCRAM-SHA-512.
         */
        private String mechanism;

        /** User name for PLAIN and SCRAM. */
        private String username;

        /** Password for PLAIN and SCRAM. */
        private String password;

        /**
         * Most PBKDF2 iterations a SCRAM exchange accepts from a broker (at least 4096); a broker asking for more
         * fails authentication instead of costing the client minutes of CPU.
         */
        private int scramMaxIterations = KafkaClientConfig.DEFAULT_SCRAM_MAX_ITERATIONS;

        /** Kerberos service name of the brokers, for GSSAPI. */
        private String kerberosServiceName = "kafka";

        /** Kerberos host name to use for GSSAPI instead of the broker's host name. */
        private String kerberosDomainName;

        /** Kerberos principal of this client, for GSSAPI. */
        private String kerberosPrincipal;

        /**
         * Keytab with the principal's key, for GSSAPI. Unset: the ticket cache. A file path, or a classpath: or
         * file: location.
         */
        private String kerberosKeytab;

        /**
         * Name of an entry in the JVM's JAAS configuration (java.security.auth.login.config) to log in with for
         * GSSAPI, instead of kerberos-principal and kerberos-keytab.
         */
        private String kerberosLoginContext;

        public String getMechanism() {
            return mechanism;
        }

        public int getScramMaxIterations() {
            return scramMaxIterations;
        }

        public void setScramMaxIterations(int scramMaxIterations) {
            this.scramMaxIterations = scramMaxIterations;
        }

        public void setMechanism(String mechanism) {
            this.mechanism = mechanism;
        }

        public String getUsername() {
            return username;
        }

        public void setUsername(String username) {
            this.username = username;
        }

        public String getPassword() {
            return password;
        }

        public void setPassword(String password) {
            this.password = password;
        }

        public String getKerberosServiceName() {
            return kerberosServiceName;
        }

        public void setKerberosServiceName(String kerberosServiceName) {
            this.kerberosServiceName = kerberosServiceName;
        }

        public String getKerberosDomainName() {
            return kerberosDomainName;
        }

        public void setKerberosDomainName(String kerberosDomainName) {
            this.kerberosDomainName = kerberosDomainName;
        }

        public String getKerberosPrincipal() {
            return kerberosPrincipal;
        }

        public void setKerberosPrincipal(String kerberosPrincipal) {
            this.kerberosPrincipal = kerberosPrincipal;
        }

        public String getKerberosKeytab() {
            return kerberosKeytab;
        }

        public void setKerberosKeytab(String kerberosKeytab) {
            this.kerberosKeytab = kerberosKeytab;
        }

        public String getKerberosLoginContext() {
            return kerberosLoginContext;
        }

        public void setKerberosLoginContext(String kerberosLoginContext) {
            this.kerberosLoginContext = kerberosLoginContext;
        }
    }

    /** When the client starts and how long it may take to stop. */
    public static class Lifecycle {

        /** Whether the client starts with the application context (false: start it yourself). */
        private boolean autoStartup = true;

        /**
         * SmartLifecycle phase of the client. The default starts it before the web server takes traffic and stops
         * it after the web server has drained (see KwireClientLifecycle).
         */
        private int phase = KwireClientLifecycle.DEFAULT_PHASE;

        /** Grace period for in-flight requests on shutdown; requests still open then fail. */
        private Duration shutdownTimeout = Duration.ofSeconds(30);

        public boolean isAutoStartup() {
            return autoStartup;
        }

        public void setAutoStartup(boolean autoStartup) {
            this.autoStartup = autoStartup;
        }

        public int getPhase() {
            return phase;
        }

        public void setPhase(int phase) {
            this.phase = phase;
        }

        public Duration getShutdownTimeout() {
            return shutdownTimeout;
        }

        public void setShutdownTimeout(Duration shutdownTimeout) {
            this.shutdownTimeout = shutdownTimeout;
        }
    }
}
