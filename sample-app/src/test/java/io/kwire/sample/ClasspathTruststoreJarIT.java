package io.kwire.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.kwire.testkit.ExternalKafkaBroker;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kwire.client.ssl.truststore-location=classpath:...} in a packaged jar run with {@code java -jar}, against a
 * real TLS broker (the test kit's {@link ExternalKafkaBroker} with an SSL listener and a certificate made here with
 * {@code keytool}): the trust store is an entry of the jar (added to a copy of the repackaged sample jar under
 * {@code BOOT-INF/classes}), which the starter copies to a private temporary file for the client; the TLS handshake
 * succeeds and health is UP with the broker. Runs under failsafe, after {@code package}.
 */
@DisabledIfSystemProperty(named = "kwire.skipExternalKafka", matches = "true")
class ClasspathTruststoreJarIT {

    private static final String PASSWORD = "jar-trust-pw-2291";

    private RunningJar app;
    private ExternalKafkaBroker broker;

    @AfterEach
    void stop() throws InterruptedException {
        if (app != null) {
            app.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void aClasspathTruststoreInsideTheJarReachesATlsBroker(@TempDir Path dir) throws Exception {
        String jarProperty = System.getProperty("sample.jar");
        Assumptions.assumeTrue(jarProperty != null, "runs under failsafe, after package has built the jar");
        Path brokerStore = keytool(dir, "-genkeypair", "-alias", "broker", "-keyalg", "EC", "-dname", "CN=localhost",
                "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", dir.resolve("broker.p12").toString(), "-storepass", PASSWORD, "-keypass", PASSWORD);
        keytool(dir, "-exportcert", "-alias", "broker", "-keystore", brokerStore.toString(), "-storepass", PASSWORD,
                "-rfc", "-file", dir.resolve("broker.pem").toString());
        Path trust = keytool(dir, "-importcert", "-noprompt", "-alias", "broker", "-file",
                dir.resolve("broker.pem").toString(), "-storetype", "PKCS12",
                "-keystore", dir.resolve("trust.p12").toString(), "-storepass", PASSWORD);
        broker = ExternalKafkaBroker.builder().version(System.getProperty("kwire.externalKafkaVersion", "3.9.1"))
                .listener("SSL", Map.of(
                        "listener.name.client.ssl.keystore.location", brokerStore.toString(),
                        "listener.name.client.ssl.keystore.password", PASSWORD,
                        "listener.name.client.ssl.key.password", PASSWORD,
                        "listener.name.client.ssl.keystore.type", "PKCS12"))
                .start();

        // The repackaged jar with the trust store as one of its class path entries.
        Path jar = Files.copy(Path.of(jarProperty), dir.resolve("app-with-truststore.jar"));
        try (FileSystem zip = FileSystems.newFileSystem(URI.create("jar:" + jar.toUri()), Map.of())) {
            Files.copy(trust, zip.getPath("BOOT-INF", "classes", "kafka-truststore.p12"));
        }

        app = new RunningJar(jar, "--server.port=0", "--spring.main.banner-mode=off",
                "--kwire.client.bootstrap-servers=" + broker.bootstrapServers(),
                "--kwire.client.security-protocol=SSL",
                "--kwire.client.ssl.truststore-location=classpath:kafka-truststore.p12",
                "--kwire.client.ssl.truststore-password=" + PASSWORD,
                "--kwire.client.ssl.truststore-type=PKCS12");
        Http http = new Http(app.awaitPort(Duration.ofSeconds(120)));
        Http.Response health = RunningJar.awaitHealthUp(http, Duration.ofSeconds(60));
        assertThat(RunningJar.statusOf(health)).as("%s%n%s", health, app.output()).isEqualTo("UP");
        assertThat(health.<Integer>json("$.details.brokers")).isEqualTo(1);
        assertThat(health.<Integer>json("$.details.readyConnections")).isPositive();
        assertThat(app.output()).doesNotContain("Started an embedded Kafka broker")
                .doesNotContain("cannot be resolved to absolute file path").doesNotContain(PASSWORD);
    }

    private static Path keytool(Path dir, String... arguments) throws Exception {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        List<String> command = new java.util.ArrayList<>(List.of(keytool.toString()));
        command.addAll(List.of(arguments));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("keytool %s: %s", String.join(" ", arguments), output).isZero();
        for (int i = 0; i < arguments.length - 1; i++) {
            if (arguments[i].equals("-keystore")) {
                return Path.of(arguments[i + 1]);
            }
        }
        return null;
    }
}
