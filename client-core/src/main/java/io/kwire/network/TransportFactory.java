package io.kwire.network;

import io.kwire.client.Node;
import io.kwire.client.TlsStatus;
import io.kwire.errors.ConfigException;
import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * Wraps a freshly opened socket in the transport the security protocol asks for (plain TCP or TLS). A TLS factory
 * may change its key material while the client runs (rotated files, {@link #updateSslContext}); the engine asks for
 * {@link #materialGeneration} before each new connection, to recycle connections opened with older material when
 * the configuration asks for it. A client owns its factory and {@linkplain #close closes} it with itself: give each
 * client its own.
 */
@FunctionalInterface
public interface TransportFactory {

    TransportFactory PLAINTEXT = (channel, node) -> new PlaintextTransport(channel);

    Transport create(SocketChannel channel, Node node) throws IOException;

    /**
     * A number that changes whenever the material new transports get has changed, after checking whether it has (at
     * a bounded cost: a factory watching files reads their modification times at most once per check interval).
     * Called on the I/O thread before each new connection and, while connections are recycled on rotation, once per
     * poll. The default: material that never changes.
     *
     * @param nowMs the engine's monotonic clock, in milliseconds
     */
    default long materialGeneration(long nowMs) {
        return 0;
    }

    /**
     * Hands the factory a new SSL context for the connections made from now on; any thread may call it.
     *
     * @throws ConfigException when the factory makes no TLS transports, or the context cannot serve the configured
     *                         protocols and ciphers
     */
    default void updateSslContext(SSLContext context) {
        throw new ConfigException("sslContext", "this client's connections do not use TLS (securityProtocol"
                + " PLAINTEXT or SASL_PLAINTEXT, or a TransportFactory of the application's own that takes no"
                + " SSLContext): use securityProtocol SSL or SASL_SSL");
    }

    /** Where the TLS material stands, for status and health reports; empty for a factory without TLS. */
    default Optional<TlsStatus> tlsStatus() {
        return Optional.empty();
    }

    /**
     * Called once by the client's {@code close()}, after its connections closed (or when the client fails to start):
     * the factory frees what it holds, such as the OpenSSL engine's native context. {@link #create} is not called
     * after it. The default holds nothing.
     */
    default void close() {
    }
}
