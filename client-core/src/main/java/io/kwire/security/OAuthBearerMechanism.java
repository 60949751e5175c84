package io.kwire.security;

import io.kwire.client.KafkaClientConfig;
import io.kwire.client.Node;
import io.kwire.client.OAuthBearerToken;
import io.kwire.client.OAuthBearerTokenProvider;
import io.kwire.errors.AuthenticationException;
import io.kwire.errors.ConfigException;
import io.kwire.errors.KwireException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * SASL/OAUTHBEARER (RFC 7628, KIP-255) with SASL extensions (KIP-342). The client-first message is
 * {@code n,,^Aauth=Bearer <token>^A<key>=<value>^A...^A^A} (^A = 0x01). On success the broker answers with an empty
 * message. On failure it sends an error document (JSON with {@code status}, {@code scope},
 * {@code openid-configuration}) and expects a single {@code 0x01} in reply, after which SaslAuthenticate fails; the
 * document's status is added to the error (it names no secret).
 *
 * <p>A fresh token is asked from the {@link OAuthBearerTokenProvider} for every authentication and
 * re-authentication.
 */
final class OAuthBearerMechanism implements SaslMechanism {

    public static final String NAME = "OAUTHBEARER";
    private static final char SEP = '\u0001';
    private static final Pattern EXTENSION_KEY = Pattern.compile("[A-Za-z]+");
    private static final Pattern EXTENSION_VALUE = Pattern.compile("[\\x21-\\x7E \t\r\n]+");
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9\\-._~+/]+=*");

    private final OAuthBearerToken token;
    private boolean sent;
    private boolean complete;
    private String serverError;

    public OAuthBearerMechanism(OAuthBearerToken token) {
        this.token = token;
    }

    static OAuthBearerMechanism create(KafkaClientConfig config, Node node) {
        OAuthBearerTokenProvider provider = config.saslOauthTokenProvider().orElseThrow(() -> new ConfigException(
                "saslOauthTokenProvider", "saslOauthTokenProvider must be set for saslMechanism OAUTHBEARER"));
        OAuthBearerToken token;
        try {
            token = provider.token();
        } catch (KwireException e) {
            throw new AuthenticationException("SASL/OAUTHBEARER: the token provider failed: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new AuthenticationException("SASL/OAUTHBEARER: the token provider failed: "
                    + e.getClass().getSimpleName(), e);
        }
        if (token == null) {
            throw new AuthenticationException("SASL/OAUTHBEARER: the token provider returned no token");
        }
        return new OAuthBearerMechanism(token);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public byte[] initialResponse() {
        return clientFirstMessage(token).getBytes(StandardCharsets.UTF_8);
    }

    /** The RFC 7628 client-first message for {@code token}, extensions in name order. */
    static String clientFirstMessage(OAuthBearerToken token) {
        if (!TOKEN.matcher(token.value()).matches()) {
            // RFC 6750 b64token; never echo the value.
            throw new AuthenticationException("SASL/OAUTHBEARER: the token is not a valid bearer token (RFC 6750"
                    + " b64token characters only)");
        }
        StringBuilder sb = new StringBuilder("n,,").append(SEP).append("auth=Bearer ").append(token.value()).append(SEP);
        for (Map.Entry<String, String> e : new TreeMap<>(token.extensions()).entrySet()) {
            if (!EXTENSION_KEY.matcher(e.getKey()).matches()) {
                throw new AuthenticationException("SASL/OAUTHBEARER: extension name '" + e.getKey()
                        + "' is invalid (letters only, KIP-342)");
            }
            if (!EXTENSION_VALUE.matcher(e.getValue()).matches()) {
                throw new AuthenticationException("SASL/OAUTHBEARER: the value of extension '" + e.getKey()
                        + "' has characters RFC 7628 does not allow");
            }
            sb.append(e.getKey()).append('=').append(e.getValue()).append(SEP);
        }
        return sb.append(SEP).toString();
    }

    @Override
    public byte[] evaluateChallenge(byte[] challenge) {
        if (!sent) {
            sent = true;
        }
        if (challenge == null || challenge.length == 0) {
            complete = true;
            return null;
        }
        if (serverError != null) {
            throw new AuthenticationException("SASL/OAUTHBEARER: unexpected second challenge from the broker");
        }
        serverError = new String(challenge, StandardCharsets.UTF_8);
        return new byte[] {SEP}; // RFC 7628 3.2.3: acknowledge the error; the broker then fails the exchange
    }

    @Override
    public boolean isComplete() {
        return complete;
    }

    @Override
    public String failureDetail() {
        return serverError == null ? null : "broker's OAUTHBEARER error: " + serverError;
    }

    @Override
    public String toString() {
        return "OAuthBearerMechanism{" + token + "}";
    }
}
