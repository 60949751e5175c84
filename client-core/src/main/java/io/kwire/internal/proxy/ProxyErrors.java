package io.kwire.internal.proxy;

import io.kwire.client.Node;
import io.kwire.client.ProxyUrl;
import io.kwire.errors.ProxyException;
import io.kwire.errors.ProxyException.Reason;
import java.net.ConnectException;
import java.net.UnknownHostException;

/**
 * The wording of proxy failures: every message names the broker, the proxy (its password as {@code [hidden]}), what
 * the proxy said and what to fix. Stateless.
 */
public final class ProxyErrors {

    private ProxyErrors() {
    }

    /** The TCP connect to the proxy failed. */
    public static ProxyException unreachable(ProxyUrl proxy, Node node, Throwable cause) {
        String what = cause instanceof ConnectException ? "connection refused by " + proxy.address()
                : "could not connect to " + proxy.address() + ": " + cause.getClass().getSimpleName() + ": "
                + cause.getMessage();
        return new ProxyException(Reason.PROXY_UNREACHABLE, message(proxy, node.toString(), "the proxy is unreachable ("
                + what + "): check that the proxy runs and that proxyUrl names its host and port"), cause);
    }

    /**
     * The lookup of the proxy's host name failed: the name does not resolve ({@link UnknownHostException}) or the
     * configured resolver threw.
     */
    public static ProxyException lookupFailed(ProxyUrl proxy, Node node, Throwable cause) {
        String what = cause instanceof UnknownHostException ? cause.getMessage() : "the host resolver threw " + cause;
        return new ProxyException(Reason.PROXY_UNREACHABLE, message(proxy, node.toString(), "the proxy is unreachable"
                + " (the DNS lookup of the proxy's host " + proxy.host() + " failed: " + what + "): check that proxyUrl"
                + " names the proxy's host and that the name resolves from this client"), cause);
    }

    /** The lookup of the proxy's host name was still running at the connection's set-up deadline. */
    public static ProxyException lookupTimedOut(ProxyUrl proxy, Node node, long timeoutMs) {
        return new ProxyException(Reason.PROXY_UNREACHABLE, message(proxy, node.toString(), "the proxy is unreachable"
                + " (the DNS lookup of the proxy's host " + proxy.host() + " gave no answer within the connection"
                + " set-up timeout, " + timeoutMs + " ms for this attempt): check this client's name server, or give"
                + " proxyUrl the proxy's IP address"));
    }

    /**
     * The failure in a few words for the node's history and the log lines that already name the node: the message
     * without its leading {@code Connection to <node> }.
     */
    public static String reason(ProxyException e, Node node) {
        String prefix = "Connection to " + node + " ";
        String message = e.getMessage();
        return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
    }

    static ProxyException of(Reason reason, ProxyUrl proxy, String broker, String what, String fix) {
        return of(reason, proxy, broker, what, fix, null);
    }

    static ProxyException of(Reason reason, ProxyUrl proxy, String broker, String what, String fix, Throwable cause) {
        return new ProxyException(reason, message(proxy, broker, what + ": " + fix), cause);
    }

    private static String message(ProxyUrl proxy, String broker, String what) {
        return "Connection to " + broker + " through proxy " + proxy + ": " + what;
    }

    /** What to fix when the proxy could not reach the broker. */
    static final String FIX_BROKER_UNREACHABLE = "check that the broker runs and that the host:port it advertises"
            + " resolves and is reachable from the proxy";

    /** What to fix when the proxy's rules refused the broker's address. */
    static final String FIX_REFUSED = "allow the broker's advertised host:port in the proxy's rules";

    /** What to fix when something other than the configured kind of proxy answered. */
    static String fixProtocol(ProxyUrl proxy) {
        return "check that proxyUrl names a" + (proxy.scheme() == ProxyUrl.Scheme.SOCKS5 ? " SOCKS5 proxy (socks5://)"
                : "n HTTP proxy (http://)") + " and its port";
    }

    /** Printable ASCII of what a proxy sent, at most {@code max} characters, for messages. */
    static String printable(CharSequence text, int max) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < text.length() && sb.length() < max; i++) {
            char ch = text.charAt(i);
            sb.append(ch >= 0x20 && ch < 0x7f ? ch : '?');
        }
        return text.length() > max ? sb.append("...").toString() : sb.toString();
    }
}
