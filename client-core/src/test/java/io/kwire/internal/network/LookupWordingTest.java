package io.kwire.internal.network;

import static org.assertj.core.api.Assertions.assertThat;

import io.kwire.client.ClientDnsLookup;
import io.kwire.client.HostResolver;
import io.kwire.client.Node;
import io.kwire.client.ProxyUrl;
import io.kwire.errors.ProxyException;
import io.kwire.internal.proxy.ProxyErrors;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a failed or slow host-name lookup tells the caller, and the canonical bootstrap names a bad resolver gives. */
class LookupWordingTest {

    private static final Node BOOTSTRAP = new Node(-1, "kafka.example", 9092, null);
    private static final Node BROKER = new Node(3, "broker-3.internal", 9092, null);

    @Test
    void aNameThatDoesNotResolveSaysWhereTheNameCameFrom() {
        UnknownHostException cause = new UnknownHostException("kafka.example: Name or service not known");
        assertThat(ConnectErrors.lookupFailed(BOOTSTRAP, cause)).isEqualTo("DNS lookup of kafka.example failed"
                + " (kafka.example: Name or service not known): check the host names in bootstrapServers");
        assertThat(ConnectErrors.lookupFailed(BROKER, new IllegalStateException("boom")))
                .startsWith("DNS lookup of broker-3.internal failed (the host resolver threw"
                        + " java.lang.IllegalStateException: boom): check the host name the broker advertises"
                        + " (advertised.listeners)")
                .endsWith("or map the name with hostResolver");
    }

    @Test
    void aLookupThatTookTooLongNamesTheTimeoutAndWhatToDo() {
        assertThat(ConnectErrors.lookupTimedOut(BROKER, 10_512)).isEqualTo("DNS lookup of broker-3.internal gave no"
                + " answer within the connection set-up timeout (10512 ms for this attempt,"
                + " socketConnectionSetupTimeout): check this client's name server, use an IP address, or map the"
                + " name with hostResolver");
    }

    @Test
    void theProxysNameIsAProxyFailureEitherWayAndHidesThePassword() {
        ProxyUrl proxy = ProxyUrl.parse("socks5://user:s3cret@proxy.example:1080");
        ProxyException failed = ProxyErrors.lookupFailed(proxy, BROKER,
                new UnknownHostException("proxy.example: unknown"));
        assertThat(failed.reason()).isEqualTo(ProxyException.Reason.PROXY_UNREACHABLE);
        assertThat(failed.getMessage()).contains("the DNS lookup of the proxy's host proxy.example failed:"
                + " proxy.example: unknown").doesNotContain("s3cret");
        ProxyException slow = ProxyErrors.lookupTimedOut(proxy, BROKER, 8_000);
        assertThat(slow.reason()).isEqualTo(ProxyException.Reason.PROXY_UNREACHABLE);
        assertThat(slow.getMessage()).contains("gave no answer within the connection set-up timeout, 8000 ms for"
                + " this attempt", "give proxyUrl the proxy's IP address").doesNotContain("s3cret");
    }

    @Test
    void canonicalBootstrapNamesFallBackToTheNameWhateverTheResolverDoesWrong() {
        for (HostResolver bad : List.<HostResolver>of(host -> null, host -> new InetAddress[0],
                host -> new InetAddress[] {null}, host -> {
                    throw new IllegalStateException("broken");
                }, host -> {
                    throw new UnknownHostException(host);
                })) {
            assertThat(BootstrapAddresses.parse(List.of("kafka.example:9092"),
                    ClientDnsLookup.RESOLVE_CANONICAL_BOOTSTRAP_SERVERS_ONLY, bad))
                    .extracting(Node::host).containsExactly("kafka.example");
        }
    }
}
