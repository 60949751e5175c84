package io.kwire.security;

/**
 * The client side of one SASL exchange on one connection, for one mechanism. {@link SaslAuthenticator} sends
 * {@link #initialResponse()} in the first SaslAuthenticate request, then passes each server message to
 * {@link #evaluateChallenge(byte[])} until {@link #isComplete()}. Implementations throw
 * {@link io.kwire.errors.AuthenticationException} when the server's messages are wrong (a bad SCRAM server signature,
 * a malformed challenge); messages never contain credentials. Used by one connection's exchange, never by two
 * threads at once: made, and asked for its messages ({@link #initialResponse()}, {@link #evaluateChallenge}), on
 * one of the client's SASL threads (those steps may block: a KDC request, a token fetch), the rest
 * ({@link #isComplete()}, {@link #failureDetail()}, {@link #dispose()}) on the I/O thread, or on the step's thread
 * when the connection closed during the step; the built-in PLAIN, and an authenticator made without a way to resume
 * it, do everything on the I/O thread. Mechanisms of different connections run at the same time: what they share
 * must be thread-safe.
 *
 * <p>Add a mechanism with {@link SaslMechanismRegistry#with(String, SaslMechanismFactory)}.
 */
public interface SaslMechanism {

    /** The mechanism name sent in SaslHandshake, e.g. {@code SCRAM-SHA-256}. */
    String name();

    /** The client's first message (may be empty). */
    byte[] initialResponse();

    /**
     * Answers a server message.
     *
     * @return the next client message, or null when the client has nothing more to send
     */
    byte[] evaluateChallenge(byte[] challenge);

    /** Whether the client considers the exchange finished (and has verified the server where the mechanism can). */
    boolean isComplete();

    /**
     * A hint appended to the broker's error message when authentication fails, e.g. the error document an
     * OAUTHBEARER server sent; null when there is none. Never contains a secret.
     */
    default String failureDetail() {
        return null;
    }

    /** Releases resources (GSSAPI contexts); called once the exchange ends either way. */
    default void dispose() {
    }
}
