package io.kwire.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kwire.network.AuthenticatorFactory;
import io.kwire.network.TransportFactory;
import java.io.IOException;
import java.net.ProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.nio.channels.Pipe;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.AbstractSelector;
import java.nio.channels.spi.SelectorProvider;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** What the constructor owns when it fails half-way, and what close() releases. */
class KafkaClientConstructionTest {

    /** The JDK's provider, except that no selector can be opened. */
    static final class NoSelectorProvider extends SelectorProvider {
        private final SelectorProvider jdk = SelectorProvider.provider();

        @Override
        public AbstractSelector openSelector() throws IOException {
            throw new IOException("too many open files (simulated)");
        }

        @Override
        public DatagramChannel openDatagramChannel() throws IOException {
            return jdk.openDatagramChannel();
        }

        @Override
        public DatagramChannel openDatagramChannel(ProtocolFamily family) throws IOException {
            return jdk.openDatagramChannel(family);
        }

        @Override
        public Pipe openPipe() throws IOException {
            return jdk.openPipe();
        }

        @Override
        public ServerSocketChannel openServerSocketChannel() throws IOException {
            return jdk.openServerSocketChannel();
        }

        @Override
        public SocketChannel openSocketChannel() throws IOException {
            return jdk.openSocketChannel();
        }
    }

    private static AuthenticatorFactory countingCloses(AtomicInteger closes) {
        return new AuthenticatorFactory() {
            @Override
            public io.kwire.network.Authenticator create(Node node, io.kwire.network.NodeApiVersions versions) {
                return null;
            }

            @Override
            public void close() {
                closes.incrementAndGet();
            }
        };
    }

    @Test
    void aConstructorThatFailsReleasesTheAuthenticatorFactory() {
        AtomicInteger closes = new AtomicInteger();
        KafkaClientConfig config = KafkaClientConfig.builder().bootstrapServers("localhost:9092")
                .selectorProvider(new NoSelectorProvider()).build();
        assertThatThrownBy(() -> new KafkaClient(config, TransportFactory.PLAINTEXT, countingCloses(closes)))
                .isInstanceOf(KwireException.class).hasMessageContaining("Could not open a selector");
        assertThat(closes).hasValue(1); // a Kerberos login and its refresh thread would stop here
    }

    @Test
    void closeReleasesTheAuthenticatorFactoryOnce() {
        AtomicInteger closes = new AtomicInteger();
        KafkaClient client = new KafkaClient(KafkaClientConfig.builder().bootstrapServers("localhost:9092").build(),
                TransportFactory.PLAINTEXT, countingCloses(closes));
        client.close();
        client.close();
        assertThat(closes).hasValue(1);
    }
}
