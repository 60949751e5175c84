package io.kwire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kwire.client.KafkaClientConfig;
import io.kwire.client.Node;
import io.kwire.errors.KwireException;
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
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** What the constructor owns when it fails half-way, what close() releases, and what the factory reports. */
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

    private static TransportFactory countingTransportCloses(AtomicInteger closes) {
        return new TransportFactory() {
            @Override
            public io.kwire.network.Transport create(SocketChannel channel, Node node) throws IOException {
                return TransportFactory.PLAINTEXT.create(channel, node);
            }

            @Override
            public void close() {
                closes.incrementAndGet();
            }
        };
    }

    @Test
    void aConstructorThatFailsReleasesBothFactories() {
        AtomicInteger closes = new AtomicInteger();
        AtomicInteger transportCloses = new AtomicInteger();
        KafkaClientConfig config = KafkaClientConfig.builder().bootstrapServers("localhost:9092")
                .selectorProvider(new NoSelectorProvider()).build();
        assertThatThrownBy(() -> new KafkaClient(config, countingTransportCloses(transportCloses),
                countingCloses(closes)))
                .isInstanceOf(KwireException.class).hasMessageContaining("Could not open a selector");
        assertThat(closes).hasValue(1); // a Kerberos login and its refresh thread would stop here
        assertThat(transportCloses).as("an OpenSSL context would be freed here").hasValue(1);
    }

    @Test
    void closeReleasesBothFactoriesOnce() {
        AtomicInteger closes = new AtomicInteger();
        AtomicInteger transportCloses = new AtomicInteger();
        KafkaClient client = new KafkaClient(KafkaClientConfig.builder().bootstrapServers("localhost:9092").build(),
                countingTransportCloses(transportCloses), countingCloses(closes));
        client.close();
        client.close();
        assertThat(closes).hasValue(1);
        assertThat(transportCloses).hasValue(1);
    }

    /** A client made from its configuration alone: a SASL factory that cannot be made closes the TLS one. */
    @Test
    void whenTheSaslFactoryCannotBeMadeTheTransportFactoryIsClosed() {
        AtomicInteger transportCloses = new AtomicInteger();
        KwireException refused = new KwireException("Kerberos login refused (simulated)");
        assertThatThrownBy(() -> SecurityPair.of(() -> countingTransportCloses(transportCloses), () -> {
            throw refused;
        })).isSameAs(refused);
        assertThat(transportCloses).hasValue(1);
    }

    @Test
    void theAuthenticatorFactorysCredentialProblemReachesTheClientStatus() throws Exception {
        AtomicReference<String> problem = new AtomicReference<>();
        AuthenticatorFactory factory = new AuthenticatorFactory() {
            @Override
            public io.kwire.network.Authenticator create(Node node, io.kwire.network.NodeApiVersions versions) {
                return null;
            }

            @Override
            public Optional<String> credentialProblem() {
                return Optional.ofNullable(problem.get());
            }
        };
        KafkaClientConfig config = KafkaClientConfig.builder().bootstrapServers("localhost:1").build();
        try (KwireClient client = KwireClient.create(config, TransportFactory.PLAINTEXT, factory)) {
            client.start();
            assertThat(client.status().credentialProblem()).isEmpty();
            problem.set("Kerberos ticket renewal for app@EXAMPLE.COM has failed 2 times in a row");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (client.status().credentialProblem().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20); // the I/O thread publishes its status a few times a second
            }
            assertThat(client.status().credentialProblem()).contains(problem.get());
        }
    }
}
