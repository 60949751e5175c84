package io.kwire.internal.proxy;

import static io.kwire.internal.proxy.HandshakeBytes.receive;
import static io.kwire.internal.proxy.HandshakeBytes.sentText;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kwire.client.ProxyUrl;
import io.kwire.errors.ProxyException;
import io.kwire.errors.ProxyException.Reason;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class HttpConnectHandshakeTest {

    private static final ProxyUrl ANONYMOUS = ProxyUrl.parse("http://proxy.example:3128");
    private static final ProxyUrl WITH_USER = ProxyUrl.parse("http://app:s3cret@proxy.example:3128");
    private static final String BROKER = "node 1 (kafka-1.example:9092)";

    private static HttpConnectHandshake handshake(ProxyUrl proxy) {
        return new HttpConnectHandshake(proxy, "kafka-1.example", 9092, BROKER);
    }

    @Test
    void connectNamesTheBrokerHostForTheProxyToResolveWithBasicCredentialsWhenConfigured() {
        assertThat(sentText(handshake(ANONYMOUS))).isEqualTo(
                "CONNECT kafka-1.example:9092 HTTP/1.1\r\nHost: kafka-1.example:9092\r\n\r\n");
        assertThat(sentText(handshake(WITH_USER))).isEqualTo(
                "CONNECT kafka-1.example:9092 HTTP/1.1\r\nHost: kafka-1.example:9092\r\nProxy-Authorization: Basic "
                        + Base64.getEncoder().encodeToString("app:s3cret".getBytes()) + "\r\n\r\n");
        assertThat(sentText(new HttpConnectHandshake(ANONYMOUS, "2001:db8::1", 9093, BROKER)))
                .startsWith("CONNECT [2001:db8::1]:9093 HTTP/1.1\r\n");
    }

    @Test
    void aTwoHundredOpensTheTunnelOnceTheHeadersEndEvenInPieces() {
        HttpConnectHandshake h = handshake(ANONYMOUS);
        sentText(h);
        assertThat(receive(h, "HTTP/1.0 200 Connection established\r\n")).isFalse();
        assertThat(receive(h, "Proxy-agent: tinyproxy/1.11.1\r\n")).isFalse();
        assertThat(receive(h, "\r\n")).isTrue();
        HttpConnectHandshake bareLf = handshake(ANONYMOUS);
        assertThat(receive(bareLf, "HTTP/1.1 200 OK\n\n")).isTrue();
    }

    @Test
    void statusesAreTypedByWhatToFix() {
        Object[][] cases = {
            {"HTTP/1.1 407 Proxy Authentication Required", Reason.AUTHENTICATION_FAILED},
            {"HTTP/1.0 401 Unauthorized", Reason.AUTHENTICATION_FAILED},
            {"HTTP/1.1 403 Access violation", Reason.REFUSED},
            {"HTTP/1.1 405 Method Not Allowed", Reason.REFUSED},
            {"HTTP/1.1 500 Unable to connect", Reason.BROKER_UNREACHABLE},
            {"HTTP/1.1 502 Bad Gateway", Reason.BROKER_UNREACHABLE},
            {"HTTP/1.1 503 Service Unavailable", Reason.BROKER_UNREACHABLE},
            {"HTTP/1.1 504 Gateway Timeout", Reason.BROKER_UNREACHABLE},
        };
        for (Object[] c : cases) {
            HttpConnectHandshake h = handshake(WITH_USER);
            assertThatThrownBy(() -> receive(h, c[0] + "\r\n")).as("%s", c[0])
                    .isInstanceOfSatisfying(ProxyException.class, e -> {
                        assertThat(e.reason()).isEqualTo(c[1]);
                        assertThat(e.getMessage()).contains("'" + c[0] + "'", BROKER, "kafka-1.example:9092",
                                "http://app:[hidden]@proxy.example:3128").doesNotContain("s3cret");
                    });
        }
    }

    @Test
    void a407WithoutCredentialsSaysToAddThem() {
        assertThatThrownBy(() -> receive(handshake(ANONYMOUS), "HTTP/1.1 407 Proxy Authentication Required\r\n"))
                .isInstanceOfSatisfying(ProxyException.class, e -> assertThat(e.getMessage())
                        .contains("http://user:password@proxy.example:3128"));
    }

    @Test
    void somethingThatIsNotHttpIsAProtocolErrorShownPrintably() {
        assertThatThrownBy(() -> receive(handshake(ANONYMOUS), "SSH-2.0-OpenSSH_9.2\u0001\r\n"))
                .isInstanceOfSatisfying(ProxyException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.PROTOCOL_ERROR);
                    assertThat(e.getMessage()).contains("'SSH-2.0-OpenSSH_9.2?'", "not an HTTP status line",
                            "an HTTP proxy (http://)");
                });
        assertThatThrownBy(() -> receive(handshake(ANONYMOUS), "HTTP/1.1 2xx OK\r\n"))
                .isInstanceOfSatisfying(ProxyException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.PROTOCOL_ERROR));
    }

    @Test
    void headersBeyondTheLimitFailInsteadOfGrowing() {
        HttpConnectHandshake h = handshake(ANONYMOUS);
        receive(h, "HTTP/1.1 200 OK\r\n");
        String header = "X-Padding: " + "a".repeat(100) + "\r\n";
        assertThatThrownBy(() -> {
            for (int i = 0; i < 100; i++) {
                receive(h, header);
            }
        }).isInstanceOfSatisfying(ProxyException.class, e -> {
            assertThat(e.reason()).isEqualTo(Reason.PROTOCOL_ERROR);
            assertThat(e.getMessage()).contains("headers longer than " + HttpConnectHandshake.MAX_HEADER_BYTES);
        });
        HttpConnectHandshake endless = handshake(ANONYMOUS);
        assertThatThrownBy(() -> receive(endless, "H".repeat(HttpConnectHandshake.MAX_HEADER_BYTES)))
                .isInstanceOfSatisfying(ProxyException.class,
                        e -> assertThat(e.getMessage()).contains("status line longer than 8192 bytes"));
    }

    @Test
    void bytesAfterTheAnswerAreAProtocolError() {
        assertThatThrownBy(() -> receive(handshake(ANONYMOUS), "HTTP/1.1 200 OK\r\n\r\nhello"))
                .isInstanceOfSatisfying(ProxyException.class,
                        e -> assertThat(e.getMessage()).contains("5 bytes after its answer"));
    }

    @Test
    void aCloseAfterPartOfTheAnswerIsAProtocolError() {
        HttpConnectHandshake h = handshake(ANONYMOUS);
        receive(h, "HTTP/1.1 200 OK\r\n");
        assertThat(h.closed().reason()).isEqualTo(Reason.PROTOCOL_ERROR);
        assertThat(handshake(ANONYMOUS).closed().reason()).isEqualTo(Reason.PROXY_UNREACHABLE);
    }
}
