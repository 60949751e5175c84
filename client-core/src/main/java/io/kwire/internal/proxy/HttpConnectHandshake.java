package io.kwire.internal.proxy;

import io.kwire.client.ProxyUrl;
import io.kwire.errors.ProxyException.Reason;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * HTTP CONNECT (RFC 9110 section 9.3.6): one request naming the broker's {@code host:port} (the proxy resolves it),
 * with {@code Proxy-Authorization: Basic} when {@code proxyUrl} has credentials, and the proxy's status line and
 * headers. Any 2xx status opens the tunnel; anything else fails as soon as the status line is complete. The answer is
 * bounded by {@link #MAX_HEADER_BYTES}, and nothing may follow its headers: a broker never speaks first, so bytes
 * there mean the proxy is not what {@code proxyUrl} says.
 *
 * <p>Only the I/O thread touches it.
 */
final class HttpConnectHandshake extends ProxyHandshake {

    /** The most the proxy's status line and headers may take, as common HTTP servers limit request headers. */
    static final int MAX_HEADER_BYTES = 8192;
    private static final int MAX_STATUS_IN_MESSAGE = 120;

    private boolean statusChecked;
    /** Where the search for the end of the headers goes on: bytes before it hold no end. */
    private int scanned;
    private boolean open;

    HttpConnectHandshake(ProxyUrl proxy, String brokerHost, int brokerPort, String broker) {
        super(proxy, brokerHost, brokerPort, broker, MAX_HEADER_BYTES);
        String target = brokerAddress();
        StringBuilder request = new StringBuilder("CONNECT ").append(target).append(" HTTP/1.1\r\nHost: ")
                .append(target).append("\r\n");
        if (proxy.username().isPresent()) {
            String credentials = proxy.username().get() + ":" + proxy.password().map(p -> p.value()).orElse("");
            request.append("Proxy-Authorization: Basic ")
                    .append(Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)))
                    .append("\r\n");
        }
        send(request.append("\r\n").toString().getBytes(StandardCharsets.UTF_8));
    }

    @Override
    int wanted() {
        return open ? 0 : MAX_HEADER_BYTES - in.position();
    }

    @Override
    boolean parse() {
        int n = in.position();
        if (!statusChecked) {
            int eol = indexOf((byte) '\n', 0, n);
            if (eol < 0) {
                checkRoom(n, "status line");
                return false;
            }
            checkStatus(new String(in.array(), 0, eol, StandardCharsets.ISO_8859_1).strip());
            statusChecked = true;
        }
        int end = endOfHeaders(n);
        scanned = Math.max(0, n - 2); // an end may straddle this read and the next
        if (end < 0) {
            checkRoom(n, "headers");
            return false;
        }
        if (end < n) {
            throw ProxyErrors.of(Reason.PROTOCOL_ERROR, proxy, broker, "the proxy sent " + (n - end) + " bytes after"
                    + " its answer to CONNECT, before the client said anything", ProxyErrors.fixProtocol(proxy));
        }
        open = true;
        return true;
    }

    private void checkStatus(String line) {
        String shown = "'" + ProxyErrors.printable(line, MAX_STATUS_IN_MESSAGE) + "'";
        String[] parts = line.split(" ", 3);
        int status = -1;
        if (parts.length >= 2 && parts[0].startsWith("HTTP/1.") && parts[1].length() == 3) {
            try {
                status = Integer.parseInt(parts[1]);
            } catch (NumberFormatException e) {
                status = -1;
            }
        }
        if (status < 100) {
            throw ProxyErrors.of(Reason.PROTOCOL_ERROR, proxy, broker, "the proxy answered CONNECT with " + shown
                    + ", which is not an HTTP status line", ProxyErrors.fixProtocol(proxy));
        }
        if (status / 100 == 2) {
            return;
        }
        String what = "the proxy answered CONNECT " + brokerAddress() + " with " + shown;
        boolean credentials = proxy.username().isPresent();
        throw switch (status) {
            // 401 is not what RFC 9110 has a proxy say, but tinyproxy 1.11 answers wrong credentials with it
            case 401, 407 -> ProxyErrors.of(Reason.AUTHENTICATION_FAILED, proxy, broker, what, credentials
                    ? "correct the user name or password in proxyUrl"
                    : "add the proxy's user name and password to proxyUrl: http://user:password@" + proxy.address());
            case 500, 502, 503, 504 -> ProxyErrors.of(Reason.BROKER_UNREACHABLE, proxy, broker, what,
                    ProxyErrors.FIX_BROKER_UNREACHABLE);
            default -> ProxyErrors.of(Reason.REFUSED, proxy, broker, what, ProxyErrors.FIX_REFUSED);
        };
    }

    private void checkRoom(int n, String what) {
        if (n >= MAX_HEADER_BYTES) {
            throw ProxyErrors.of(Reason.PROTOCOL_ERROR, proxy, broker, "the proxy's answer to CONNECT has a " + what
                    + " longer than " + MAX_HEADER_BYTES + " bytes", ProxyErrors.fixProtocol(proxy));
        }
    }

    /** The offset just past the blank line that ends the headers (CRLF CRLF, or bare LF LF), or -1. */
    private int endOfHeaders(int n) {
        byte[] b = in.array();
        for (int i = scanned; i < n; i++) {
            if (b[i] != '\n') {
                continue;
            }
            if (i + 1 < n && b[i + 1] == '\n') {
                return i + 2;
            }
            if (i + 2 < n && b[i + 1] == '\r' && b[i + 2] == '\n') {
                return i + 3;
            }
        }
        return -1;
    }

    private int indexOf(byte value, int from, int to) {
        byte[] b = in.array();
        for (int i = from; i < to; i++) {
            if (b[i] == value) {
                return i;
            }
        }
        return -1;
    }
}
