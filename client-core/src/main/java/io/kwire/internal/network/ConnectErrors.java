package io.kwire.internal.network;

import io.kwire.client.Node;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;

/** Connection errors in the words a user acts on: who refused, which step failed. */
final class ConnectErrors {

    private ConnectErrors() {
    }

    /** A connect that failed before the socket was open. */
    static String describeConnect(Throwable e, InetAddress address, Node node) {
        String where = node.address() + (address == null ? "" : " (" + address.getHostAddress() + ")");
        if (e instanceof ConnectException) {
            return "connection refused by " + where;
        }
        return "could not connect to " + where + ": " + e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    /** An I/O error on an open connection, named by the step it broke. */
    static String describe(IOException e, BrokerConnection c) {
        BrokerConnection.Step step = c.step();
        if (step == BrokerConnection.Step.TCP && e instanceof ConnectException) {
            return "connection refused by " + c.node.address();
        }
        if (c.inTransportHandshake() && e.getClass().getName().startsWith("javax.net.ssl")) {
            return "TLS handshake with " + c.node.address() + " failed: " + e.getMessage();
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }
}
