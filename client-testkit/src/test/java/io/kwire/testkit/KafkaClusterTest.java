package io.kwire.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class KafkaClusterTest {

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void singleNodeStartsCreatesTopicsAndLeavesNothingBehind() throws Exception {
        Set<Thread> before = Threads.kafkaThreads();
        KafkaCluster cluster = KafkaCluster.builder().build();
        long t0 = System.nanoTime();
        cluster.start();
        long started = System.nanoTime();
        int port;
        try {
            assertThat(cluster.brokerIds()).hasSize(1);
            String bootstrap = cluster.bootstrapServers();
            assertThat(bootstrap).matches("localhost:\\d+");
            port = Integer.parseInt(bootstrap.substring(bootstrap.indexOf(':') + 1));
            assertThat(KafkaCluster.accepts(port)).isTrue();
            assertThat(cluster.port(cluster.brokerIds().get(0))).isEqualTo(port);
            assertThat(cluster.dataDirectory()).exists();

            cluster.createTopic("orders", 3, 1);
            cluster.createTopic("orders", 3, 1); // existing: no error
            Map<String, TopicDescription> topics = cluster.admin().describeTopics(List.of("orders"))
                    .allTopicNames().get(10, TimeUnit.SECONDS);
            assertThat(topics.get("orders").partitions()).hasSize(3)
                    .allSatisfy(p -> assertThat(p.leader()).isNotNull());
        } finally {
            long t1 = System.nanoTime();
            var dir = cluster.dataDirectory();
            cluster.close();
            long closed = System.nanoTime();
            System.out.printf("single node: start %d ms, close %d ms%n", TimeUnit.NANOSECONDS.toMillis(started - t0),
                    TimeUnit.NANOSECONDS.toMillis(closed - t1));
            assertThat(dir).doesNotExist();
        }
        cluster.close(); // idempotent
        assertThat(KafkaCluster.accepts(port)).isFalse();
        assertThat(Threads.awaitNoNewKafkaThreads(before, Duration.ofSeconds(10)))
                .as("kafka threads left after close").isEmpty();
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void threeNodesStopAndRestartABroker() throws Exception {
        Set<Thread> before = Threads.kafkaThreads();
        long t0 = System.nanoTime();
        try (KafkaCluster cluster = KafkaCluster.builder().brokers(3).start()) {
            long started = System.nanoTime();
            System.out.printf("three nodes: start %d ms%n", TimeUnit.NANOSECONDS.toMillis(started - t0));
            assertThat(cluster.brokerIds()).hasSize(3);
            assertThat(cluster.bootstrapServers().split(",")).hasSize(3);
            cluster.createTopic("replicated", 3, 3);

            int victim = cluster.brokerIds().get(1);
            int port = cluster.port(victim);
            long s0 = System.nanoTime();
            cluster.stopBroker(victim);
            System.out.printf("three nodes: stop broker %d ms%n", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - s0));
            assertThat(KafkaCluster.accepts(port)).isFalse();
            assertThat(cluster.runningBrokerIds()).doesNotContain(victim).hasSize(2);
            assertThat(cluster.bootstrapServers().split(",")).hasSize(2).doesNotContain("localhost:" + port);
            cluster.createTopic("while-down", 2, 2);

            long r0 = System.nanoTime();
            cluster.restartBroker(victim);
            System.out.printf("three nodes: restart broker %d ms%n", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - r0));
            assertThat(cluster.port(victim)).as("port after restart").isEqualTo(port);
            assertThat(KafkaCluster.accepts(port)).isTrue();
            assertThat(cluster.bootstrapServers().split(",")).hasSize(3).contains("localhost:" + port);
            Set<Integer> nodes = cluster.admin().describeCluster().nodes().get(10, TimeUnit.SECONDS).stream()
                    .map(n -> n.id()).collect(Collectors.toSet());
            assertThat(nodes).containsExactlyInAnyOrderElementsOf(cluster.brokerIds());
            long c0 = System.nanoTime();
            cluster.close();
            System.out.printf("three nodes: close %d ms%n", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - c0));
        }
        assertThat(Threads.awaitNoNewKafkaThreads(before, Duration.ofSeconds(10)))
                .as("kafka threads left after close").isEmpty();
    }

    @Test
    void refusesListenersTheTestKitCannotRun() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> KafkaCluster.builder()
                .listener(org.apache.kafka.common.security.auth.SecurityProtocol.SSL, Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("extraListener")
                .hasMessageContaining("ExternalKafkaBroker");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> KafkaCluster.builder().extraListener(
                        KafkaCluster.CLIENT_LISTENER, org.apache.kafka.common.security.auth.SecurityProtocol.SSL,
                        Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("choose another");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> KafkaCluster.builder().build().bootstrapServers())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("not started");
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void saslPlaintextListener() throws Exception {
        try (KafkaCluster cluster = KafkaCluster.builder()
                .listener(org.apache.kafka.common.security.auth.SecurityProtocol.SASL_PLAINTEXT, Map.of())
                .start()) {
            cluster.createTopic("secured", 1, 1); // through the kit's admin user
            assertThat(cluster.clientProperties().getProperty("security.protocol")).isEqualTo("SASL_PLAINTEXT");
            String bootstrap = cluster.bootstrapServers();
            int port = Integer.parseInt(bootstrap.substring(bootstrap.lastIndexOf(':') + 1));
            try (java.net.Socket s = new java.net.Socket("localhost", port)) {
                s.setSoTimeout(10_000);
                // SaslHandshake v1 "PLAIN" is answered before authentication
                s.getOutputStream().write(Wire.request(17, 1, 1, "kwire", false,
                        new byte[] {0, 5, 'P', 'L', 'A', 'I', 'N'}));
                java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(Wire.readFrame(s));
                assertThat(b.getInt()).isEqualTo(1);
                assertThat(b.getShort()).isZero();
            }
        }
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void anSslListenerBesideTheKitsOwnAnswersWithHostnameVerificationAndKeepsItsPortAcrossARestart()
            throws Exception {
        Path dir = Files.createTempDirectory("kwire-testkit-tls");
        String password = "testkit-store-pw-" + System.nanoTime();
        TestPki pki = new TestPki("kwire-testkit-ca");
        Path keyStore = pki.issue("localhost", "localhost").writePkcs12(dir.resolve("broker.p12"), password);
        Path trustStore = pki.writeTruststore(dir.resolve("trust.p12"), password);
        // two brokers: node 0 is also the controller (combined), node 1 a broker only
        try (KafkaCluster cluster = KafkaCluster.builder().brokers(2)
                .extraListener("TLS", SecurityProtocol.SSL, Map.of("ssl.keystore.type", "PKCS12",
                        "ssl.keystore.location", keyStore.toString(), "ssl.keystore.password", password,
                        "ssl.key.password", password))
                .start()) {
            String tls = cluster.bootstrapServers("TLS");
            assertThat(tls.split(",")).hasSize(2).doesNotContainAnyElementsOf(
                    List.of(cluster.bootstrapServers().split(",")));
            Properties ssl = new Properties();
            ssl.put(AdminClientConfig.SECURITY_PROTOCOL_CONFIG, "SSL");
            ssl.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PKCS12");
            ssl.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, trustStore.toString());
            ssl.put(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, password);
            ssl.put(SslConfigs.SSL_ENDPOINT_IDENTIFICATION_ALGORITHM_CONFIG, "https"); // kafka-clients' default
            assertThat(sslNodes(tls, ssl)).as("brokers as seen over TLS").isEqualTo(Set.of(tls.split(",")));

            int broker = cluster.brokerIds().get(1);
            cluster.stopBroker(broker);
            assertThat(cluster.bootstrapServers("TLS").split(",")).hasSize(1);
            cluster.restartBroker(broker);
            assertThat(cluster.bootstrapServers("TLS")).as("TLS ports after a restart").isEqualTo(tls);
            assertThat(sslNodes(tls, ssl)).isEqualTo(Set.of(tls.split(",")));
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> cluster.bootstrapServers("OTHER"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[TLS]");
        } finally {
            Files2.deleteRecursively(dir);
        }
    }

    /** The brokers' addresses in the metadata an Admin gets over the given listener. */
    private static Set<String> sslNodes(String bootstrap, Properties ssl) throws Exception {
        Properties p = new Properties();
        p.putAll(ssl);
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(p)) {
            AtomicReference<Set<String>> seen = new AtomicReference<>(Set.of());
            // A restarted broker joins the metadata shortly after it listens.
            Awaitility.await("every broker in the metadata over " + bootstrap).atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(50)).until(() -> {
                        seen.set(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).stream()
                                .map(n -> n.host() + ":" + n.port()).collect(Collectors.toSet()));
                        return seen.get().size() == bootstrap.split(",").length;
                    });
            return seen.get();
        }
    }
}
