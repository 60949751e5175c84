package io.kwire.client;

/** How the client talks to brokers: with or without TLS, with or without SASL authentication. */
public enum SecurityProtocol {
    PLAINTEXT(false, false),
    SSL(true, false),
    SASL_PLAINTEXT(false, true),
    SASL_SSL(true, true);

    private final boolean tls;
    private final boolean sasl;

    SecurityProtocol(boolean tls, boolean sasl) {
        this.tls = tls;
        this.sasl = sasl;
    }

    /** Whether connections are wrapped in TLS. */
    public boolean usesTls() {
        return tls;
    }

    /** Whether connections authenticate with SASL after the ApiVersions exchange. */
    public boolean usesSasl() {
        return sasl;
    }
}
