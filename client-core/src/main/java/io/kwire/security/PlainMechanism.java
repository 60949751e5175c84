package io.kwire.security;

import io.kwire.client.KafkaClientConfig;
import io.kwire.client.Node;
import io.kwire.client.Password;
import io.kwire.errors.AuthenticationException;
import io.kwire.errors.ConfigException;
import java.nio.charset.StandardCharsets;

/** SASL/PLAIN (RFC 4616): one message {@code [authzid] NUL authcid NUL passwd}, no authorization id. */
final class PlainMechanism implements SaslMechanism {

    public static final String NAME = "PLAIN";

    private final String username;
    private final Password password;
    private boolean complete;

    public PlainMechanism(String username, Password password) {
        this.username = username;
        this.password = password;
    }

    static PlainMechanism create(KafkaClientConfig config, Node node) {
        return new PlainMechanism(
                config.saslPlainUsername().orElseThrow(() -> new ConfigException("saslPlainUsername",
                        "saslPlainUsername must be set for saslMechanism PLAIN")),
                config.saslPlainPassword().orElseThrow(() -> new ConfigException("saslPlainPassword",
                        "saslPlainPassword must be set for saslMechanism PLAIN")));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public byte[] initialResponse() {
        byte[] user = username.getBytes(StandardCharsets.UTF_8);
        byte[] pass = password.value().getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[2 + user.length + pass.length];
        out[0] = 0;
        System.arraycopy(user, 0, out, 1, user.length);
        out[1 + user.length] = 0;
        System.arraycopy(pass, 0, out, 2 + user.length, pass.length);
        complete = true;
        return out;
    }

    @Override
    public byte[] evaluateChallenge(byte[] challenge) {
        if (challenge != null && challenge.length > 0) {
            throw new AuthenticationException("SASL/PLAIN: unexpected challenge from the broker");
        }
        return null;
    }

    @Override
    public boolean isComplete() {
        return complete;
    }

    @Override
    public String toString() {
        return "PlainMechanism{username=" + username + ", password=[hidden]}";
    }
}
