package io.kwire.it.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.kwire.client.AuthenticationException;
import io.kwire.client.KafkaClientConfig;
import io.kwire.client.KwireException;
import io.kwire.client.SecurityProtocol;
import java.io.File;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kerby.kerberos.kerb.server.SimpleKdcServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** SASL/GSSAPI against a real broker and an in-JVM Kerberos KDC (Apache Kerby), principals in keytabs. */
@Timeout(120)
class GssapiBrokerTest {

    static final String REALM = "KWIRE.TEST";
    static SimpleKdcServer kdc;
    static SecureBroker broker;
    static Path dir;
    static File clientKeytab;
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
        kdc.init();
        kdc.start();
        File brokerKeytab = dir.resolve("broker.keytab").toFile();
        clientKeytab = dir.resolve("client.keytab").toFile();
        kdc.createAndExportPrincipals(brokerKeytab, "kafka/localhost");
        kdc.createAndExportPrincipals(clientKeytab, "app");
        previousKrb5Conf = System.getProperty("java.security.krb5.conf");
        System.setProperty("java.security.krb5.conf", dir.resolve("krb5.conf").toString());
        broker = new SecureBroker()
                .prop("sasl.kerberos.service.name", "kafka")
                .listener("GSSAPI", "SASL_PLAINTEXT", Map.of(
                        "sasl.enabled.mechanisms", "GSSAPI",
                        "gssapi.sasl.kerberos.service.name", "kafka",
                        "gssapi.sasl.jaas.config", "com.sun.security.auth.module.Krb5LoginModule required"
                                + " useKeyTab=true storeKey=true refreshKrb5Config=true keyTab=\""
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
}
