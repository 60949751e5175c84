package io.kwire.security;

import io.kwire.client.KafkaClientConfig;
import io.kwire.client.Password;
import io.kwire.errors.AuthenticationException;
import io.kwire.errors.ConfigException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * SASL/SCRAM-SHA-256 and SCRAM-SHA-512 (RFC 5802, RFC 7677), as Kafka uses them: no channel binding
 * ({@code n,,}), no authorization id, at least 4096 iterations.
 *
 * <ol>
 *   <li>client-first: {@code n,,n=<user>,r=<client nonce>}</li>
 *   <li>server-first: {@code r=<client nonce + server nonce>,s=<salt>,i=<iterations>}</li>
 *   <li>client-final: {@code c=biws,r=<nonce>,p=<ClientKey XOR HMAC(H(ClientKey), AuthMessage)>} with
 *       {@code SaltedPassword = PBKDF2-HMAC(password, salt, i)}, {@code ClientKey = HMAC(SaltedPassword, "Client Key")}
 *   </li>
 *   <li>server-final: {@code v=<HMAC(HMAC(SaltedPassword, "Server Key"), AuthMessage)>}: verified here, so a
 *       server that does not know the password is rejected; {@code e=<error>} fails.</li>
 * </ol>
 */
final class ScramMechanism implements SaslMechanism {

    public static final String SHA_256 = "SCRAM-SHA-256";
    public static final String SHA_512 = "SCRAM-SHA-512";
    static final int MIN_ITERATIONS = 4096;
    private static final String GS2_HEADER = "n,,";
    private static final SecureRandom RANDOM = new SecureRandom();

    private enum State { INITIAL, SENT_FIRST, SENT_FINAL, COMPLETE, FAILED }

    private final String mechanism;
    private final String hmac;
    private final String digest;
    private final String username;
    private final Password password;
    private final Supplier<String> nonces;
    private final int maxIterations;
    private State state = State.INITIAL;
    private String clientNonce;
    private String clientFirstBare;
    private byte[] expectedServerSignature;

    ScramMechanism(String mechanism, String username, Password password, int maxIterations) {
        this(mechanism, username, password, ScramMechanism::randomNonce, maxIterations);
    }

    /** With a fixed nonce source, for test vectors. */
    ScramMechanism(String mechanism, String username, Password password, Supplier<String> nonces, int maxIterations) {
        this.mechanism = mechanism;
        switch (mechanism) {
            case SHA_256 -> {
                hmac = "HmacSHA256";
                digest = "SHA-256";
            }
            case SHA_512 -> {
                hmac = "HmacSHA512";
                digest = "SHA-512";
            }
            default -> throw new IllegalArgumentException("Not a SCRAM mechanism kwire supports: " + mechanism);
        }
        this.username = username;
        this.password = password;
        this.nonces = nonces;
        this.maxIterations = maxIterations;
    }

    static ScramMechanism create(String mechanism, KafkaClientConfig config) {
        return new ScramMechanism(mechanism,
                config.saslPlainUsername().orElseThrow(() -> new ConfigException("saslPlainUsername",
                        "saslPlainUsername must be set for saslMechanism " + mechanism)),
                config.saslPlainPassword().orElseThrow(() -> new ConfigException("saslPlainPassword",
                        "saslPlainPassword must be set for saslMechanism " + mechanism)),
                config.saslScramMaxIterations());
    }

    private static String randomNonce() {
        byte[] b = new byte[24];
        RANDOM.nextBytes(b);
        return Base64.getEncoder().withoutPadding().encodeToString(b); // printable, no ','
    }

    @Override
    public String name() {
        return mechanism;
    }

