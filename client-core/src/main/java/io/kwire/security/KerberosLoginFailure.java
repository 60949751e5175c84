package io.kwire.security;

import io.kwire.errors.AuthenticationException;
import io.kwire.errors.ConfigException;
import io.kwire.errors.KwireException;
import java.nio.file.Path;
import java.util.Locale;
import javax.security.auth.login.LoginException;

/**
 * Turns the JDK's Kerberos login errors (terse KDC error texts such as "Client not found in Kerberos database (6)")
 * into a {@link ConfigException} naming the key to fix, or an {@link AuthenticationException} saying what the KDC
 * refused or why it could not be reached. The JDK's own text is kept at the end. Messages name the principal, the
 * keytab path and the realm, which are not secrets; a keytab's keys never reach an exception. Stateless.
 */
final class KerberosLoginFailure {

    private KerberosLoginFailure() {
    }

    static KwireException describe(String principal, Path keytab, LoginException e) {
        String jdk = chain(e);
        String text = jdk.toLowerCase(Locale.ROOT);
        String who = principal == null ? "the ticket cache's principal" : "principal " + principal;
        String prefix = "SASL/GSSAPI: Kerberos login of " + who + " failed: ";
        String suffix = " (" + jdk + ")";
        if (text.contains("client not found in kerberos database") || text.contains("client_not_found")) {
            return new ConfigException("saslKerberosPrincipal", prefix + "the KDC does not know " + who
                    + ": check saslKerberosPrincipal (name and realm)" + suffix);
        }
        if (text.contains("unable to obtain password") || text.contains("no key to store")
                || text.contains("unable to obtain principal name")) {
            if (keytab != null) {
                return new ConfigException("saslKerberosKeytab", prefix + "keytab " + keytab + " has no key for "
                        + who + ": check saslKerberosPrincipal against the keytab's entries (klist -kt)" + suffix);
            }
            return new ConfigException("saslKerberosKeytab", prefix + "the ticket cache has no ticket: run kinit"
                    + " first, or set saslKerberosKeytab and saslKerberosPrincipal" + suffix);
        }
        if (text.contains("pre-authentication information was invalid") || text.contains("preauth_failed")
                || text.contains("integrity check on decrypted field failed") || text.contains("checksum failed")
                || text.contains("message stream modified")) {
            return new AuthenticationException(prefix + "the KDC rejected the key"
                    + (keytab == null ? "" : " in keytab " + keytab) + ": the keytab is out of date (the"
                    + " principal's key or key version changed) or belongs to another principal; export it again"
                    + suffix, e);
        }
        if (text.contains("clock skew")) {
            return new AuthenticationException(prefix + "the clocks of this host and the KDC differ by more than"
                    + " the allowed skew; synchronise them (NTP)" + suffix, e);
        }
        if (text.contains("cannot locate default realm") || text.contains("cannot get kdc for realm")
                || text.contains("krb5.conf")) {
            return new ConfigException("saslKerberosPrincipal", prefix + "no Kerberos configuration for the realm:"
                    + " set the system property java.security.krb5.conf to a krb5.conf naming the realm's KDC (or"
                    + " java.security.krb5.realm and java.security.krb5.kdc)" + suffix);
        }
        if (text.contains("cannot contact any kdc") || text.contains("connection refused")
                || text.contains("timed out") || text.contains("unreachable") || text.contains("unknownhost")
                || text.contains("unknown host")) {
            return new AuthenticationException(prefix + "cannot reach the KDC: check the kdc entries of the"
                    + " realm in krb5.conf (java.security.krb5.conf) and that the KDC is up" + suffix, e);
        }
        if (text.contains("client's entry in database has expired") || text.contains("password has expired")
                || text.contains("revoked")) {
            return new AuthenticationException(prefix + "the KDC refuses " + who + " (expired or disabled)"
                    + suffix, e);
        }
        return new AuthenticationException(prefix + jdk, e);
    }

    /**
     * A failed login through the JVM's JAAS entry {@code entry} ({@code saslKerberosLoginContext}): the principal
     * and keytab are in the JAAS file, so the message points there.
     */
    static KwireException describeJaas(String entry, LoginException e) {
        String jdk = chain(e);
        String text = jdk.toLowerCase(Locale.ROOT);
        String prefix = "SASL/GSSAPI: JAAS login with entry '" + entry + "' of java.security.auth.login.config failed"
                + " (saslKerberosLoginContext): ";
        if (text.contains("no loginmodules configured") || text.contains("no login modules configured")) {
            return new ConfigException("saslKerberosLoginContext", prefix + "the JAAS configuration has no entry '"
                    + entry + "'; check saslKerberosLoginContext against the file");
        }
        if (text.contains("unable to obtain password") || text.contains("unable to obtain principal name")) {
            return new ConfigException("saslKerberosLoginContext", prefix + "the entry found no key and no ticket:"
                    + " check its principal and keyTab (with useKeyTab=true), or run kinit for useTicketCache=true ("
                    + jdk + ")");
        }
        KwireException kerberos = describe(null, null, e);
        String detail = kerberos.getMessage().substring(kerberos.getMessage().indexOf(" failed: ") + 9);
        return kerberos instanceof ConfigException
                ? new ConfigException("saslKerberosLoginContext", prefix + detail + " (check the entry's principal,"
                        + " keyTab and useTicketCache options)")
                : new AuthenticationException(prefix + detail, e);
    }

    /** The messages of {@code e} and its causes, without repeats. */
    private static String chain(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage().strip();
            if (!sb.toString().contains(m)) {
                sb.append(sb.isEmpty() ? "" : ": ").append(m);
            }
        }
        return sb.toString();
    }
}
