package io.kwire.internal.network;

import static org.assertj.core.api.Assertions.assertThat;

import io.kwire.client.ClientObserver;
import io.kwire.client.ConnectionState;
import io.kwire.client.KafkaClientConfig;
import io.kwire.client.Node;
import io.kwire.errors.KwireException;
import io.kwire.errors.KwireTimeoutException;
import io.kwire.network.AuthenticatorFactory;
import io.kwire.network.TransportFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The proxy step in the event loop with a manual clock: a connection through a proxy that accepts and never answers
 * sits in {@link ConnectionState#PROXY_HANDSHAKE} until the set-up timeout, exactly, and the broker's name (one no
 * resolver knows) is never looked up by the client: it travels to the proxy in the SOCKS5 greeting's CONNECT.
 */
@Timeout(30)
class ProxyStepClockTest {

    private final NetworkEngineClockTest.ManualTime time = new NetworkEngineClockTest.ManualTime();
    private final List<KwireException> failures = new ArrayList<>();
    private ServerSocketChannel proxy;
    private SocketChannel accepted;
    private NetworkEngine engine;

    @AfterEach
    void close() throws IOException {
        if (engine != null) {
            engine.close();
        }
        if (accepted != null) {
            accepted.close();
        }
        if (proxy != null) {
            proxy.close();
        }
    }

    @Test
    void aSilentProxyTimesOutInTheProxyStepOnTimeWithoutTheClientResolvingTheBroker() throws Exception {
        proxy = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        KafkaClientConfig config = KafkaClientConfig.builder()
                .bootstrapServers("no-such-broker.invalid:9092")
                .proxyUrl("socks5://127.0.0.1:" + proxy.socket().getLocalPort())
                .time(time)
                .socketConnectionSetupTimeout(Duration.ofSeconds(10))
                .socketConnectionSetupTimeoutMax(Duration.ofSeconds(30))
                .observer(new ClientObserver() {
                    @Override
                    public void connectionFailed(Node node, KwireException cause) {
                        failures.add(cause);
                    }
                }).build();
        engine = new NetworkEngine(config, TransportFactory.PLAINTEXT, AuthenticatorFactory.NONE,
                new NetworkEngineClockTest.FixedRandom(0.75));
        Node bootstrap = engine.metadata().knownNodes()[0];
        assertThat(engine.connect(bootstrap.id())).isTrue();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (engine.view().state(bootstrap.id()) != ConnectionState.PROXY_HANDSHAKE) {
            engine.poll(0, null, false);
            assertThat(failures).isEmpty();
            assertThat(System.nanoTime() - deadline).as("in the proxy step within 10 s").isNegative();
        }
        assertThat(engine.view().describe(bootstrap.id(), engine.nowMs())).isEqualTo("proxy handshake");
        accepted = proxy.accept();
        ByteBuffer greeting = ByteBuffer.allocate(3);
        while (greeting.hasRemaining() && accepted.read(greeting) >= 0) {
            engine.poll(0, null, false);
        }
        assertThat(greeting.array()).containsExactly(5, 1, 0);

        time.advance(10_999); // the first set-up timeout: 10 s x 1.1
        engine.poll(0, null, false);
        assertThat(engine.view().state(bootstrap.id())).isEqualTo(ConnectionState.PROXY_HANDSHAKE);
        time.advance(1);
        engine.poll(0, null, false);
        assertThat(engine.view().state(bootstrap.id())).isEqualTo(ConnectionState.DISCONNECTED);
        assertThat(failures).hasSize(1);
        assertThat(failures.get(0)).isInstanceOf(KwireTimeoutException.class).hasMessage("Connection to " + bootstrap
                + " failed: connection set-up timed out (proxy_handshake) after 11000 ms");
    }
}
