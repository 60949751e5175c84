package io.kwire.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import io.kwire.KwireClient;
import io.kwire.client.ClientObserver;
import io.kwire.client.HostResolver;
import io.kwire.client.KafkaClientConfig;
import io.kwire.client.Node;
import io.kwire.errors.KwireException;
import io.kwire.errors.ProxyException;
import io.kwire.errors.ProxyException.Reason;
import io.kwire.protocol.message.ApiVersionsRequest;
import io.kwire.protocol.message.MetadataRequest;
import io.kwire.protocol.message.MetadataResponse;
import io.kwire.testkit.KafkaCluster;
import io.kwire.testkit.ProxyServer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/**
 * Broker connections through real proxy servers started as processes on loopback (client-testkit's
 * {@link ProxyServer}: Debian's Dante for SOCKS5, tinyproxy for HTTP CONNECT, installed by
 * {@code scripts/install-proxies.sh}), to a real broker, with and without proxy authentication; and the typed error
 * of each way the proxy's step can fail. Every client logs at DEBUG into a list that must never hold a proxy password.
 */
@Timeout(180)
class ProxyBrokerTest {

    private static final String WRONG_PASSWORD = "not-the-proxy-password-5531";
    private static final String TINY_USER = "kwire-app";
    private static final String TINY_PASSWORD = "tiny-proxy-secret-8812";

    private static KafkaCluster cluster;
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private Level previousLevel;

    @BeforeAll
    static void startBroker() {
        cluster = KafkaCluster.shared();
    }

    @BeforeEach
    void captureLogs() {
        Logger kwire = (Logger) LoggerFactory.getLogger("io.kwire");
        previousLevel = kwire.getLevel();
        kwire.setLevel(Level.DEBUG);
        logs.start();
        kwire.addAppender(logs);
    }

    @AfterEach
    void noProxyPasswordWasLogged() {
        Logger kwire = (Logger) LoggerFactory.getLogger("io.kwire");
        kwire.detachAppender(logs);
        kwire.setLevel(previousLevel);
        for (ILoggingEvent e : logs.list) {
            StringBuilder text = new StringBuilder(e.getFormattedMessage());
            for (IThrowableProxy t = e.getThrowableProxy(); t != null; t = t.getCause()) {
                text.append(' ').append(t.getMessage());
            }
            assertThat(text.toString()).doesNotContain(ProxyServer.DANTE_PASSWORD, TINY_PASSWORD, WRONG_PASSWORD);
        }
    }

    private static int brokerPort() {
        return cluster.port(cluster.brokerIds().get(0));
    }

    /** Metadata from the bootstrap address, then ApiVersions on a connection to the broker's advertised address. */
    private static void requestsGoThrough(ProxyServer proxy, String url) throws Exception {
        KafkaClientConfig config = KafkaClientConfig.builder().bootstrapServers(cluster.bootstrapServers())
                .proxyUrl(url).build();
        try (KwireClient client = KwireClient.create(config)) {
            client.start();
            MetadataResponse metadata = client.send(new MetadataRequest().setTopics(null)).get(30, TimeUnit.SECONDS);
            assertThat(metadata.brokers()).hasSize(1);
            int node = metadata.brokers().get(0).nodeId();
            assertThat(client.send(node, new ApiVersionsRequest()).get(30, TimeUnit.SECONDS).apiKeys()).isNotEmpty();
            assertThat(client.status().toString()).doesNotContain(ProxyServer.DANTE_PASSWORD, TINY_PASSWORD);
        }
        // close() returns once the I/O thread has finished its loop; the thread itself ends a moment later
        Polling.awaitCondition(Duration.ofSeconds(10), "no kwire I/O thread left", () -> Polling.kwireThreads() == 0);
        // The proxy carried the connections: it logged its connects to the broker's port (Dante the address it
        // resolved, tinyproxy the advertised name it was asked for).
        assertThat(proxy.log()).as("%s log", proxy).containsPattern("(127\\.0\\.0\\.1\\.|localhost:)" + brokerPort()
                + "\\b");
    }

