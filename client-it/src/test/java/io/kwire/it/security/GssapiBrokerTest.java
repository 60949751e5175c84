package io.kwire.it.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kwire.KafkaClient;
import io.kwire.client.KafkaClientConfig;
import io.kwire.client.SecurityProtocol;
import io.kwire.errors.AuthenticationException;
import io.kwire.errors.ConfigException;
import io.kwire.errors.KwireException;
import io.kwire.network.AuthenticatorFactory;
import io.kwire.protocol.message.MetadataRequest;
import io.kwire.protocol.message.MetadataResponse;
import io.kwire.security.KerberosLogin;
import io.kwire.security.KerberosRefreshPolicy;
import io.kwire.security.SecurityFactories;
import java.io.File;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import javax.security.auth.Subject;
import javax.security.auth.kerberos.KerberosTicket;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.Configuration;
import org.apache.kerby.kerberos.kerb.server.KdcConfigKey;
import org.apache.kerby.kerberos.kerb.server.SimpleKdcServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * SASL/GSSAPI against a real broker and an in-JVM Kerberos KDC (Apache Kerby), principals in keytabs. The KDC issues
 * tickets that live {@value #TICKET_LIFETIME_S} s, so that renewal is observed within a test; the broker logs in as an
 * acceptor only ({@code isInitiator=false}: it needs its key, not a ticket, and so runs no renewal of its own).
 */
@Timeout(120)
class GssapiBrokerTest {

    static final String REALM = "KWIRE.TEST";
    static final int TICKET_LIFETIME_S = 6;
    /** Renews at 50-60% of the lifetime (3-3.6 s), at most once a second, retrying 200 ms after a failure. */
    static final KerberosRefreshPolicy FAST_RENEWAL = KerberosRefreshPolicy.defaults().withWindow(0.5, 0.1)
            .withMinInterval(Duration.ofSeconds(1)).withRetryBackoff(Duration.ofMillis(200), Duration.ofSeconds(1));
    static SimpleKdcServer kdc;
    static SecureBroker broker;
    static Path dir;
    static File clientKeytab;
    static File ghostKeytab;
    static File staleKeytab;
    static String previousKrb5Conf;

    @BeforeAll
    static void start() throws Exception {
        dir = SecureBroker.tempDir("kwire-kdc");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        kdc = new SimpleKdcServer();
        kdc.setWorkDir(dir.toFile());
        kdc.setKdcHost("localhost");
        kdc.setKdcRealm(REALM);
        kdc.setAllowUdp(false);
        kdc.setAllowTcp(true);
        kdc.setKdcTcpPort(port);
        kdc.getKdcConfig().setLong(KdcConfigKey.MAXIMUM_TICKET_LIFETIME, (long) TICKET_LIFETIME_S); // seconds
        kdc.getKdcConfig().setLong(KdcConfigKey.MINIMUM_TICKET_LIFETIME, 1000L); // milliseconds (as Kerby compares it)
        kdc.init();
        kdc.start();
        File brokerKeytab = dir.resolve("broker.keytab").toFile();
        clientKeytab = dir.resolve("client.keytab").toFile();
        kdc.createAndExportPrincipals(brokerKeytab, "kafka/localhost");
        kdc.createAndExportPrincipals(clientKeytab, "app");
        ghostKeytab = dir.resolve("ghost.keytab").toFile();
        kdc.createAndExportPrincipals(ghostKeytab, "ghost");
        kdc.deletePrincipal("ghost@" + REALM); // in the keytab, no longer known to the KDC
        staleKeytab = dir.resolve("stale.keytab").toFile();
        kdc.createAndExportPrincipals(staleKeytab, "rotated");
        kdc.deletePrincipal("rotated@" + REALM);
        kdc.createPrincipal("rotated@" + REALM, "a-new-password-1290"); // the keytab's key is out of date
        previousKrb5Conf = System.getProperty("java.security.krb5.conf");
        System.setProperty("java.security.krb5.conf", dir.resolve("krb5.conf").toString());
        broker = new SecureBroker()
                .prop("sasl.kerberos.service.name", "kafka")
                .listener("GSSAPI", "SASL_PLAINTEXT", Map.of(
                        "sasl.enabled.mechanisms", "GSSAPI",
                        "gssapi.sasl.kerberos.service.name", "kafka",
                        "gssapi.sasl.jaas.config", "com.sun.security.auth.module.Krb5LoginModule required"
                                + " useKeyTab=true storeKey=true isInitiator=false refreshKrb5Config=true keyTab=\""
                                + brokerKeytab.getAbsolutePath() + "\" principal=\"kafka/localhost@" + REALM + "\";"))
                .start();
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (broker != null) {
                broker.close();
            }
        } finally {
            if (kdc != null) {
                kdc.stop();
            }
            if (previousKrb5Conf == null) {
                System.clearProperty("java.security.krb5.conf");
            } else {
                System.setProperty("java.security.krb5.conf", previousKrb5Conf);
            }
        }
    }

    static KafkaClientConfig.Builder gssapi() {
        return KafkaClientConfig.builder().bootstrapServers(broker.bootstrap("GSSAPI"))
                .securityProtocol(SecurityProtocol.SASL_PLAINTEXT).saslMechanism("GSSAPI")
                .saslKerberosServiceName("kafka");
    }

    @Test
    void keytabLoginAuthenticates() {
        try (Clients c = new Clients(gssapi().saslKerberosPrincipal("app@" + REALM)
                .saslKerberosKeytab(clientKeytab.toPath()))) {
            assertThat(c.metadata().brokers()).hasSize(1);
        }
    }

    @Test
    void wrongServiceNameFails() {
        try (Clients c = new Clients(gssapi().saslKerberosServiceName("nosuchservice")
                .saslKerberosPrincipal("app@" + REALM).saslKerberosKeytab(clientKeytab.toPath()))) {
            KwireException e = c.firstFailure();
            assertThat(e).isInstanceOf(AuthenticationException.class).hasMessageContaining("GSSAPI")
                    .hasMessageContaining("nosuchservice/localhost");
        }
    }

    /**
     * The login renews its ticket before it expires, and a connection made after the first login's tickets (its TGT and
     * the service ticket of the first connection) have expired still authenticates: with the renewed login's tickets,
     * since the JDK drops expired tickets from a Subject and cannot get new ones without a current TGT.
     */
    @Test
    void loginRenewsTheTicketAndNewConnectionsAuthenticateAfterTheFirstTicketExpired() {
        KafkaClientConfig config = gssapi().saslKerberosPrincipal("app@" + REALM)
                .saslKerberosKeytab(clientKeytab.toPath()).reconnectBackoff(Duration.ofMillis(50))
                .reconnectBackoffMax(Duration.ofMillis(200)).build();
        AtomicInteger authentications = new AtomicInteger();
        try (KerberosLogin login = KerberosLogin.login(config, FAST_RENEWAL)) {
            AuthenticatorFactory gssapi = SecurityFactories.authenticatorFactory(config, login);
            KafkaClient client = new KafkaClient(config, SecurityFactories.transportFactory(config),
                    (node, versions) -> {
                        authentications.incrementAndGet();
                        return gssapi.create(node, versions);
                    });
            try {
                Instant firstEnd = login.ticketEndTime();
                Subject first = login.subject();
                assertThat(firstEnd).isBefore(Instant.now().plusSeconds(TICKET_LIFETIME_S + 1));
                CompletableFutureHelper.await(client, client.requestMetadataUpdate());
                int node = client.cluster().brokers().iterator().next().id();
                awaitReady(client, node);
                Instant firstTicketsEnd = latestEnd(first);

                // Polls the client (keeping its connection) until every ticket of the first login has expired.
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (!Instant.now().isAfter(firstTicketsEnd.plusMillis(500)) && System.nanoTime() < deadline) {
                    client.poll(Duration.ofMillis(100));
                }
                assertThat(Instant.now()).isAfter(firstTicketsEnd);
                assertThat(login.renewals()).isGreaterThanOrEqualTo(1);
                assertThat(login.ticketEndTime()).isAfter(firstEnd);
                assertThat(login.subject()).isNotSameAs(first);

                client.close(node); // the next connection authenticates anew
                int before = authentications.get();
                awaitReady(client, node);
                assertThat(authentications.get()).isGreaterThan(before);
                var f = client.send(node, new MetadataRequest().setTopics(null));
                MetadataResponse response = CompletableFutureHelper.await(client, f);
                assertThat(response.brokers()).hasSize(1);
            } finally {
                client.close();
            }
            login.close();
            assertThat(login.isRefreshing()).isFalse();
        }
    }

    /** While the KDC refuses the principal, renewal fails and is retried with back-off until the KDC accepts it. */
    @Test
    void aFailedRenewalIsRetriedUntilTheKdcAcceptsThePrincipalAgain() throws Exception {
        File keytab = dir.resolve("renewer.keytab").toFile();
        kdc.createAndExportPrincipals(keytab, "renewer");
        KafkaClientConfig config = gssapi().saslKerberosPrincipal("renewer@" + REALM)
                .saslKerberosKeytab(keytab.toPath()).build();
        try (KerberosLogin login = KerberosLogin.login(config, FAST_RENEWAL)) {
            Instant firstEnd = login.ticketEndTime();
            kdc.deletePrincipal("renewer@" + REALM); // before the first renewal, due 3 s after the login
            awaitCondition("two failed renewals", () -> login.consecutiveFailures() >= 2);
            assertThat(login.renewals()).isZero();
            assertThat(login.renewalProblem()).hasValueSatisfying(problem -> assertThat(problem)
                    .contains("renewer@" + REALM).contains("times in a row").contains("is valid until"));

            assertThat(keytab.delete()).isTrue();
            kdc.createAndExportPrincipals(keytab, "renewer"); // back, with a new key in a new keytab
            awaitCondition("a renewal", () -> login.renewals() >= 1);
            assertThat(login.consecutiveFailures()).isZero();
            assertThat(login.renewalProblem()).isEmpty();
            assertThat(login.ticketEndTime()).isAfter(firstEnd);
        }
    }

    private static void awaitCondition(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + what + " within 30 s");
            }
            Thread.sleep(50); // the renewal thread offers nothing to wait on
        }
    }

    /** saslKerberosLoginContext: the login goes through an entry of the JVM's JAAS configuration, and renews too. */
    @Test
    void aJaasEntryLogsInAuthenticatesAndRenews() throws Exception {
        Configuration previous = currentJaasConfiguration();
        Configuration.setConfiguration(new Configuration() {
            @Override
            public AppConfigurationEntry[] getAppConfigurationEntry(String name) {
                if (!name.equals("KwireTestClient")) {
                    return previous == null ? null : previous.getAppConfigurationEntry(name);
                }
                return new AppConfigurationEntry[] {new AppConfigurationEntry(
                        "com.sun.security.auth.module.Krb5LoginModule",
                        AppConfigurationEntry.LoginModuleControlFlag.REQUIRED, Map.of("useKeyTab", "true",
                                "keyTab", clientKeytab.getAbsolutePath(), "principal", "app@" + REALM,
                                "storeKey", "true", "doNotPrompt", "true", "refreshKrb5Config", "true"))};
            }
        });
        try {
            KafkaClientConfig config = gssapi().saslKerberosLoginContext("KwireTestClient").build();
            try (KerberosLogin login = KerberosLogin.login(config, FAST_RENEWAL)) {
                KafkaClient client = new KafkaClient(config, SecurityFactories.transportFactory(config),
                        SecurityFactories.authenticatorFactory(config, login));
                try {
                    assertThat(CompletableFutureHelper.await(client, client.requestMetadataUpdate()).brokers())
                            .hasSize(1);
                } finally {
                    client.close();
                }
                Instant firstEnd = login.ticketEndTime();
                awaitCondition("a renewal", () -> login.renewals() >= 1);
                assertThat(login.ticketEndTime()).isAfter(firstEnd);
            }
            KafkaClientConfig unknown = gssapi().saslKerberosLoginContext("NoSuchEntry").build();
            assertThatThrownBy(() -> new KafkaClient(unknown)).isInstanceOf(ConfigException.class)
                    .hasMessageContaining("no entry 'NoSuchEntry'")
                    .satisfies(e -> assertThat(((ConfigException) e).key()).isEqualTo("saslKerberosLoginContext"));
        } finally {
            Configuration.setConfiguration(previous);
        }
    }

    private static Configuration currentJaasConfiguration() {
        try {
            return Configuration.getConfiguration();
        } catch (SecurityException e) {
            return null; // no JAAS file in this JVM
        }
    }

    /** The latest end time of the Subject's tickets (the TGT, and service tickets the JDK keeps there). */
    private static Instant latestEnd(Subject subject) {
        Instant latest = Instant.EPOCH;
        for (KerberosTicket t : subject.getPrivateCredentials(KerberosTicket.class)) {
            Instant end = t.getEndTime().toInstant();
            latest = end.isAfter(latest) ? end : latest;
        }
        return latest;
    }

    private static void awaitReady(KafkaClient client, int node) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!client.ready(node) && System.nanoTime() < deadline) {
            client.poll(Duration.ofMillis(50));
        }
        assertThat(client.isReady(node, false)).as("node %s ready", node).isTrue();
    }

    /** The login happens when the client is built; closing the client ends the login's renewal thread. */
    @Test
    void theClientLogsInWhenBuiltAndItsCloseStopsTheRenewalThread() {
        Set<Thread> before = refreshThreads();
        Thread refresher;
        try (Clients c = new Clients(gssapi().saslKerberosPrincipal("app@" + REALM)
                .saslKerberosKeytab(clientKeytab.toPath()))) {
            Set<Thread> started = refreshThreads();
            started.removeAll(before);
            assertThat(started).as("the client's renewal thread").hasSize(1);
            refresher = started.iterator().next();
            assertThat(refresher.isDaemon()).isTrue();
            assertThat(refresher.getName()).contains("app@" + REALM);
            assertThat(c.metadata().brokers()).hasSize(1);
        }
        assertThat(refresher.isAlive()).as("renewal thread after close").isFalse();
        assertThat(refreshThreads()).isSubsetOf(before);
    }

    private static Set<Thread> refreshThreads() {
        Set<Thread> threads = new HashSet<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.isAlive() && t.getName().startsWith("kwire-kerberos-refresh-")) {
                threads.add(t);
            }
        }
        return threads;
    }

    @Test
    void aPrincipalTheKdcDoesNotKnowFailsWhenTheClientIsBuilt() {
        Set<Thread> before = refreshThreads();
        KafkaClientConfig config = gssapi().saslKerberosPrincipal("ghost@" + REALM)
                .saslKerberosKeytab(ghostKeytab.toPath()).build();
        assertThatThrownBy(() -> new KafkaClient(config)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("the KDC does not know principal ghost@" + REALM)
                .hasMessageContaining("saslKerberosPrincipal")
                .satisfies(e -> assertThat(((ConfigException) e).key()).isEqualTo("saslKerberosPrincipal"));
        assertThat(refreshThreads()).isSubsetOf(before);
    }

    @Test
    void aKeytabWithoutThePrincipalFailsWhenTheClientIsBuilt() {
        KafkaClientConfig config = gssapi().saslKerberosPrincipal("someone-else@" + REALM)
                .saslKerberosKeytab(clientKeytab.toPath()).build();
        assertThatThrownBy(() -> new KafkaClient(config)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("keytab " + clientKeytab.toPath() + " has no key for principal someone-else@")
                .satisfies(e -> assertThat(((ConfigException) e).key()).isEqualTo("saslKerberosKeytab"));
    }

    @Test
    void anOutdatedKeytabFailsWhenTheClientIsBuilt() {
        KafkaClientConfig config = gssapi().saslKerberosPrincipal("rotated@" + REALM)
                .saslKerberosKeytab(staleKeytab.toPath()).build();
        assertThatThrownBy(() -> new KafkaClient(config)).isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("the KDC rejected the key in keytab " + staleKeytab.toPath())
                .hasMessageContaining("out of date")
                .hasMessageNotContaining("a-new-password-1290");
    }
}