    @Override
    public byte[] initialResponse() {
        if (state != State.INITIAL) {
            throw new IllegalStateException("SCRAM exchange already started");
        }
        clientNonce = nonces.get();
        clientFirstBare = "n=" + saslName(username) + ",r=" + clientNonce;
        state = State.SENT_FIRST;
        return (GS2_HEADER + clientFirstBare).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public byte[] evaluateChallenge(byte[] challenge) {
        String message = new String(challenge == null ? new byte[0] : challenge, StandardCharsets.UTF_8);
        try {
            return switch (state) {
                case SENT_FIRST -> clientFinal(message);
                case SENT_FINAL -> {
                    verifyServerFinal(message);
                    yield null;
                }
                default -> throw fail("unexpected message from the broker in state " + state);
            };
        } catch (AuthenticationException e) {
            state = State.FAILED;
            throw e;
        }
    }

    private byte[] clientFinal(String serverFirst) {
        Map<String, String> attrs = parse(serverFirst);
        if (attrs.containsKey("e")) {
            throw fail("the broker refused the client-first message: " + attrs.get("e"));
        }
        if (attrs.containsKey("m")) {
            throw fail("the broker requires a SCRAM extension kwire does not support");
        }
        String nonce = attrs.get("r");
        String saltB64 = attrs.get("s");
        String iter = attrs.get("i");
        if (nonce == null || saltB64 == null || iter == null) {
            throw fail("malformed server-first message (missing r, s or i)");
        }
        if (!nonce.startsWith(clientNonce) || nonce.length() == clientNonce.length()) {
            throw fail("the broker's nonce does not extend the client nonce");
        }
        int iterations;
        byte[] salt;
        try {
            iterations = Integer.parseInt(iter);
            salt = Base64.getDecoder().decode(saltB64);
        } catch (IllegalArgumentException e) {
            throw fail("malformed server-first message (salt or iteration count)");
        }
        if (iterations < MIN_ITERATIONS) {
            throw fail("the broker asked for " + iterations + " iterations, below the minimum of " + MIN_ITERATIONS);
        }
        if (iterations > maxIterations) {
            // Checked before any work: 2^31 PBKDF2 iterations would hold a SASL thread and the connection for minutes.
            throw fail("the broker asked for " + iterations + " iterations, above saslScramMaxIterations ("
                    + maxIterations + "); raise saslScramMaxIterations if the broker's SCRAM credentials really use "
                    + "that many");
        }
        String withoutProof = "c=" + Base64.getEncoder().encodeToString(GS2_HEADER.getBytes(StandardCharsets.US_ASCII))
                + ",r=" + nonce;
        byte[] authMessage = (clientFirstBare + "," + serverFirst + "," + withoutProof).getBytes(StandardCharsets.UTF_8);
        byte[] salted = saltedPassword(salt, iterations);
        byte[] clientKey = hmac(salted, "Client Key".getBytes(StandardCharsets.US_ASCII));
        byte[] storedKey = hash(clientKey);
        byte[] clientSignature = hmac(storedKey, authMessage);
        byte[] proof = xor(clientKey, clientSignature);
        byte[] serverKey = hmac(salted, "Server Key".getBytes(StandardCharsets.US_ASCII));
        expectedServerSignature = hmac(serverKey, authMessage);
        Arrays.fill(salted, (byte) 0);
        Arrays.fill(clientKey, (byte) 0);
        state = State.SENT_FINAL;
        return (withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof)).getBytes(StandardCharsets.UTF_8);
    }

    private void verifyServerFinal(String serverFinal) {
        Map<String, String> attrs = parse(serverFinal);
        if (attrs.containsKey("e")) {
            throw fail("the broker rejected the client proof: " + attrs.get("e"));
        }
        String v = attrs.get("v");
        byte[] signature;
        try {
            signature = v == null ? null : Base64.getDecoder().decode(v);
        } catch (IllegalArgumentException e) {
            signature = null;
        }
        if (signature == null || !MessageDigest.isEqual(signature, expectedServerSignature)) {
            throw fail("the broker's server signature is wrong: it does not know this user's credentials"
                    + " (possible impostor)");
        }
        state = State.COMPLETE;
    }

    @Override
    public boolean isComplete() {
        return state == State.COMPLETE;
    }

    /** PBKDF2 with this mechanism's HMAC, one block (the output is exactly one hash long): RFC 5802's Hi(). */
    byte[] saltedPassword(byte[] salt, int iterations) {
        try {
            Mac mac = Mac.getInstance(hmac);
            byte[] pw = password.value().getBytes(StandardCharsets.UTF_8);
            if (pw.length == 0) {
                throw fail("empty password");
            }
            mac.init(new SecretKeySpec(pw, hmac));
            Arrays.fill(pw, (byte) 0);
            mac.update(salt);
            mac.update(new byte[] {0, 0, 0, 1});
            byte[] u = mac.doFinal();
            byte[] result = u.clone();
            for (int i = 1; i < iterations; i++) {
                u = mac.doFinal(u);
                for (int j = 0; j < result.length; j++) {
                    result[j] ^= u[j];
                }
            }
            return result;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(hmac + " is not available", e);
        }
    }

    private byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance(hmac);
            mac.init(new SecretKeySpec(key, hmac));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(hmac + " is not available", e);
        }
    }

    private byte[] hash(byte[] data) {
        try {
            return MessageDigest.getInstance(digest).digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(digest + " is not available", e);
        }
    }

    private static byte[] xor(byte[] a, byte[] b) {
        byte[] out = new byte[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = (byte) (a[i] ^ b[i]);
        }
        return out;
    }

    /** RFC 5802 saslname: '=' and ',' escaped as =3D and =2C. */
    static String saslName(String name) {
        return name.replace("=", "=3D").replace(",", "=2C");
    }

    static Map<String, String> parse(String message) {
        Map<String, String> attrs = new LinkedHashMap<>();
        for (String part : message.split(",")) {
            if (part.length() >= 2 && part.charAt(1) == '=') {
                attrs.putIfAbsent(part.substring(0, 1), part.substring(2));
            }
        }
        return attrs;
    }

    private AuthenticationException fail(String why) {
        return new AuthenticationException(mechanism + " authentication failed: " + why);
    }

    @Override
    public String toString() {
        return "ScramMechanism{" + mechanism + ", username=" + username + ", password=[hidden]}";
    }
}