    /** The failure a request through {@code url} meets, with what the observer heard of the failed connection. */
    private static ProxyException failureThrough(String url, String bootstrap) throws Exception {
        List<KwireException> heard = new CopyOnWriteArrayList<>();
        KafkaClientConfig config = KafkaClientConfig.builder().bootstrapServers(bootstrap).proxyUrl(url)
                .observer(new ClientObserver() {
                    @Override
                    public void connectionFailed(Node node, KwireException cause) {
                        heard.add(cause);
                    }
                }).build();
        assertThat(config.toString()).doesNotContain(ProxyServer.DANTE_PASSWORD, TINY_PASSWORD, WRONG_PASSWORD);
        Throwable thrown;
        try (KwireClient client = KwireClient.create(config)) {
            client.start();
            thrown = catchThrowable(() -> client.send(new MetadataRequest().setTopics(null)).get(30, TimeUnit.SECONDS));
            // the status is a snapshot the I/O thread publishes after the poll that failed the request
            Polling.awaitCondition(Duration.ofSeconds(10), "the failure in the status",
                    () -> client.status().lastError().isPresent());
            assertThat(client.status().toString()).doesNotContain(ProxyServer.DANTE_PASSWORD, TINY_PASSWORD,
                    WRONG_PASSWORD);
        }
        assertThat(thrown).isInstanceOf(ExecutionException.class).cause().isInstanceOf(ProxyException.class);
        ProxyException e = (ProxyException) thrown.getCause();
        assertThat(heard).as("connectionFailed").isNotEmpty()
                .allSatisfy(c -> assertThat(c).isInstanceOf(ProxyException.class).hasMessage(e.getMessage()));
        assertThat(e.getMessage()).contains(bootstrap).doesNotContain(ProxyServer.DANTE_PASSWORD, TINY_PASSWORD,
                WRONG_PASSWORD);
        return e;
    }

    @Test
    void throughDanteWithoutAuthentication() throws Exception {
        try (ProxyServer dante = ProxyServer.dante().start()) {
            requestsGoThrough(dante, dante.url());
        }
    }

    @Test
    void throughDanteWithUsernameAndPassword() throws Exception {
        try (ProxyServer dante = ProxyServer.dante().withUser(ProxyServer.DANTE_USER, ProxyServer.DANTE_PASSWORD)
                .start()) {
            requestsGoThrough(dante, dante.url());
        }
    }

    @Test
    void throughTinyproxyWithoutAuthentication() throws Exception {
        try (ProxyServer tiny = ProxyServer.tinyproxy().start()) {
            requestsGoThrough(tiny, tiny.url());
        }
    }

    @Test
    void throughTinyproxyWithBasicAuthentication() throws Exception {
        try (ProxyServer tiny = ProxyServer.tinyproxy().withUser(TINY_USER, TINY_PASSWORD).start()) {
            requestsGoThrough(tiny, tiny.url());
        }
    }

    @Test
    void aWrongSocksPasswordIsAnAuthenticationFailureOfTheProxy() throws Exception {
        try (ProxyServer dante = ProxyServer.dante().withUser(ProxyServer.DANTE_USER, ProxyServer.DANTE_PASSWORD)
                .start()) {
            ProxyException e = failureThrough(dante.url(ProxyServer.DANTE_USER, WRONG_PASSWORD),
                    cluster.bootstrapServers());
            assertThat(e.reason()).isEqualTo(Reason.AUTHENTICATION_FAILED);
            assertThat(e.isRetriable()).isFalse();
            assertThat(e.getMessage()).contains("socks5://kwireproxy:[hidden]@127.0.0.1:" + dante.port(),
                    "refused the user name and password", "correct the user name or password in proxyUrl");
        }
    }

