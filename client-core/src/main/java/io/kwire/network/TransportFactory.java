package io.kwire.network;

import io.kwire.client.Node;
import java.io.IOException;
import java.nio.channels.SocketChannel;

/** Wraps a freshly opened socket in the transport the security protocol asks for (plain TCP or TLS). */
@FunctionalInterface
public interface TransportFactory {

    TransportFactory PLAINTEXT = (channel, node) -> new PlaintextTransport(channel);

    Transport create(SocketChannel channel, Node node) throws IOException;
}
