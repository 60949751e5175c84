package io.kwire.network;

import io.kwire.client.Node;
import java.util.Optional;

/** Creates the SASL exchange for a new connection (or a re-authentication), or null when SASL is not used. */
@FunctionalInterface
public interface AuthenticatorFactory {

    AuthenticatorFactory NONE = (node, versions) -> null;

    Authenticator create(Node node, NodeApiVersions versions);

    /**
     * As {@link #create(Node, NodeApiVersions)}, for an engine that resumes the exchange when the authenticator's
     * own work is done: an authenticator may run a slow step (a Kerberos ticket request, an OAuth token fetch) off
     * the I/O thread and call {@code progressed}, from any thread, when it has finished; the engine then calls
     * {@link Authenticator#resume()} and asks for the next request again. The default ignores {@code progressed} and
     * creates an authenticator that does all its work in its calls: a factory that wraps another must forward this
     * method too, or its authenticators' slow steps run on the I/O thread again.
     */
    default Authenticator create(Node node, NodeApiVersions versions, Runnable progressed) {
        return create(node, versions);
    }

    /**
     * Releases what the factory holds for the client's life (its SASL threads, a Kerberos login and its refresh
     * thread); called once by {@code KafkaClient.close()}.
     */
    default void close() {
    }

    /**
     * A problem with the client's own credentials that connections may not have run into yet, such as a Kerberos
     * ticket whose renewal keeps failing; empty while all is well. For health checks: any thread may call it, and
     * it holds no secret.
     */
    default Optional<String> credentialProblem() {
        return Optional.empty();
    }
}