    @Test
    void aWrongHttpPasswordIsAnAuthenticationFailureOfTheProxy() throws Exception {
        try (ProxyServer tiny = ProxyServer.tinyproxy().withUser(TINY_USER, TINY_PASSWORD).start()) {
            ProxyException e = failureThrough(tiny.url(TINY_USER, WRONG_PASSWORD), cluster.bootstrapServers());
            assertThat(e.reason()).isEqualTo(Reason.AUTHENTICATION_FAILED);
            assertThat(e.getMessage()).contains("http://kwire-app:[hidden]@127.0.0.1:" + tiny.port(), "401",
                    "correct the user name or password in proxyUrl");
            ProxyException none = failureThrough(tiny.url(null, null), cluster.bootstrapServers());
            assertThat(none.reason()).isEqualTo(Reason.AUTHENTICATION_FAILED);
            assertThat(none.getMessage()).contains("407", "add the proxy's user name and password to proxyUrl");
        }
    }

    @Test
    void aSocksProxyWhoseRulesRefuseTheBrokerSaysSo() throws Exception {
        try (ProxyServer dante = ProxyServer.dante().refusingPort(brokerPort()).start()) {
            ProxyException e = failureThrough(dante.url(), cluster.bootstrapServers());
            assertThat(e.reason()).isEqualTo(Reason.REFUSED);
            assertThat(e.getMessage()).contains("SOCKS5 reply 2 (connection not allowed by ruleset)",
                    "localhost:" + brokerPort(), "allow the broker's advertised host:port in the proxy's rules");
        }
    }

    @Test
    void anHttpProxyWhoseRulesRefuseTheBrokerSaysSo() throws Exception {
        try (ProxyServer tiny = ProxyServer.tinyproxy().refusingPort(brokerPort()).start()) {
            ProxyException e = failureThrough(tiny.url(), cluster.bootstrapServers());
            assertThat(e.reason()).isEqualTo(Reason.REFUSED);
            assertThat(e.getMessage()).contains("'HTTP/1.1 403 Access violation'", "localhost:" + brokerPort());
        }
    }

    @Test
    void aBrokerTheProxyCannotReachIsNamed() throws Exception {
        int deadPort = deadPort();
        try (ProxyServer dante = ProxyServer.dante().start(); ProxyServer tiny = ProxyServer.tinyproxy().start()) {
            ProxyException socks = failureThrough(dante.url(), "localhost:" + deadPort);
            assertThat(socks.reason()).isEqualTo(Reason.BROKER_UNREACHABLE);
            assertThat(socks.isRetriable()).isTrue();
            assertThat(socks.getMessage()).contains("SOCKS5 reply 5 (connection refused)");
            ProxyException http = failureThrough(tiny.url(), "localhost:" + deadPort);
            assertThat(http.reason()).isEqualTo(Reason.BROKER_UNREACHABLE);
            assertThat(http.getMessage()).contains("'HTTP/1.1 500 Unable to connect'");
        }
    }

    /**
     * A broker name nobody can resolve: without a proxy the client's own DNS lookup fails; through a proxy the client
     * never looks it up and the proxy says it could not resolve it (SOCKS5 reply 4, tinyproxy's 500).
     */
    @Test
    void brokerNamesAreResolvedByTheProxyNotTheClient() throws Exception {
        String nowhere = "no-such-broker.invalid:9092";
        try (ProxyServer dante = ProxyServer.dante().start(); ProxyServer tiny = ProxyServer.tinyproxy().start()) {
            ProxyException socks = failureThrough(dante.url(), nowhere);
            assertThat(socks.reason()).isEqualTo(Reason.BROKER_UNREACHABLE);
            assertThat(socks.getMessage()).contains("CONNECT " + nowhere + " with SOCKS5 reply 4 (host unreachable)");
            ProxyException http = failureThrough(tiny.url(), nowhere);
            assertThat(http.reason()).isEqualTo(Reason.BROKER_UNREACHABLE);
            assertThat(tiny.log()).contains("CONNECT " + nowhere);
        }
    }

