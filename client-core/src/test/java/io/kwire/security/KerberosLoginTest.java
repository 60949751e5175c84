package io.kwire.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kwire.client.KafkaClientConfig;
import io.kwire.client.SecurityProtocol;
import io.kwire.errors.AuthenticationException;
import io.kwire.errors.ConfigException;
import io.kwire.errors.KwireException;
import io.kwire.network.AuthenticatorFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.security.auth.login.LoginException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a failed Kerberos login says, without a KDC (the real-KDC cases are in client-it's GssapiBrokerTest). */
class KerberosLoginTest {

    private static final Path KEYTAB = Path.of("/etc/app.keytab");

    private static LoginException jdk(String message, Throwable cause) {
        LoginException e = new LoginException(message);
        e.initCause(cause);
        return e;
    }

    @Test
    void anUnreachableKdcSaysWhereTheKdcIsConfigured() {
        KwireException e = KerberosLoginFailure.describe("app@EXAMPLE.COM", KEYTAB,
                jdk("Cannot contact any KDC for realm 'EXAMPLE.COM'",
                        new java.net.SocketTimeoutException("Receive timed out")));
        assertThat(e).isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("principal app@EXAMPLE.COM").hasMessageContaining("cannot reach the KDC")
                .hasMessageContaining("java.security.krb5.conf").hasMessageContaining("Receive timed out");
    }

    @Test
    void aMissingRealmConfigurationNamesTheSystemProperties() {
        KwireException e = KerberosLoginFailure.describe("app", KEYTAB, jdk("Cannot locate default realm", null));
        assertThat(e).isInstanceOf(ConfigException.class).hasMessageContaining("java.security.krb5.conf");
    }

    @Test
    void anEmptyTicketCacheSaysToRunKinitOrUseAKeytab() {
        KwireException e = KerberosLoginFailure.describe(null, null, jdk("Unable to obtain password from user", null));
        assertThat(e).isInstanceOf(ConfigException.class).hasMessageContaining("ticket cache has no ticket")
                .hasMessageContaining("kinit").hasMessageContaining("saslKerberosKeytab");
    }

    @Test
    void anUnknownErrorKeepsTheJdksText() {
        KwireException e = KerberosLoginFailure.describe("app@EXAMPLE.COM", KEYTAB,
                jdk("KDC has no support for encryption type (14)", null));
        assertThat(e).isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("KDC has no support for encryption type (14)");
    }

    @Test
    void aKeytabWithoutAPrincipalIsRejectedBeforeAnyLogin(@TempDir Path dir) throws Exception {
        Path keytab = Files.write(dir.resolve("app.keytab"), new byte[] {5, 2});
        KafkaClientConfig config = KafkaClientConfig.builder().bootstrapServers("broker1:9092")
                .securityProtocol(SecurityProtocol.SASL_PLAINTEXT).saslMechanism("GSSAPI")
                .saslKerberosKeytab(keytab).build();
        assertThatThrownBy(() -> SecurityFactories.authenticatorFactory(config)).isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).key()).isEqualTo("saslKerberosPrincipal"));
    }

    @Test
    void aReplacedGssapiMechanismNeedsNoLogin() {
        KafkaClientConfig config = KafkaClientConfig.builder().bootstrapServers("broker1:9092")
                .securityProtocol(SecurityProtocol.SASL_PLAINTEXT).saslMechanism("GSSAPI").build();
        SaslMechanismRegistry mine = SaslMechanismRegistry.builtIn()
                .with("GSSAPI", (c, node) -> new PlainMechanism("u", io.kwire.client.Password.of("p")));
        AuthenticatorFactory factory = SecurityFactories.authenticatorFactory(config, mine);
        assertThat(factory.create(new io.kwire.client.Node(1, "b", 9092, null), null)).isNotNull();
        factory.close();
    }

    @Test
    void aSharedLoginIsRefusedUnlessTheMechanismIsGssapi() {
        KafkaClientConfig noSasl = KafkaClientConfig.builder().build();
        KafkaClientConfig plain = KafkaClientConfig.builder().securityProtocol(SecurityProtocol.SASL_PLAINTEXT)
                .saslMechanism("PLAIN").saslPlainUsername("u").saslPlainPassword("p").build();
        for (KafkaClientConfig config : java.util.List.of(noSasl, plain)) {
            // The mechanism is checked before the login is used, so no login (and no KDC) is needed here.
            assertThatThrownBy(() -> SecurityFactories.authenticatorFactory(config, (KerberosLogin) null))
                    .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("saslMechanism"))
                    .hasMessage("a KerberosLogin is for saslMechanism GSSAPI with securityProtocol SASL_PLAINTEXT or"
                            + " SASL_SSL");
        }
    }
}
