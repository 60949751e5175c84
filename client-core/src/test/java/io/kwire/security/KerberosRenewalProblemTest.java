package io.kwire.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.kwire.client.KafkaClientConfig;
import io.kwire.client.SecurityProtocol;
import io.kwire.client.Time;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.security.auth.Subject;
import javax.security.auth.callback.CallbackHandler;
import javax.security.auth.kerberos.KerberosPrincipal;
import javax.security.auth.kerberos.KerberosTicket;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.Configuration;
import javax.security.auth.login.LoginException;
import javax.security.auth.spi.LoginModule;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What {@link KerberosLogin#renewalProblem()} says about the current ticket while renewals fail, without a KDC. The
 * login goes through a JAAS entry ({@code saslKerberosLoginContext}) whose module puts a scripted ticket-granting
 * ticket into the Subject on the first login and fails every login after it as an unreachable KDC does; the ticket's
 * times make the first renewal due at once, and the retry back-off is an hour, so exactly one renewal fails. The
 * clock is fixed, so "valid" and "expired" do not depend on when the test runs. (The "valid until" wording against a
 * real KDC is in client-it's {@code GssapiBrokerTest}.)
 */
class KerberosRenewalProblemTest {

    private static final String ENTRY = "KwireScriptedTgt";
    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
    private static final String KDC_DOWN = "Cannot contact any KDC for realm 'EXAMPLE.COM'";
    private static final KerberosRefreshPolicy RENEW_AT_ONCE_RETRY_IN_AN_HOUR = KerberosRefreshPolicy.defaults()
            .withMinInterval(Duration.ZERO).withRetryBackoff(Duration.ofHours(1), Duration.ofHours(1));
    private static final Time FIXED = new Time() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public long currentTimeMillis() {
            return NOW.toEpochMilli();
        }
    };

    /** What the login module hands out: read by the module LoginContext creates, which has no other way in. */
    private static final class Script {
        final KerberosTicket tgt;
        final AtomicInteger logins = new AtomicInteger();

        Script(KerberosTicket tgt) {
            this.tgt = tgt;
        }
    }

    private Script script;

    @BeforeEach
    void installJaasEntry() {
        Configuration.setConfiguration(new Configuration() {
            @Override
            public AppConfigurationEntry[] getAppConfigurationEntry(String name) {
                if (!ENTRY.equals(name)) {
                    return null;
                }
                return new AppConfigurationEntry[] {new AppConfigurationEntry(ScriptedTgtModule.class.getName(),
                        AppConfigurationEntry.LoginModuleControlFlag.REQUIRED, Map.of("script", script))};
            }
        });
    }

    @AfterEach
    void removeJaasEntry() {
        Configuration.setConfiguration(null); // the next user reads the JVM's JAAS configuration afresh
    }

    @Test
    void anExpiredTicketIsReportedAsExpiredWithItsEndTime() throws Exception {
        Instant end = NOW.minus(Duration.ofHours(1));
        script = new Script(tgt(NOW.minus(Duration.ofHours(10)), end));
        try (KerberosLogin login = login()) {
            awaitFirstFailure(login);
            assertThat(login.ticketEndTime()).isEqualTo(end);
            assertThat(login.renewalProblem()).hasValueSatisfying(problem -> assertThat(problem)
                    .startsWith("Kerberos ticket renewal for JAAS entry '" + ENTRY + "' has failed 1 time (")
                    .contains("cannot reach the KDC").contains(KDC_DOWN)
                    .contains("; the current ticket expired at 2029-12-31T23:00:00Z, so new connections cannot"
                            + " authenticate.")
                    .doesNotContain("valid until").doesNotContain("no ticket-granting ticket"));
        }
    }

    @Test
    void aTicketStillValidIsReportedWithItsEndTime() throws Exception {
        script = new Script(tgt(NOW.minus(Duration.ofHours(10)), NOW.plus(Duration.ofMinutes(30))));
        try (KerberosLogin login = login()) {
            awaitFirstFailure(login);
            assertThat(login.renewalProblem()).hasValueSatisfying(problem -> assertThat(problem)
                    .contains("has failed 1 time (").contains(KDC_DOWN)
                    .contains("; the current ticket is valid until 2030-01-01T00:30:00Z.")
                    .doesNotContain("expired").doesNotContain("cannot authenticate"));
        }
    }

    /**
     * The login accepts no Subject without a ticket-granting ticket, so the login's Subject can only lose it
     * afterwards: destroyed (as a logout of that Subject does) or removed. No ticket is no end time, and no
     * "expired at 1970"; new connections cannot authenticate, since the GSSAPI exchange runs as that Subject.
     */
    @Test
    void aTicketDestroyedUnderTheLoginIsReportedAsNoTicketNotAsExpired() throws Exception {
        script = new Script(tgt(NOW.minus(Duration.ofHours(10)), NOW.plus(Duration.ofMinutes(30))));
        try (KerberosLogin login = login()) {
            awaitFirstFailure(login);
            assertThat(login.subject().getPrivateCredentials(KerberosTicket.class)).containsExactly(script.tgt);
            script.tgt.destroy();
            assertThat(login.renewalProblem()).hasValueSatisfying(problem -> assertThat(problem)
                    .contains("has failed 1 time (").contains(KDC_DOWN)
                    .contains("; the login's Subject holds no ticket-granting ticket any more")
                    .contains("new connections cannot authenticate until a renewal succeeds")
                    .doesNotContain("1970").doesNotContain("expired").doesNotContain("valid until"));
        }
    }

    @Test
    void aTicketRemovedFromTheSubjectIsReportedAsNoTicket() throws Exception {
        script = new Script(tgt(NOW.minus(Duration.ofHours(10)), NOW.minus(Duration.ofHours(1))));
        try (KerberosLogin login = login()) {
            awaitFirstFailure(login);
            login.subject().getPrivateCredentials().clear();
            assertThat(login.renewalProblem()).hasValueSatisfying(problem -> assertThat(problem)
                    .contains("; the login's Subject holds no ticket-granting ticket any more")
                    .doesNotContain("expired"));
        }
    }

    @Test
    void thereIsNoProblemOnceClosed() throws Exception {
        script = new Script(tgt(NOW.minus(Duration.ofHours(10)), NOW.minus(Duration.ofHours(1))));
        KerberosLogin login = login();
        awaitFirstFailure(login);
        assertThat(login.renewalProblem()).isPresent();
        login.close();
        assertThat(login.renewalProblem()).isEmpty();
        assertThat(script.tgt.isDestroyed()).as("logout destroyed the module's ticket").isTrue();
    }

    // ---------------------------------------------------------------- helpers

    private static KerberosLogin login() {
        KafkaClientConfig config = KafkaClientConfig.builder().bootstrapServers("broker1:9092")
                .securityProtocol(SecurityProtocol.SASL_PLAINTEXT).saslMechanism("GSSAPI")
                .saslKerberosLoginContext(ENTRY).time(FIXED).build();
        return KerberosLogin.login(config, RENEW_AT_ONCE_RETRY_IN_AN_HOUR);
    }

    /** Waits for the renewal thread's first (and, with an hour's back-off, only) failed renewal. */
    private void awaitFirstFailure(KerberosLogin login) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (login.consecutiveFailures() == 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no failed renewal within 10 s");
            }
            Thread.sleep(5); // the renewal thread offers nothing to wait on
        }
        assertThat(login.consecutiveFailures()).isEqualTo(1);
        assertThat(script.logins).hasValue(2); // the first login, then the renewal that failed
    }

    /** A ticket-granting ticket of app@EXAMPLE.COM, valid from {@code start} to {@code end}, not renewable. */
    private static KerberosTicket tgt(Instant start, Instant end) {
        return new KerberosTicket(new byte[] {0x61}, new KerberosPrincipal("app@EXAMPLE.COM"),
                new KerberosPrincipal("krbtgt/EXAMPLE.COM@EXAMPLE.COM"), new byte[16], 17 /* aes128-cts */,
                new boolean[32], Date.from(start), Date.from(start), Date.from(end), null, null);
    }

    /**
     * A JAAS login module standing in for {@code Krb5LoginModule}: the first login commits the script's ticket to
     * the Subject, every later one fails as an unreachable KDC does; logout destroys the ticket, as Krb5's does.
     * Public with a public constructor: {@code LoginContext} creates it by class name.
     */
    public static final class ScriptedTgtModule implements LoginModule {

        private Subject subject;
        private Script script;

        public ScriptedTgtModule() {
        }

        @Override
        public void initialize(Subject subject, CallbackHandler callbackHandler, Map<String, ?> sharedState,
                               Map<String, ?> options) {
            this.subject = subject;
            this.script = (Script) options.get("script");
        }

        @Override
        public boolean login() throws LoginException {
            if (script.logins.getAndIncrement() > 0) {
                throw new LoginException(KDC_DOWN);
            }
            return true;
        }

        @Override
        public boolean commit() {
            subject.getPrivateCredentials().add(script.tgt);
            return true;
        }

        @Override
        public boolean abort() {
            return true;
        }

        @Override
        public boolean logout() throws LoginException {
            subject.getPrivateCredentials().remove(script.tgt);
            try {
                script.tgt.destroy();
            } catch (javax.security.auth.DestroyFailedException e) {
                throw new LoginException(e.toString());
            }
            return true;
        }
    }
}
