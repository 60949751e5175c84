package io.kwire.internal.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.kwire.client.KafkaClientConfig;
import io.kwire.client.SecurityProtocol;
import io.kwire.client.TlsEngine;
import io.kwire.security.TestCerts;
import io.netty.util.Version;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which Netty the OpenSSL engine's tests ran on: the 4.2 that the build manages, or, in the {@code netty-4.1} run of
 * client-core's build, the 4.1 named by {@code kwire.test.netty} (README promises 4.1.100 or later). Without this, a
 * class path that still held 4.2 would pass that run unnoticed.
 */
class NettyVersionTest {

    @TempDir
    Path dir;

    @Test
    void theOpenSslEngineRunsOnTheNettyThisTestRunIsFor() throws Exception {
        String expected = System.getProperty("kwire.test.netty");
        String handler = Version.identify().get("netty-handler").artifactVersion();
        if (expected != null) {
            assertThat(handler).isEqualTo(expected);
        } else {
            assertThat(handler).startsWith("4.2.");
        }
        assertThat(Version.identify()).as("no Netty module of another version").allSatisfy((module, version) ->
                assertThat(version.artifactVersion()).as(module).isEqualTo(handler));

        Path ca = TestCerts.create(dir, "netty", "dns:localhost").writeCertPem(dir.resolve("ca.pem"));
        try (SslContextFactory f = SslContextFactory.create(KafkaClientConfig.builder()
                .bootstrapServers("localhost:9093").securityProtocol(SecurityProtocol.SSL).sslEngine(TlsEngine.OPENSSL)
                .sslCafile(ca).build())) {
            assertThat(f.engineName()).isEqualTo("OpenSSL (BoringSSL)");
            assertThat(f.openSslReferences()).isEqualTo(1);
        }
    }
}
