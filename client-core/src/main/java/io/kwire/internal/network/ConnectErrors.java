package io.kwire.internal.network;

import io.kwire.client.Node;
import io.kwire.errors.AuthenticationException;
import io.kwire.errors.KwireException;
import io.kwire.errors.ProtocolException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/** Connection errors in the words a user acts on: who refused, which step failed. */
final class ConnectErrors {

    private ConnectErrors() {
    }

    /**
     * Why the lookup of the node's host failed and what to fix: it does not resolve ({@link UnknownHostException}),
     * or the configured resolver threw.
     */
    static String lookupFailed(Node node, Throwable cause) {
        String what = cause instanceof UnknownHostException ? cause.getMessage() : "the host resolver threw " + cause;
        String fix = node.isBootstrap() ? "check the host names in bootstrapServers"
                : "check the host name the broker advertises (advertised.listeners) and this client's name server,"
                + " or map the name with hostResolver";
        return "DNS lookup of " + node.host() + " failed (" + what + "): " + fix;
    }

    /**
     * The lookup of the node's host was still running at the set-up deadline: {@code timeoutMs} is this attempt's
     * set-up timeout (socketConnectionSetupTimeout with its jitter, growing with failed attempts).
     */
    static String lookupTimedOut(Node node, long timeoutMs) {
        return "DNS lookup of " + node.host() + " gave no answer within the connection set-up timeout (" + timeoutMs
                + " ms for this attempt, socketConnectionSetupTimeout): check this client's name server, use an IP"
                + " address, or map the name with hostResolver";
    }

    /** A connect that failed before the socket was open. */
    static String describeConnect(Throwable e, InetAddress address, Node node) {
        String where = node.address() + (address == null ? "" : " (" + address.getHostAddress() + ")");
        if (e instanceof ConnectException) {
            return "connection refused by " + where;
        }
        return "could not connect to " + where + ": " + e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    /**
     * What a TLS failure during the handshake means for the caller: a {@link ProtocolException} when the broker does
     * not speak TLS on this port (waiting will not mend it), an {@link AuthenticationException} when a certificate,
     * a host name or the protocol was refused (as Apache's client reports it), or null when the broker only closed
     * the connection during the handshake (shutting down or overloaded: a plain disconnect, retried).
     */
    static KwireException tlsFailure(SSLException e, BrokerConnection c, String reason) {
        String message = String.valueOf(e.getMessage());
        String what = "Connection to " + c.node + " failed: " + reason;
        if (message.contains("answered the TLS handshake with data that is not TLS")
                || message.contains("without answering the TLS handshake")
                || message.contains("Unsupported or unrecognized SSL message")) {
            return new ProtocolException(what, e);
        }
        if (!(e instanceof SSLHandshakeException) || message.contains("closed the connection during")
                || message.contains("closed the TLS connection") || message.contains("terminated the handshake")) {
            return null;
        }
        return new AuthenticationException(what, e);
    }

    /** An I/O error on an open connection, named by the step it broke. */
    static String describe(IOException e, BrokerConnection c) {
        BrokerConnection.Step step = c.step();
        if (step == BrokerConnection.Step.TCP && e instanceof ConnectException) {
            return "connection refused by " + c.node.address();
        }
        if (e instanceof SSLHandshakeException
                || c.inTransportHandshake() && e.getClass().getName().startsWith("javax.net.ssl")) {
            return "TLS handshake with " + c.node.address() + " failed: " + e.getMessage();
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }
}
