package io.kwire.client;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A token for SASL/OAUTHBEARER (KIP-255) with its SASL extensions (KIP-342). {@link #toString()} hides the
 * token value.
 *
 * @param value      the compact token (usually a JWT) sent to the broker
 * @param extensions SASL extensions sent alongside it; may be empty
 * @param expiresAt  when the token stops being valid; a {@link RefreshingTokenProvider} fetches a new one before
 *                   then
 */
public record OAuthBearerToken(String value, Map<String, String> extensions, Instant expiresAt) {

    public OAuthBearerToken {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(expiresAt, "expiresAt");
        extensions = extensions == null ? Map.of() : Map.copyOf(extensions);
        if (extensions.containsKey("auth")) {
            // RFC 7628 reserves "auth" for the token itself.
            throw new IllegalArgumentException("extension name 'auth' is reserved");
        }
    }

    @Override
    public String toString() {
        return "OAuthBearerToken{value=[hidden], extensions=" + extensions.keySet() + ", expiresAt=" + expiresAt + "}";
    }
}
