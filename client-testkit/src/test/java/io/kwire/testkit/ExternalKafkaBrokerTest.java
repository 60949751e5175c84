package io.kwire.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.net.Socket;
import java.nio.file.Path;
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
}
