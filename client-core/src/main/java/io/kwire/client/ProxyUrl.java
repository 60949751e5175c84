package io.kwire.client;

import io.kwire.errors.ConfigException;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The proxy every broker connection goes through ({@link KafkaClientConfig#proxyUrl()}), parsed and checked:
 * {@code socks5://[user:password@]host:port} (SOCKS5, RFC 1928, with RFC 1929 username/password authentication) or
 * {@code http://[user:password@]host:port} (HTTP CONNECT, with {@code Proxy-Authorization: Basic}). Brokers' host names
 * are resolved by the proxy, never by the client. Reserved characters in the user name or password are
 * percent-encoded ({@code p%40ss} for {@code p@ss}).
 *
 * <p>Immutable. {@link #toString()} shows the password as {@code [hidden]}; the password itself is a {@link Password}.
 */
public final class ProxyUrl {

    private static final String KEY = "proxyUrl";
    private static final String FORM = "socks5://[user:password@]host:port or http://[user:password@]host:port";

    /** The proxy protocol. */
    public enum Scheme {
        /** SOCKS version 5 (RFC 1928); broker names travel as domain names (address type 3) for the proxy to resolve. */
        SOCKS5("socks5"),
        /** An HTTP proxy's CONNECT method (RFC 9110 section 9.3.6), which takes the broker's {@code host:port}. */
        HTTP("http");

        private final String text;

        Scheme(String text) {
            this.text = text;
        }

        /** The URL scheme, in lower case. */
        public String text() {
            return text;
        }
    }

    private final Scheme scheme;
    private final String host;
    private final int port;
    private final String username;
    private final Password password;

    private ProxyUrl(Scheme scheme, String host, int port, String username, Password password) {
        this.scheme = scheme;
        this.host = host;
        this.port = port;
        this.username = username;
        this.password = password;
    }

    /**
     * Parses and checks a proxy URL. No name is resolved here.
     *
     * @throws ConfigException naming the key {@code proxyUrl} and what to fix; the message never repeats the password
     */
    public static ProxyUrl parse(String url) {
        Objects.requireNonNull(url, "url");
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            // e.getMessage() would quote the URL, password included: only the reason and the position
            throw invalid("is not a valid URL (" + e.getReason() + " at index " + e.getIndex() + ")");
        }
        String schemeText = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
        Scheme scheme = null;
        for (Scheme s : Scheme.values()) {
            if (s.text.equals(schemeText)) {
                scheme = s;
            }
        }
        if (scheme == null) {
            throw invalid(schemeText == null ? "has no scheme"
                    : "has the scheme " + schemeText + "://, which kwire does not speak"
                    + ("https".equals(schemeText) ? " (TLS to the proxy itself is not supported)" : "")
                    + ("socks5h".equals(schemeText) || "socks4".equals(schemeText) || "socks4a".equals(schemeText)
                    ? " (use socks5://: kwire always lets a SOCKS5 proxy resolve broker names)" : ""));
        }
        String host = uri.getHost();
        String where = scheme.text + "://" + (host == null ? "?" : host) + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
        if (host == null || host.isEmpty()) {
            throw invalid("has no host name a URL allows (letters, digits, '-' and '.', or an IP address): " + scheme.text
                    + "://...");
        }
        if (uri.getPort() < 0) {
            throw invalid("(" + where + ") has no port: add the proxy's port, e.g. :"
                    + (scheme == Scheme.SOCKS5 ? "1080" : "3128"));
        }
        if (uri.getPort() < 1 || uri.getPort() > 65535) {
            throw invalid("(" + where + ") has port " + uri.getPort() + ", outside 1-65535");
        }
        String path = uri.getRawPath();
        if ((path != null && !path.isEmpty() && !path.equals("/")) || uri.getRawQuery() != null
                || uri.getRawFragment() != null) {
            throw invalid("(" + where + ") has a path, query or fragment; a proxy URL is only " + FORM);
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        String username = null;
        Password password = null;
        String userInfo = uri.getRawUserInfo();
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            username = decode(colon < 0 ? userInfo : userInfo.substring(0, colon), "user name", where);
            password = Password.of(colon < 0 ? "" : decode(userInfo.substring(colon + 1), "password", where));
            checkCredentials(scheme, username, password, where);
        }
        return new ProxyUrl(scheme, host, uri.getPort(), username, password);
    }

    private static void checkCredentials(Scheme scheme, String username, Password password, String where) {
        if (username.isEmpty()) {
            throw invalid("(" + where + ") has credentials with an empty user name");
        }
        if (scheme == Scheme.HTTP && username.indexOf(':') >= 0) {
            throw invalid("(" + where + ") has a user name with ':', which HTTP Basic authentication cannot carry");
        }
        if (scheme == Scheme.SOCKS5) {
            // RFC 1929: one length byte each, and a password of at least one byte
            if (username.getBytes(StandardCharsets.UTF_8).length > 255) {
                throw invalid("(" + where + ") has a user name longer than the 255 bytes SOCKS5 (RFC 1929) allows");
            }
            int passwordBytes = password.value().getBytes(StandardCharsets.UTF_8).length;
            if (passwordBytes == 0 || passwordBytes > 255) {
                throw invalid("(" + where + ") has a password of " + passwordBytes + " bytes; SOCKS5 (RFC 1929) takes"
                        + " 1 to 255: write socks5://user:password@host:port");
            }
        }
    }

    /** Percent-decoding of the user information (RFC 3986; {@link URI} has checked the escapes), as UTF-8. */
    private static String decode(String raw, String what, String where) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char ch = raw.charAt(i);
            if (ch == '%' && i + 2 < raw.length()) {
                out.write(Character.digit(raw.charAt(i + 1), 16) * 16 + Character.digit(raw.charAt(i + 2), 16));
                i += 2;
            } else {
                out.writeBytes(String.valueOf(ch).getBytes(StandardCharsets.UTF_8));
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(out.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw invalid("(" + where + ") has a " + what + " whose percent-escapes are not UTF-8");
        }
    }

    private static ConfigException invalid(String what) {
        return new ConfigException(KEY, KEY + " " + what + "; expected " + FORM);
    }

    public Scheme scheme() {
        return scheme;
    }

    /** The proxy's host name or IP address (an IPv6 address without brackets). */
    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    /** The user name the proxy authenticates, if the URL has credentials. */
    public Optional<String> username() {
        return Optional.ofNullable(username);
    }

    /** The password that goes with {@link #username()}; empty when the URL has no credentials. */
    public Optional<Password> password() {
        return Optional.ofNullable(password);
    }

    /** {@code host:port}, an IPv6 address in brackets: how messages name the proxy. */
    public String address() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProxyUrl p && scheme == p.scheme && host.equals(p.host) && port == p.port
                && Objects.equals(username, p.username) && Objects.equals(password, p.password);
    }

    @Override
    public int hashCode() {
        return Objects.hash(scheme, host, port, username);
    }

    /** The URL with the password as {@code [hidden]}: {@code socks5://app:[hidden]@proxy:1080}. */
    @Override
    public String toString() {
        return scheme.text + "://" + (username == null ? "" : username + ":" + password + "@") + address();
    }
}
