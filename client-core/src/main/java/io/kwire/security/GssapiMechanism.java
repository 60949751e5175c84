package io.kwire.security;

import io.kwire.client.KafkaClientConfig;
import io.kwire.client.Node;
import io.kwire.errors.AuthenticationException;
import java.security.PrivilegedActionException;
import java.security.PrivilegedExceptionAction;
import java.util.Map;
import javax.security.auth.Subject;
import javax.security.sasl.Sasl;
import javax.security.sasl.SaslClient;
import javax.security.sasl.SaslException;

/**
 * SASL/GSSAPI (Kerberos) through the JDK: {@code Sasl.createSaslClient("GSSAPI", ...)} inside {@code Subject.doAs}
 * with the Subject of the client's {@link KerberosLogin} (read when the exchange starts, so a connection authenticated
 * after a renewal uses the new ticket), service name {@code saslKerberosServiceName} and server name
 * {@code saslKerberosDomainName} or the broker's host. No login happens here: it was done when the client was
 * created, off the I/O thread, and the login renews it. Kerberos realm and KDC come from the usual JVM settings
 * ({@code java.security.krb5.conf} or {@code java.security.krb5.realm}/{@code java.security.krb5.kdc}).
 */
final class GssapiMechanism implements SaslMechanism {

    public static final String NAME = "GSSAPI";

    private final Subject subject;
    private final SaslClient client;
    private final String server;

    private GssapiMechanism(Subject subject, SaslClient client, String server) {
        this.subject = subject;
        this.client = client;
        this.server = server;
    }

    /**
     * The entry of {@link SaslMechanismRegistry#builtIn()}: a marker that {@link SecurityFactories} replaces with
     * {@link #create(KafkaClientConfig, Node, Subject)} over the client's {@link KerberosLogin}. Called directly,
     * there is no login to use.
     */
    static GssapiMechanism create(KafkaClientConfig config, Node node) {
        throw new AuthenticationException("SASL/GSSAPI needs the client's Kerberos login: create the authenticator"
                + " with SecurityFactories.authenticatorFactory");
    }

    /** Starts an exchange with {@code node} as the principal of {@code subject}. Called on a SASL thread. */
    static GssapiMechanism create(KafkaClientConfig config, Node node, Subject subject) {
        String service = config.saslKerberosServiceName();
        String host = config.saslKerberosDomainName().orElse(node.host());
        try {
            SaslClient client = Subject.doAs(subject, (PrivilegedExceptionAction<SaslClient>) () ->
                    Sasl.createSaslClient(new String[] {NAME}, null, service, host,
                            Map.of(Sasl.QOP, "auth"), callbacks -> { }));
            if (client == null) {
                throw new AuthenticationException("SASL/GSSAPI: the JVM has no GSSAPI SASL client");
            }
            return new GssapiMechanism(subject, client, service + "/" + host);
        } catch (PrivilegedActionException e) {
            throw new AuthenticationException("SASL/GSSAPI: cannot start Kerberos authentication to " + service + "/"
                    + host + ": " + e.getException().getMessage(), e.getException());
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public byte[] initialResponse() {
        return client.hasInitialResponse() ? evaluate(new byte[0]) : new byte[0];
    }

    @Override
    public byte[] evaluateChallenge(byte[] challenge) {
        if (client.isComplete()) {
            return null;
        }
        return evaluate(challenge == null ? new byte[0] : challenge);
    }

    private byte[] evaluate(byte[] challenge) {
        try {
            return Subject.doAs(subject, (PrivilegedExceptionAction<byte[]>) () -> client.evaluateChallenge(challenge));
        } catch (PrivilegedActionException e) {
            Exception cause = e.getException();
            throw new AuthenticationException("SASL/GSSAPI authentication to " + server + " failed: "
                    + cause.getMessage(), cause);
        }
    }

    @Override
    public boolean isComplete() {
        return client.isComplete();
    }

    @Override
    public void dispose() {
        try {
            client.dispose();
        } catch (SaslException ignored) {
            // nothing to release
        }
    }

    @Override
    public String toString() {
        return "GssapiMechanism{" + server + "}";
    }
}