    /**
     * The proxy's host name is looked up through {@code hostResolver}, on a lookup thread: a name that resolves
     * carries the requests through the proxy; one that does not fails them with a {@link ProxyException} that says
     * the proxy's name did not resolve.
     */
    @Test
    void theProxysHostNameIsLookedUpThroughTheResolverOnALookupThread() throws Exception {
        Set<String> lookupThreads = ConcurrentHashMap.newKeySet();
        HostResolver resolver = host -> {
            lookupThreads.add(Thread.currentThread().getName());
            if (!host.equals("proxy.kwire.test")) {
                throw new UnknownHostException(host + ": unknown to the test");
            }
            return new InetAddress[] {InetAddress.getByAddress(host, new byte[] {127, 0, 0, 1})};
        };
        try (ProxyServer dante = ProxyServer.dante().start()) {
            String byName = dante.url().replace("127.0.0.1:", "proxy.kwire.test:");
            KafkaClientConfig config = KafkaClientConfig.builder().bootstrapServers(cluster.bootstrapServers())
                    .clientId("proxy-by-name").proxyUrl(byName).hostResolver(resolver).build();
            try (KwireClient client = KwireClient.create(config)) {
                client.start();
                assertThat(client.send(new MetadataRequest().setTopics(null)).get(30, TimeUnit.SECONDS).brokers())
                        .hasSize(1);
            }
            assertThat(lookupThreads).isNotEmpty()
                    .allSatisfy(name -> assertThat(name).startsWith("kwire-dns-proxy-by-name-"));

            KafkaClientConfig unknown = config.toBuilder()
                    .proxyUrl(dante.url().replace("127.0.0.1:", "nowhere.kwire.test:")).build();
            try (KwireClient client = KwireClient.create(unknown)) {
                client.start();
                Throwable thrown = catchThrowable(() -> client.send(new MetadataRequest().setTopics(null))
                        .get(30, TimeUnit.SECONDS));
                assertThat(thrown).isInstanceOf(ExecutionException.class).cause().isInstanceOf(ProxyException.class)
                        .hasMessageContaining("the DNS lookup of the proxy's host nowhere.kwire.test failed:"
                                + " nowhere.kwire.test: unknown to the test")
                        .hasMessageNotContaining(ProxyServer.DANTE_PASSWORD);
                assertThat(((ProxyException) thrown.getCause()).reason()).isEqualTo(Reason.PROXY_UNREACHABLE);
            }
        }
    }

    @Test
    void aDeadProxyIsUnreachableNotABrokerProblem() throws Exception {
        int deadPort = deadPort();
        for (String url : List.of("socks5://" + ProxyServer.DANTE_USER + ":" + WRONG_PASSWORD + "@127.0.0.1:" + deadPort,
                "http://127.0.0.1:" + deadPort)) {
            ProxyException e = failureThrough(url, cluster.bootstrapServers());
            assertThat(e.reason()).isEqualTo(Reason.PROXY_UNREACHABLE);
            assertThat(e.isRetriable()).isTrue();
            assertThat(e.getMessage()).contains("the proxy is unreachable (connection refused by 127.0.0.1:" + deadPort,
                    "check that the proxy runs");
        }
    }

    /** A loopback port nothing listens on: bound, then released. */
    private static int deadPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void theSetupTimeoutBoundsAProxyThatNeverAnswers() throws Exception {
        // A listener that accepts (the kernel does, from its backlog) and never says a word.
        try (ServerSocket silent = new ServerSocket(0)) {
            KafkaClientConfig config = KafkaClientConfig.builder().bootstrapServers(cluster.bootstrapServers())
                    .proxyUrl("socks5://127.0.0.1:" + silent.getLocalPort())
                    .socketConnectionSetupTimeout(Duration.ofMillis(500))
                    .socketConnectionSetupTimeoutMax(Duration.ofMillis(500)).build();
            try (KwireClient client = KwireClient.create(config)) {
                client.start();
                Throwable thrown = catchThrowable(() -> client.send(new MetadataRequest().setTopics(null))
                        .get(30, TimeUnit.SECONDS));
                assertThat(thrown).isInstanceOf(ExecutionException.class);
                assertThat(thrown.getCause()).hasMessageContaining("timed out (proxy_handshake)");
            }
        }
    }
}
