package io.kwire.security;

import io.kwire.client.AuthenticationException;
import io.kwire.client.KafkaClientConfig;
import io.kwire.client.Node;
import java.nio.file.Path;
import java.security.PrivilegedActionException;
import java.security.PrivilegedExceptionAction;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.security.auth.Subject;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.Configuration;
import javax.security.auth.login.LoginContext;
import javax.security.auth.login.LoginException;
import javax.security.sasl.Sasl;
import javax.security.sasl.SaslClient;
import javax.security.sasl.SaslException;

/**
 * SASL/GSSAPI (Kerberos) through the JDK: a JAAS login with {@code Krb5LoginModule} from
 * {@code saslKerberosKeytab} + {@code saslKerberosPrincipal} (or the ticket cache when no keytab is set), then
 * {@code Sasl.createSaslClient("GSSAPI", ...)} inside {@code Subject.doAs}, with service name
 * {@code saslKerberosServiceName} and server name {@code saslKerberosDomainName} or the broker's host. Logins are
 * cached per principal/keytab for the life of the JVM (tickets renew through a new login when they expire is
 * not implemented: long-running clients should use keytabs with long ticket lifetimes). Kerberos realm and KDC
 * come from the usual JVM settings ({@code java.security.krb5.conf} or {@code krb5.realm}/{@code krb5.kdc}).
 */
public final class GssapiMechanism implements SaslMechanism {

    public static final String NAME = "GSSAPI";
    private static final Map<String, Subject> LOGINS = new ConcurrentHashMap<>();

    private final Subject subject;
    private final SaslClient client;
    private final String server;

    private GssapiMechanism(Subject subject, SaslClient client, String server) {
        this.subject = subject;
        this.client = client;
        this.server = server;
    }

    static GssapiMechanism create(KafkaClientConfig config, Node node) {
        String service = config.saslKerberosServiceName();
        String host = config.saslKerberosDomainName().orElse(node.host());
        Subject subject = config.saslKerberosLoginContext().map(GssapiMechanism::jaasLogin)
                .orElseGet(() -> login(config.saslKerberosPrincipal().orElse(null),
                        config.saslKerberosKeytab().orElse(null)));
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

    /** A login through an entry of the JVM's own JAAS configuration ({@code java.security.auth.login.config}). */
    private static Subject jaasLogin(String entry) {
        return LOGINS.computeIfAbsent("jaas|" + entry, k -> {
            Subject subject = new Subject();
            try {
                new LoginContext(entry, subject).login();
            } catch (LoginException | SecurityException e) {
                throw new AuthenticationException("SASL/GSSAPI: JAAS login with entry '" + entry + "' of "
                        + "java.security.auth.login.config failed (saslKerberosLoginContext): " + e.getMessage(), e);
            }
            return subject;
        });
    }

    private static Subject login(String principal, Path keytab) {
        String cacheKey = principal + "|" + keytab;
        return LOGINS.computeIfAbsent(cacheKey, k -> {
            Map<String, String> options = new HashMap<>();
            options.put("doNotPrompt", "true");
            options.put("isInitiator", "true");
            options.put("refreshKrb5Config", "true");
            if (principal != null) {
                options.put("principal", principal);
            }
            if (keytab != null) {
                options.put("useKeyTab", "true");
                options.put("keyTab", keytab.toString());
                options.put("storeKey", "true");
            } else {
                options.put("useTicketCache", "true");
            }
            Configuration jaas = new Configuration() {
                @Override
                public AppConfigurationEntry[] getAppConfigurationEntry(String name) {
                    return new AppConfigurationEntry[] {new AppConfigurationEntry(
                            "com.sun.security.auth.module.Krb5LoginModule",
                            AppConfigurationEntry.LoginModuleControlFlag.REQUIRED, options)};
                }
            };
            Subject subject = new Subject();
            try {
                LoginContext lc = new LoginContext("KwireClient", subject, null, jaas);
                lc.login();
            } catch (LoginException e) {
                throw new AuthenticationException("SASL/GSSAPI: Kerberos login failed for principal "
                        + (principal == null ? "(from the ticket cache)" : principal)
                        + (keytab == null ? "" : " with keytab " + keytab) + ": " + e.getMessage(), e);
            }
            return subject;
        });
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
