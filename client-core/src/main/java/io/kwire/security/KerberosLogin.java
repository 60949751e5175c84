package io.kwire.security;

import io.kwire.client.KafkaClientConfig;
import io.kwire.client.Time;
import io.kwire.errors.AuthenticationException;
import io.kwire.errors.ConfigException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import javax.security.auth.RefreshFailedException;
import javax.security.auth.Subject;
import javax.security.auth.kerberos.KerberosPrincipal;
import javax.security.auth.kerberos.KerberosTicket;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.Configuration;
import javax.security.auth.login.LoginContext;
import javax.security.auth.login.LoginException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Kerberos login (JAAS {@code Krb5LoginModule}) that keeps its ticket-granting ticket (TGT) fresh for as long as
 * it is open. {@link #login(KafkaClientConfig)} logs in at once, on the calling thread, from {@code
 * saslKerberosKeytab} + {@code saslKerberosPrincipal}, through the JVM's JAAS entry {@code saslKerberosLoginContext},
 * or, with neither, from the ticket cache; a failure is a
 * {@link ConfigException} naming the key to fix or an {@link AuthenticationException} saying what the KDC refused
 * or that it cannot be reached.
 *
 * <p>A daemon thread owned by the login renews the TGT as {@link KerberosRefreshPolicy} says (by default at 80-85%
 * of its lifetime): with a keytab by logging in again; from a ticket cache by reading the cache again (an outside
 * {@code kinit -R} or k5start may have renewed it) and, when that did not move the end time and the ticket is
 * renewable, by renewing it with the KDC; through a JAAS entry by logging in with it again (then renewing the same
 * way if the entry reads a ticket cache). A failed renewal is retried with back-off while the current ticket is
 * still used. Each login fills a new {@link Subject} that replaces the current one in one step, so an
 * authentication under way keeps the Subject it started with and the next ones use the new ticket; the Subject
 * before is logged out (its tickets destroyed) one renewal later, or at {@link #close()}.
 *
 * <p>{@link SecurityFactories#authenticatorFactory(KafkaClientConfig)} creates one login per client and closes it
 * with the client. Clients of the same principal may share one instead: create it here, pass it to
 * {@link SecurityFactories#authenticatorFactory(KafkaClientConfig, KerberosLogin)} for each client, and close it
 * after the last client (no reference counting: its owner decides when it ends).
 *
 * <p>Thread-safe: {@link #subject()} is read by the clients' SASL threads, renewal happens on the login's thread,
 * {@link #close()} may be called from any thread and waits for that thread to end.
 */
public final class KerberosLogin implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KerberosLogin.class);
    private static final AtomicInteger THREAD_IDS = new AtomicInteger();
    private static final long CLOSE_WAIT_MS = 10_000;

    /** One login's Subject and when it was made. */
    private record Credentials(LoginContext context, Subject subject, long loginMs) {

        KerberosTicket tgt() {
            for (KerberosTicket t : subject.getPrivateCredentials(KerberosTicket.class)) {
                KerberosPrincipal server = t.getServer();
                if (server != null && server.getName().startsWith("krbtgt/")) {
                    return t;
                }
            }
            return null;
        }
    }

    private final String principal;
    private final Path keytab;
    private final String jaasEntry;
    private final KerberosRefreshPolicy policy;
    private final Time time;
    private final Configuration jaas;
    private final Object lock = new Object();
    private final Thread refresher;
    private volatile Credentials current;
    private volatile boolean closed;
    private Credentials previous; // guarded by lock
    private volatile int renewals;
    /** Renewals failed since the last success, and the last one's reason; null while all is well. */
    private volatile RenewalFailures failures;

    private record RenewalFailures(int count, String reason) {
    }

    private KerberosLogin(String principal, Path keytab, String jaasEntry, KerberosRefreshPolicy policy, Time time) {
        this.principal = principal;
        this.keytab = keytab;
        this.jaasEntry = jaasEntry;
        this.policy = policy;
        this.time = time;
        this.jaas = jaasEntry == null ? jaasConfiguration(principal, keytab) : null;
        this.current = login();
        this.refresher = new Thread(this::refreshLoop, "kwire-kerberos-refresh-" + THREAD_IDS.incrementAndGet()
                + "-" + (jaasEntry != null ? "jaas-" + jaasEntry : principal == null ? "ticket-cache" : principal));
        refresher.setDaemon(true);
    }

    /** Logs in now with the default {@link KerberosRefreshPolicy}; see the class comment. */
    public static KerberosLogin login(KafkaClientConfig config) {
        return login(config, KerberosRefreshPolicy.defaults());
    }

    /** Logs in now, renewing as {@code policy} says. */
    public static KerberosLogin login(KafkaClientConfig config, KerberosRefreshPolicy policy) {
        Objects.requireNonNull(policy, "policy");
        String principal = config.saslKerberosPrincipal().orElse(null);
        Path keytab = config.saslKerberosKeytab().orElse(null);
        if (keytab != null && principal == null) {
            throw new ConfigException("saslKerberosPrincipal",
                    "saslKerberosPrincipal must be set with saslKerberosKeytab (the keytab entry to log in with)");
        }
        KerberosLogin login = new KerberosLogin(principal, keytab, config.saslKerberosLoginContext().orElse(null),
                policy, config.time());
        login.refresher.start();
        return login;
    }

    /** The Subject of the latest login, for {@code Subject.doAs} around a GSSAPI exchange. */
    public Subject subject() {
        if (closed) {
            throw new AuthenticationException("SASL/GSSAPI: the Kerberos login of " + describePrincipal()
                    + " is closed");
        }
        return current.subject();
    }

    /**
     * When the current ticket-granting ticket expires: {@link Instant#EPOCH} once closed, or while the Subject holds
     * no ticket-granting ticket (destroyed or removed outside this login; {@link #renewalProblem} then says so).
     */
    public Instant ticketEndTime() {
        KerberosTicket tgt = current.tgt();
        Date end = tgt == null ? null : tgt.getEndTime(); // null once destroyed
        return end == null ? Instant.EPOCH : end.toInstant();
    }

    /** How many renewals succeeded so far. */
    public int renewals() {
        return renewals;
    }

    /** Renewal attempts that failed since the last success: 0 while all is well, growing while the KDC refuses. */
    public int consecutiveFailures() {
        RenewalFailures f = failures;
        return f == null ? 0 : f.count();
    }

    /**
     * While renewals are failing: how many, the KDC's last answer, and until when the current ticket is valid (or
     * that it has expired, or that the Subject lost it, after either of which new connections cannot authenticate).
     * Empty while all is well. For health checks; holds no secret.
     */
    public Optional<String> renewalProblem() {
        RenewalFailures f = failures;
        if (f == null || closed) {
            return Optional.empty();
        }
        return Optional.of("Kerberos ticket renewal for " + describePrincipal() + " has failed " + f.count()
                + (f.count() == 1 ? " time" : " times in a row") + " (" + f.reason() + "); " + ticketState()
                + ". Check the keytab and that the KDC knows the principal");
    }

    /** Whether the current ticket-granting ticket is valid, and until when, for messages. */
    private String ticketState() {
        KerberosTicket tgt = current.tgt();
        Date endDate = tgt == null ? null : tgt.getEndTime();
        if (endDate == null) {
            // login() accepts no Subject without one, so it was destroyed or removed since; a GSSAPI exchange runs
            // as this Subject, where the JDK looks for it (javax.security.auth.useSubjectCredsOnly, true by default)
            return "the login's Subject holds no ticket-granting ticket any more (destroyed or removed outside this"
                    + " login), so new connections cannot authenticate until a renewal succeeds";
        }
        Instant end = endDate.toInstant();
        return end.isAfter(Instant.ofEpochMilli(time.currentTimeMillis())) ? "the current ticket is valid until " + end
                : "the current ticket expired at " + end + ", so new connections cannot authenticate";
    }

    /** Whether the renewal thread is still running (false once {@link #close()} returned). */
    public boolean isRefreshing() {
        return refresher.isAlive();
    }

    /**
     * Stops renewing, waits (up to 10 s; longer only if the thread is inside a KDC exchange, which ends with the
     * krb5.conf timeouts) for the renewal thread to end, and logs out, destroying the tickets. Idempotent.
     */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            lock.notifyAll();
        }
        if (Thread.currentThread() != refresher) {
            try {
                refresher.join(CLOSE_WAIT_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (refresher.isAlive()) {
                log.warn("Kerberos login of {}: the renewal thread is still in an exchange with the KDC; it ends"
                        + " when that exchange does", describePrincipal());
            }
        }
        Credentials before;
        synchronized (lock) {
            before = previous;
            previous = null;
        }
        logout(before);
        logout(current);
    }

    private void refreshLoop() {
        long next = nextRefresh(current);
        while (awaitUntil(next)) {
            try {
                Credentials fresh = relogin();
                if (!publish(fresh)) {
                    return;
                }
                failures = null;
                renewals++;
                next = nextRefresh(fresh);
            } catch (RuntimeException e) { // KwireException from the KDC, or anything unexpected: keep renewing
                RenewalFailures before = this.failures; // only this thread writes it
                int count = before == null ? 1 : before.count() + 1;
                this.failures = new RenewalFailures(count, e.getMessage() != null ? e.getMessage()
                        : e.getClass().getSimpleName());
                long delay = policy.retryDelayMs(count);
                next = time.currentTimeMillis() + delay;
                log.warn("Kerberos login of {}: renewal failed ({} in a row), retrying in {} ms; {}: {}",
                        describePrincipal(), count, delay, ticketState(), e.getMessage());
            }
        }
    }

    /** Waits until {@code atMs} (wall clock); false when the login closed first. */
    private boolean awaitUntil(long atMs) {
        synchronized (lock) {
            while (!closed) {
                long wait = atMs - time.currentTimeMillis();
                if (wait <= 0) {
                    return true;
                }
                try {
                    lock.wait(wait);
                } catch (InterruptedException e) {
                    return false; // only close() ends this thread; an interrupt means the JVM is stopping it
                }
            }
            return false;
        }
    }

    private long nextRefresh(Credentials c) {
        KerberosTicket tgt = c.tgt();
        if (tgt == null) {
            return c.loginMs() + policy.minIntervalMs();
        }
        long start = (tgt.getStartTime() != null ? tgt.getStartTime() : tgt.getAuthTime()).getTime();
        long end = tgt.getEndTime().getTime();
        long next = policy.nextRefreshMs(start, end, c.loginMs());
        if (next >= end) {
            log.warn("Kerberos login of {}: the ticket lives {} ms, shorter than the minimum time between"
                    + " logins ({} ms); it expires before the next renewal", describePrincipal(), end - start,
                    policy.minIntervalMs());
        }
        log.debug("Kerberos login of {}: ticket valid until {}, next renewal at {}", describePrincipal(),
                Instant.ofEpochMilli(end), Instant.ofEpochMilli(next));
        return next;
    }

    /** Replaces the current Subject; the one before is logged out now. False when closed meanwhile. */
    private boolean publish(Credentials fresh) {
        Credentials retired;
        synchronized (lock) {
            if (closed) {
                retired = fresh;
            } else {
                retired = previous;
                previous = current;
                current = fresh;
            }
        }
        logout(retired);
        if (retired == fresh) {
            return false;
        }
        log.info("Kerberos login of {} renewed; ticket valid until {}", describePrincipal(), ticketEndTime());
        return true;
    }

    private Credentials relogin() {
        Credentials fresh = login();
        if (keytab == null) { // a ticket cache, or a JAAS entry that may read one
            renewFromCacheIfStale(fresh);
        }
        return fresh;
    }

    /** The cache still held the ticket we had: renew it with the KDC if it is renewable. */
    private void renewFromCacheIfStale(Credentials fresh) {
        KerberosTicket tgt = fresh.tgt();
        KerberosTicket old = current.tgt();
        if (tgt == null || old == null || tgt.getEndTime().after(old.getEndTime())) {
            return;
        }
        if (!tgt.isRenewable() || tgt.getRenewTill() == null
                || !tgt.getRenewTill().after(new Date(time.currentTimeMillis()))) {
            log.warn("Kerberos login of {}: the ticket cache holds a ticket that is not renewable, valid until {};"
                    + " renew it outside the JVM (kinit -R, k5start) or use saslKerberosKeytab",
                    describePrincipal(), tgt.getEndTime().toInstant());
            return;
        }
        try {
            tgt.refresh(); // the Subject is not published yet: nobody else reads this ticket
        } catch (RefreshFailedException e) {
            throw new AuthenticationException("SASL/GSSAPI: renewing the ticket of " + describePrincipal()
                    + " from the ticket cache failed: " + e.getMessage(), e);
        }
    }

    private Credentials login() {
        Subject subject = new Subject();
        try {
            LoginContext context = jaasEntry != null ? new LoginContext(jaasEntry, subject)
                    : new LoginContext("KwireClient", subject, null, jaas);
            context.login();
            Credentials c = new Credentials(context, subject, time.currentTimeMillis());
            if (c.tgt() == null) {
                throw new AuthenticationException("SASL/GSSAPI: the Kerberos login of " + describePrincipal()
                        + " gave no ticket-granting ticket");
            }
            return c;
        } catch (LoginException e) {
            throw jaasEntry != null ? KerberosLoginFailure.describeJaas(jaasEntry, e)
                    : KerberosLoginFailure.describe(principal, keytab, e);
        } catch (SecurityException e) { // no JAAS configuration at all
            throw new ConfigException("saslKerberosLoginContext", "SASL/GSSAPI: no JAAS configuration for entry '"
                    + jaasEntry + "': set the system property java.security.auth.login.config (" + e.getMessage()
                    + ")");
        }
    }

    private void logout(Credentials c) {
        if (c == null) {
            return;
        }
        try {
            c.context().logout();
        } catch (LoginException e) {
            log.debug("Kerberos logout of {} failed: {}", describePrincipal(), e.getMessage());
        }
    }

    private static Configuration jaasConfiguration(String principal, Path keytab) {
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
            options.put("renewTGT", "true");
        }
        AppConfigurationEntry[] entries = {new AppConfigurationEntry("com.sun.security.auth.module.Krb5LoginModule",
                AppConfigurationEntry.LoginModuleControlFlag.REQUIRED, Map.copyOf(options))};
        return new Configuration() {
            @Override
            public AppConfigurationEntry[] getAppConfigurationEntry(String name) {
                return entries.clone();
            }
        };
    }

    private String describePrincipal() {
        if (jaasEntry != null) {
            return "JAAS entry '" + jaasEntry + "'";
        }
        return principal == null ? "the ticket cache's principal" : principal;
    }

    @Override
    public String toString() {
        String source = jaasEntry != null ? "" : keytab == null ? ", ticket cache" : ", keytab " + keytab;
        return "KerberosLogin{" + describePrincipal() + source + (closed ? ", closed" : "") + "}";
    }
}
