package io.kwire.internal.proxy;

import static io.kwire.internal.proxy.HandshakeBytes.receive;
import static io.kwire.internal.proxy.HandshakeBytes.sent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kwire.client.ProxyUrl;
import io.kwire.errors.ProxyException;
import io.kwire.errors.ProxyException.Reason;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Socks5HandshakeTest {

    private static final ProxyUrl ANONYMOUS = ProxyUrl.parse("socks5://proxy.example:1080");
    private static final ProxyUrl WITH_USER = ProxyUrl.parse("socks5://app:s3cr%40t@proxy.example:1080");
    private static final String BROKER = "node 1 (kafka-1.example:9092)";

    private static Socks5Handshake handshake(ProxyUrl proxy, String host) {
        return new Socks5Handshake(proxy, host, 9092, BROKER);
    }

    /** A handshake whose proxy chose no authentication and which sent its CONNECT: the next reply is CONNECT's. */
    private static Socks5Handshake connecting() {
        Socks5Handshake h = handshake(ANONYMOUS, "kafka-1.example");
        sent(h);
        receive(h, 5, 0);
        sent(h);
        return h;
    }

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    private static byte[] connectForDomain(String host) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(bytes(5, 1, 0, 3, host.length()));
        b.writeBytes(host.getBytes(StandardCharsets.US_ASCII));
        b.writeBytes(bytes(9092 >>> 8, 9092 & 0xff));
        return b.toByteArray();
    }

    @Test
    void withoutCredentialsOffersNoAuthenticationThenConnectsToTheBrokerNameForTheProxyToResolve() {
        Socks5Handshake h = handshake(ANONYMOUS, "kafka-1.example");
        assertThat(sent(h)).containsExactly(5, 1, 0);
        assertThat(h.inbox().remaining()).as("the method reply is two bytes: no more is read").isEqualTo(2);
        assertThat(receive(h, 5, 0)).isFalse();
        assertThat(sent(h)).containsExactly(connectForDomain("kafka-1.example"));
        assertThat(receive(h, 5, 0, 0, 1, 10, 0, 0, 7, 0x1f, 0x90)).isTrue();
        assertThat(h.inbox().remaining()).as("nothing after the reply is taken from the socket").isZero();
    }

    @Test
    void withCredentialsSendsThemAsRfc1929AndAcceptsAReplyWithADomainName() {
        Socks5Handshake h = handshake(WITH_USER, "kafka-1.example");
        assertThat(sent(h)).containsExactly(5, 2, 0, 2);
        receive(h, 5, 2);
        byte[] auth = sent(h);
        assertThat(auth).containsExactly(1, 3, 'a', 'p', 'p', 6, 's', '3', 'c', 'r', '@', 't');
        assertThat(receive(h, 1, 0)).isFalse();
        assertThat(sent(h)).containsExactly(connectForDomain("kafka-1.example"));
        assertThat(receive(h, 5, 0, 0, 3, 3, 'a', 'b', 'c', 0x1f, 0x90)).isTrue();
    }

    @Test
    void aProxyThatNeedsNoAuthenticationSkipsTheCredentials() {
        Socks5Handshake h = handshake(WITH_USER, "kafka-1.example");
        sent(h);
        receive(h, 5, 0);
        assertThat(sent(h)).containsExactly(connectForDomain("kafka-1.example"));
    }

    @Test
    void ipAddressesTravelAsAddressesNotNames() {
        Socks5Handshake v4 = handshake(ANONYMOUS, "192.0.2.7");
        sent(v4);
        receive(v4, 5, 0);
        assertThat(sent(v4)).containsExactly(5, 1, 0, 1, 192, 0, 2, 7, 0x23, 0x84);
        Socks5Handshake v6 = handshake(ANONYMOUS, "2001:db8::1");
        sent(v6);
        receive(v6, 5, 0);
        assertThat(sent(v6)).containsExactly(5, 1, 0, 4, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
                0x23, 0x84);
        assertThat(receive(v6, 5, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1)).isTrue();
        assertThat(Socks5Handshake.ipLiteral("300.1.1.1")).as("not an address: a name for the proxy").isNull();
        assertThat(Socks5Handshake.ipLiteral("010.0.0.1")).as("ambiguous (octal?): a name for the proxy").isNull();
        assertThat(Socks5Handshake.ipLiteral("kafka:x")).as("a name with a colon, never looked up").isNull();
    }

    @Test
    void aRefusedPasswordIsAnAuthenticationFailureNamingTheUserButNotThePassword() {
        Socks5Handshake h = handshake(WITH_USER, "kafka-1.example");
        sent(h);
        receive(h, 5, 2);
        sent(h);
        assertThatThrownBy(() -> receive(h, 1, 1)).isInstanceOfSatisfying(ProxyException.class, e -> {
            assertThat(e.reason()).isEqualTo(Reason.AUTHENTICATION_FAILED);
            assertThat(e.isRetriable()).isFalse();
            assertThat(e.getMessage()).contains(BROKER, "socks5://app:[hidden]@proxy.example:1080", "user 'app'",
                    "status 1", "correct the user name or password in proxyUrl").doesNotContain("s3cr");
        });
    }

    @Test
    void aProxyThatRequiresCredentialsTheUrlLacksSaysToAddThem() {
        Socks5Handshake h = handshake(ANONYMOUS, "kafka-1.example");
        sent(h);
        assertThatThrownBy(() -> receive(h, 5, 0xff)).isInstanceOfSatisfying(ProxyException.class, e -> {
            assertThat(e.reason()).isEqualTo(Reason.AUTHENTICATION_FAILED);
            assertThat(e.getMessage()).contains("requires authentication", "socks5://user:password@proxy.example:1080");
        });
    }

    @Test
    void replyCodesAreTypedAndNamedAsSoonAsTheCodeArrives() {
        int[][] cases = {{2, 0}, {1, 1}, {3, 1}, {4, 1}, {5, 1}, {6, 1}, {7, 0}, {8, 0}, {9, 2}};
        Reason[] kinds = {Reason.REFUSED, Reason.BROKER_UNREACHABLE, Reason.PROTOCOL_ERROR};
        for (int[] c : cases) {
            Socks5Handshake h = connecting();
            assertThatThrownBy(() -> receive(h, 5, c[0])).as("reply %d", c[0])
                    .isInstanceOfSatisfying(ProxyException.class, e -> {
                        assertThat(e.reason()).isEqualTo(kinds[c[1]]);
                        assertThat(e.getMessage()).contains("SOCKS5 reply " + c[0] + " ("
                                + Socks5Handshake.replyName(c[0]) + ")", "kafka-1.example:9092", "proxy.example:1080");
                    });
        }
    }

    @Test
    void somethingThatIsNotSocks5IsAProtocolError() {
        Socks5Handshake h = handshake(ANONYMOUS, "kafka-1.example");
        sent(h);
        assertThatThrownBy(() -> receive(h, "HTTP/1.1 400 Bad Request\r\n")).isInstanceOfSatisfying(
                ProxyException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.PROTOCOL_ERROR);
                    assertThat(e.getMessage()).contains("not SOCKS5", "use http://");
                });
        Socks5Handshake other = handshake(ANONYMOUS, "kafka-1.example");
        sent(other);
        assertThatThrownBy(() -> receive(other, 5, 0x80)).isInstanceOfSatisfying(ProxyException.class,
                e -> assertThat(e.getMessage()).contains("method 128, which kwire did not offer"));
    }

    @Test
    void aConnectReplyWithAnUnknownAddressTypeIsAProtocolError() {
        Socks5Handshake h = connecting();
        assertThatThrownBy(() -> receive(h, 5, 0, 0, 9, 0, 0, 0, 0, 0, 0)).isInstanceOfSatisfying(
                ProxyException.class, e -> assertThat(e.getMessage()).contains("address type 9"));
    }

    @Test
    void aCloseBeforeAnyAnswerIsAnUnreachableProxyAndOneMidAnswerAProtocolError() {
        Socks5Handshake silent = handshake(ANONYMOUS, "kafka-1.example");
        sent(silent);
        assertThat(silent.closed().reason()).isEqualTo(Reason.PROXY_UNREACHABLE);
        Socks5Handshake half = handshake(ANONYMOUS, "kafka-1.example");
        sent(half);
        receive(half, 5);
        assertThat(half.closed().reason()).isEqualTo(Reason.PROTOCOL_ERROR);
    }
}
