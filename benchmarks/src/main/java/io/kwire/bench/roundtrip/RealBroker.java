package io.kwire.bench.roundtrip;

import io.kwire.bench.Payloads;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
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

/** One real KRaft broker (combined mode) in this JVM, from Kafka's own test kit, with the benchmark topics. */
public final class RealBroker implements AutoCloseable {

    private final KafkaClusterTestKit cluster;
    private final String host;
    private final int port;
    private final Uuid produceTopicId;

    public RealBroker() throws Exception {
        cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder().setCombined(true).setNumBrokerNodes(1)
                .setNumControllerNodes(1).setBootstrapMetadataVersion(MetadataVersion.latestProduction()).build())
                .setConfigProp("unstable.api.versions.enable", "false")
                .setConfigProp("unstable.feature.versions.enable", "false")
                .setConfigProp("auto.create.topics.enable", "false")
                .setConfigProp("log.flush.interval.messages", Long.toString(Long.MAX_VALUE))
                .setConfigProp("log.segment.bytes", Integer.toString(256 << 20))
                .setConfigProp("log.retention.bytes", Long.toString(512L << 20))
                .setConfigProp("log.retention.check.interval.ms", "5000")
                .build();
        cluster.format();
        cluster.startup();
        cluster.waitForReadyBrokers();
        String bootstrap = cluster.bootstrapServers().split(",")[0];
        int colon = bootstrap.lastIndexOf(':');
        host = bootstrap.substring(0, colon);
        port = Integer.parseInt(bootstrap.substring(colon + 1));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()))) {
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
        probeProduce(cluster.bootstrapServers());
    }

    /** The partition may take a moment to get a leader after creation; a retrying producer waits that out. */
    private void probeProduce(String bootstrap) throws Exception {
        Properties p = new Properties();
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
