package io.kwire.bench.roundtrip;

import io.kwire.bench.Payloads;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import io.kwire.testkit.ExternalKafkaBroker;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * One real KRaft broker (combined mode) with the benchmark topics: in this JVM, from Kafka's own test kit, or
 * ({@link #external}) as a process of its own, the test kit's {@link ExternalKafkaBroker}, so that it shares
 * neither the client's JVM nor its garbage collector.
 */
public final class RealBroker implements AutoCloseable {

    private final AutoCloseable cluster;
    private final String host;
    private final int port;
    private final Uuid produceTopicId;

    public RealBroker() throws Exception {
        this(inJvm());
    }

    /**
     * A broker of Kafka {@code version} in a JVM of its own, with the in-JVM broker's settings; with {@code tls}, its
     * client listener is SSL (TLS 1.3 only) with that key; with {@code cpus}, every thread of it pinned to those CPUs
     * ({@code taskset} list).
     */
    public static RealBroker external(String version, TlsMaterial tls, String cpus) throws Exception {
        ExternalKafkaBroker.Builder b = ExternalKafkaBroker.builder().version(version).heap("1g");
        BROKER_JVM.forEach(b::jvmOption);
        SETTINGS.forEach(b::brokerProperty);
        Map<String, Object> clientProps = new HashMap<>();
        if (tls != null) {
            String prefix = "listener.name.client.";
            b.listener("SSL", Map.of(prefix + "ssl.keystore.location", tls.keyStore().toString(),
                    prefix + "ssl.keystore.type", "PKCS12", prefix + "ssl.keystore.password", TlsMaterial.PASSWORD,
                    prefix + "ssl.key.password", TlsMaterial.PASSWORD,
                    prefix + "ssl.enabled.protocols", TlsMaterial.PROTOCOL, prefix + "ssl.protocol", TlsMaterial.PROTOCOL));
            clientProps.putAll(Map.of("security.protocol", "SSL", "ssl.truststore.location", tls.trustStore().toString(),
                    "ssl.truststore.type", "PKCS12", "ssl.truststore.password", TlsMaterial.PASSWORD,
                    "ssl.enabled.protocols", TlsMaterial.PROTOCOL, "ssl.protocol", TlsMaterial.PROTOCOL));
        }
        Path shm = Path.of("/dev/shm");
        if (Files.isDirectory(shm) && Files.isWritable(shm)) {
            // In memory: on disk, the kernel's writeback of the Produce runs' log came in bursts on the same two CPUs.
            // Retention runs every 5 s and segments go a second after it drops them, so at 600-900 MB/s the log may
            // hold a few gigabytes of memory for a moment.
            b.directoryIn(shm).brokerProperty("log.segment.delete.delay.ms", "1000");
        }
        ExternalKafkaBroker broker = b.start();
        try {
            if (cpus != null) {
                // Every thread so far; the threads it starts later inherit the pinning of the threads that start them.
                Process p = new ProcessBuilder("taskset", "-a", "-p", "-c", cpus, Long.toString(broker.pid()))
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (p.waitFor() != 0) {
                    throw new IOException("taskset could not pin the broker process to CPUs " + cpus);
                }
            }
            return new RealBroker(new Started(broker, broker.bootstrapServers(), clientProps));
        } catch (Exception | Error e) {
            broker.close();
            throw e;
        }
    }

    /**
     * The broker JVM as Kafka's documentation recommends running one (G1 with a 20 ms pause goal, occupancy 35%,
     * 16 MB regions, so that a 1 MB request is no humongous object; a fixed heap), with the JIT's optimising
     * compiler. They come after the test kit's own options, which suit starting many short-lived brokers fast (C1
     * only, the serial collector, a 64 MB initial heap): those capped the broker at about 10,000 small requests per
     * second and, collecting in the serial collector's pauses, made a Produce run now and then two to three times
     * slower than the one before it, whichever client it was (runs 18-28).
     */
    static final List<String> BROKER_JVM = List.of("-Xms1g", "-XX:TieredStopAtLevel=4", "-XX:-UseSerialGC",
            "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=20", "-XX:InitiatingHeapOccupancyPercent=35",
            "-XX:G1HeapRegionSize=16M");

    /**
     * Kafka hands the connections it accepts on a listener to that listener's network threads in turn (3 per listener
     * by default; this is per listener too, so the broker runs 16 for each of its three). A run opens about ten:
     * the set-up's admin client and producer, then each client's (kwire two, its bootstrap connection and the
     * broker's own; Apache's {@code NetworkClient} here one). With 3 threads, kwire's and kwire-nospin's kept
     * connections shared one thread and Apache's had one of its own, and the runs of a client whose connection
     * shares a thread with another client's settle apart from the broker's threads far more often (docs/benchmarks.md,
     * R). With more threads than connections, every client's connection has a thread of its own.
     */
    static final int NETWORK_THREADS = 16;

    private static final Map<String, String> SETTINGS = Map.of(
            "num.network.threads", Integer.toString(NETWORK_THREADS),
            "auto.create.topics.enable", "false",
            "log.flush.interval.messages", Long.toString(Long.MAX_VALUE),
            "log.segment.bytes", Integer.toString(256 << 20),
            "log.retention.bytes", Long.toString(512L << 20),
            "log.retention.check.interval.ms", "5000");

    private record Started(AutoCloseable broker, String bootstrapServers, Map<String, Object> clientProps) {
    }

    private static Started inJvm() throws Exception {
        KafkaClusterTestKit.Builder b = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder().setCombined(true).setNumBrokerNodes(1)
                .setNumControllerNodes(1).setBootstrapMetadataVersion(MetadataVersion.latestProduction()).build())
                .setConfigProp("unstable.api.versions.enable", "false")
                .setConfigProp("unstable.feature.versions.enable", "false");
        SETTINGS.forEach(b::setConfigProp);
        KafkaClusterTestKit cluster = b.build();
        try {
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
        } catch (Exception e) {
            cluster.close();
            throw e;
        }
        return new Started(cluster, cluster.bootstrapServers(), Map.of());
    }

    private RealBroker(Started started) throws Exception {
        cluster = started.broker();
        String servers = started.bootstrapServers();
        String bootstrap = servers.split(",")[0];
        int colon = bootstrap.lastIndexOf(':');
        host = bootstrap.substring(0, colon);
        port = Integer.parseInt(bootstrap.substring(colon + 1));
        Map<String, Object> adminProps = new HashMap<>(started.clientProps());
        adminProps.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        try (Admin admin = Admin.create(adminProps)) {
            List<NewTopic> topics = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                topics.add(new NewTopic(Payloads.topic(i), Payloads.PARTITIONS_PER_TOPIC, (short) 1));
            }
            topics.add(new NewTopic(Scenario.PRODUCE_TOPIC, 1, (short) 1)
                    .configs(Map.of("retention.bytes", Long.toString(256L << 20), "segment.bytes",
                            Integer.toString(64 << 20))));
            admin.createTopics(topics).all().get();
            produceTopicId = admin.describeTopics(List.of(Scenario.PRODUCE_TOPIC)).allTopicNames().get()
                    .get(Scenario.PRODUCE_TOPIC).topicId();
            // Wait until the broker knows every partition's leader.
            long deadline = System.currentTimeMillis() + 60_000;
            while (true) {
                List<String> names = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    names.add(Payloads.topic(i));
                }
                names.add(Scenario.PRODUCE_TOPIC);
                boolean ok = admin.describeTopics(names).allTopicNames().get().values().stream()
                        .allMatch(d -> d.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty()));
                if (ok || System.currentTimeMillis() > deadline) {
                    break;
                }
                Thread.sleep(200);
            }
        }
        probeProduce(servers, started.clientProps());
    }

    /** The partition may take a moment to get a leader after creation; a retrying producer waits that out. */
    private void probeProduce(String bootstrap, Map<String, Object> clientProps) throws Exception {
        Properties p = new Properties();
        p.putAll(clientProps);
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Scenario.PRODUCE_TOPIC, new byte[1])).get();
        }
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public Uuid produceTopicId() {
        return produceTopicId;
    }

    @Override
    public void close() throws Exception {
        cluster.close();
    }
}
