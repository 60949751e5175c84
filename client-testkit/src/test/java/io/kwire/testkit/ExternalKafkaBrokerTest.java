package io.kwire.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.net.Socket;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

/**
 * An older Kafka release as a child process. Needs maven and Maven Central on first use (the class path is cached
 * afterwards); skip with {@code -Dkwire.skipExternalKafka=true}. {@code -Dkwire.externalKafkaVersion=3.3.2} picks
 * the release.
 */
@DisabledIfSystemProperty(named = "kwire.skipExternalKafka", matches = "true")
class ExternalKafkaBrokerTest {

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void startsAnOlderReleaseAnswersApiVersionsAndCleansUp() throws Exception {
        String version = System.getProperty("kwire.externalKafkaVersion", "3.9.1");
        long r0 = System.nanoTime();
        String classpath = ExternalKafkaBroker.resolveClasspath(version, java.time.Duration.ofMinutes(4));
        System.out.printf("external %s: class path resolved in %d ms%n", version,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - r0));
        assertThat(classpath).contains("kafka_2.13-" + version + ".jar");

        long t0 = System.nanoTime();
        ExternalKafkaBroker broker = ExternalKafkaBroker.builder().version(version).classpath(classpath).start();
        long started = System.nanoTime();
        Path dir;
        int port;
        long pid;
        try {
            System.out.printf("external %s: started in %d ms%n", version,
                    TimeUnit.NANOSECONDS.toMillis(started - t0));
            port = broker.port();
            pid = broker.pid();
            dir = broker.directory();
            assertThat(broker.bootstrapServers()).isEqualTo("127.0.0.1:" + port);
            assertThat(broker.isAlive()).isTrue();
            try (Socket s = new Socket("127.0.0.1", port)) {
                s.setSoTimeout(20_000);
                s.getOutputStream().write(Wire.request(18, 0, 42, "kwire-compat", false, new byte[0]));
                DataInputStream in = new DataInputStream(new ByteArrayInputStream(Wire.readFrame(s)));
                assertThat(in.readInt()).isEqualTo(42);
                assertThat(in.readShort()).as("error code").isZero();
                assertThat(in.readInt()).as("api count").isGreaterThan(10);
            }
        } finally {
            long c0 = System.nanoTime();
            broker.close();
            System.out.printf("external %s: closed in %d ms%n", version,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - c0));
        }
        broker.close(); // idempotent
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(KafkaCluster.accepts(port)).isFalse();
        assertThat(dir).doesNotExist();
    }

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void saslPlainListenerAuthenticatesAtByteLevel() throws Exception {
        String version = System.getProperty("kwire.externalKafkaVersion", "3.9.1");
        String classpath = ExternalKafkaBroker.resolveClasspath(version, java.time.Duration.ofMinutes(4));
        try (ExternalKafkaBroker broker = ExternalKafkaBroker.builder().version(version).classpath(classpath)
                .listener("SASL_PLAINTEXT", Map.of(
                        "sasl.enabled.mechanisms", "PLAIN",
                        "listener.name.client.plain.sasl.jaas.config",
                        "org.apache.kafka.common.security.plain.PlainLoginModule required "
                                + "user_alice=\"alice-secret\";"))
                .start();
                Socket s = new Socket("127.0.0.1", broker.port())) {
            s.setSoTimeout(20_000);
            // SaslHandshake v1: mechanism PLAIN
            s.getOutputStream().write(Wire.request(17, 1, 1, "kwire-sasl", false, string("PLAIN")));
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(Wire.readFrame(s)));
            assertThat(in.readInt()).isEqualTo(1);
            assertThat(in.readShort()).as("handshake error").isZero();
            assertThat(in.readInt()).as("mechanisms").isEqualTo(1);
            // SaslAuthenticate v0: PLAIN token authzid NUL authcid NUL password
            byte[] token = "\0alice\0alice-secret".getBytes(StandardCharsets.UTF_8);
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(body);
            out.writeInt(token.length);
            out.write(token);
            s.getOutputStream().write(Wire.request(36, 0, 2, "kwire-sasl", false, body.toByteArray()));
            in = new DataInputStream(new ByteArrayInputStream(Wire.readFrame(s)));
            assertThat(in.readInt()).isEqualTo(2);
            assertThat(in.readShort()).as("authenticate error").isZero();
            // authenticated: Metadata v4 for all topics works
            s.getOutputStream().write(Wire.request(3, 4, 3, "kwire-sasl", false, new byte[] {-1, -1, -1, -1, 0}));
            in = new DataInputStream(new ByteArrayInputStream(Wire.readFrame(s)));
            assertThat(in.readInt()).isEqualTo(3);
            in.readInt(); // throttle
            assertThat(in.readInt()).as("brokers").isEqualTo(1);
        }
    }

    private static byte[] string(String s) throws java.io.IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(b);
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        out.writeShort(bytes.length);
        out.write(bytes);
        return b.toByteArray();
    }
}
