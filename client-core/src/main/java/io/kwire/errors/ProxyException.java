package io.kwire.errors;

import java.util.Objects;

/**
 * A broker connection through the configured proxy ({@code proxyUrl}) failed in the proxy's part of the set-up:
 * {@link #reason()} says which part, so that the caller knows whether to fix the proxy's credentials, the proxy's
 * rules, the broker's address or the proxy itself. The message names the proxy (never its password), the broker's
 * address and the proxy's own answer (the SOCKS reply code or the HTTP status line).
 */
public class ProxyException extends KwireException {

    private static final long serialVersionUID = 1L;

    /** What went wrong, by what the caller should do about it. */
    public enum Reason {
        /**
         * The proxy could not be reached: its host name did not resolve, nothing listens on its port, or it closed
         * the connection before answering. Retriable: a restarted proxy takes connections again.
         */
        PROXY_UNREACHABLE(true),
        /**
         * The proxy refused the credentials of {@code proxyUrl}, asked for credentials that {@code proxyUrl} does not
         * carry, or offered no authentication method kwire speaks. Not retriable until the configuration changes.
         */
        AUTHENTICATION_FAILED(false),
        /**
         * The proxy's rules refused to connect to the broker's address (SOCKS5 reply 2, "connection not allowed by
         * ruleset"; HTTP 403 and other refusals). Not retriable until the proxy's rules change.
         */
        REFUSED(false),
        /**
         * The proxy tried and could not reach the broker (SOCKS5 replies 1 and 3-6; HTTP 500, 502, 503, 504): the
         * broker is down, its advertised name does not resolve where the proxy is, or a firewall is in the way.
         * Retriable: the broker may come back.
         */
        BROKER_UNREACHABLE(true),
        /**
         * What answered does not speak the proxy protocol of {@code proxyUrl}, or broke it (a malformed or oversized
         * answer). Not retriable: the URL names the wrong port or the wrong kind of proxy.
         */
        PROTOCOL_ERROR(false);

        private final boolean retriable;

        Reason(boolean retriable) {
            this.retriable = retriable;
        }
    }

    private final Reason reason;

    public ProxyException(Reason reason, String message) {
        this(reason, message, null);
    }

    public ProxyException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** Which part of the proxy's set-up failed. */
    public Reason reason() {
        return reason;
    }

    /** True when the proxy or the broker could not be reached; false for refusals and protocol errors. */
    @Override
    public boolean isRetriable() {
        return reason.retriable;
    }
}
