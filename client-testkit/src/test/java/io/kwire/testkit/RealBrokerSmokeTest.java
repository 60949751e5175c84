package io.kwire.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * ApiVersions and Metadata, hand-encoded, against the shared real broker. Byte-level on purpose until the generated
 * codec lands.
 */
@ExtendWith(KafkaClusterExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RealBrokerSmokeTest {

    private static final int API_VERSIONS = 18;
    private static final int METADATA = 3;

    private static KafkaCluster kafka;
    private static String host;
    private static int port;

    @BeforeAll
    static void cluster(KafkaCluster cluster) {
        kafka = cluster;
        String first = cluster.bootstrapServers().split(",")[0];
        host = first.substring(0, first.lastIndexOf(':'));
        port = Integer.parseInt(first.substring(first.lastIndexOf(':') + 1));
    }

    @Test
    void sharedClusterIsTheSameInstanceAndSurvivesClose(KafkaCluster cluster) {
        assertThat(cluster).isSameAs(KafkaCluster.shared()).isSameAs(kafka);
        cluster.close(); // a no-op on the shared cluster
        assertThat(cluster.isRunning()).isTrue();
        assertThat(KafkaCluster.accepts(port)).isTrue();
    }

    @Test
    void apiVersionsEveryVersion() throws Exception {
        try (Socket s = connect()) {
            Map<Integer, int[]> v0 = apiVersions(s, 0, 1);
            int max = v0.get(API_VERSIONS)[1];
            assertThat(max).isBetween(3, 10);
            assertThat(v0).containsKeys(0, 1, 3, 18);
            for (int v = 1; v <= max; v++) {
                Map<Integer, int[]> apis = apiVersions(s, v, 100 + v);
                assertThat(apis).as("v%d", v).hasSameSizeAs(v0);
                assertThat(apis.get(METADATA)).as("v%d", v).isEqualTo(v0.get(METADATA));
            }
        }
    }

    @Test
    void apiVersionsUnknownVersionAnswersUnsupportedWithAV0Body() throws Exception {
        try (Socket s = connect()) {
            send(s, Wire.request(API_VERSIONS, 999, 5, "smoke", true, new byte[0]));
            DataInputStream in = frame(s);
            assertThat(in.readInt()).isEqualTo(5);
            assertThat(in.readShort()).as("UNSUPPORTED_VERSION").isEqualTo((short) 35);
            int count = in.readInt(); // v0 layout
            assertThat(count).isGreaterThan(0);
        }
    }

    @Test
    void metadataEveryAdvertisedVersion() throws Exception {
        kafka.createTopic("smoke", 2, 1);
        try (Socket s = connect()) {
            int[] range = apiVersions(s, 0, 1).get(METADATA);
            assertThat(range[0]).isLessThanOrEqualTo(4); // Kafka 4.x dropped v0-v3
            int correlationId = 1000;
            for (int v = range[0]; v <= range[1]; v++) {
                boolean flexible = v >= 9;
                send(s, Wire.request(METADATA, v, ++correlationId, "smoke", flexible, metadataAllTopics(v)));
                DataInputStream in = frame(s);
                assertThat(in.readInt()).isEqualTo(correlationId);
                if (flexible) {
                    assertThat(Wire.readUnsignedVarint(in)).as("response header tagged fields").isZero();
                }
                if (v >= 3) {
                    in.readInt(); // throttle
                }
                int brokers = flexible ? Wire.readUnsignedVarint(in) - 1 : in.readInt();
                assertThat(brokers).as("v%d brokers", v).isEqualTo(1);
                assertThat(in.readInt()).as("node id").isEqualTo(kafka.brokerIds().get(0));
                String brokerHost = flexible ? compactString(in) : string(in);
                assertThat(brokerHost).isEqualTo(host);
                assertThat(in.readInt()).as("v%d port", v).isEqualTo(port);
            }
        }
    }

    private static byte[] metadataAllTopics(int v) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(b);
        if (v >= 9) {
            out.writeByte(0); // compact nullable array: null = all topics
        } else if (v >= 1) {
            out.writeInt(-1); // nullable array: null = all topics
        } else {
            out.writeInt(0); // v0: empty = all topics
        }
        if (v >= 4) {
            out.writeBoolean(false); // allow_auto_topic_creation
        }
        if (v >= 8 && v <= 10) {
            out.writeBoolean(false); // include_cluster_authorized_operations
        }
        if (v >= 8) {
            out.writeBoolean(false); // include_topic_authorized_operations
        }
        if (v >= 9) {
            out.writeByte(0); // tagged fields
        }
        return b.toByteArray();
    }

    /** Sends ApiVersions at {@code version}; asserts error 0; returns api key to {min, max}. */
    private static Map<Integer, int[]> apiVersions(Socket s, int version, int correlationId) throws IOException {
        boolean flexible = version >= 3;
        byte[] body = new byte[0];
        if (flexible) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(b);
            writeCompactString(out, "kwire-smoke");
            writeCompactString(out, "0.1.0");
            out.writeByte(0);
            body = b.toByteArray();
        }
        send(s, Wire.request(API_VERSIONS, version, correlationId, "smoke", flexible, body));
        DataInputStream in = frame(s);
        assertThat(in.readInt()).isEqualTo(correlationId); // response header v0 at every version
        assertThat(in.readShort()).as("ApiVersions v%d error code", version).isZero();
        int count = flexible ? Wire.readUnsignedVarint(in) - 1 : in.readInt();
        assertThat(count).as("ApiVersions v%d api count", version).isGreaterThan(10);
        Map<Integer, int[]> apis = new HashMap<>();
        for (int i = 0; i < count; i++) {
            int key = in.readShort();
            int min = in.readShort();
            int max = in.readShort();
            if (flexible) {
                skipTaggedFields(in);
            }
            apis.put(key, new int[] {min, max});
        }
        if (version >= 1) {
            assertThat(in.readInt()).as("throttle").isZero();
        }
        return apis;
    }

    private static void skipTaggedFields(DataInputStream in) throws IOException {
        int n = Wire.readUnsignedVarint(in);
        for (int i = 0; i < n; i++) {
            Wire.readUnsignedVarint(in);
            in.skipNBytes(Wire.readUnsignedVarint(in));
        }
    }

    private static void writeCompactString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        Wire.writeUnsignedVarint(out, b.length + 1);
        out.write(b);
    }

    private static String compactString(DataInputStream in) throws IOException {
        int len = Wire.readUnsignedVarint(in) - 1;
        return new String(in.readNBytes(len), StandardCharsets.UTF_8);
    }

    private static String string(DataInputStream in) throws IOException {
        int len = in.readShort();
        return new String(in.readNBytes(len), StandardCharsets.UTF_8);
    }

    private static Socket connect() throws IOException {
        Socket s = new Socket(host, port);
        s.setSoTimeout(10_000);
        return s;
    }

    private static void send(Socket s, byte[] frame) throws IOException {
        s.getOutputStream().write(frame);
        s.getOutputStream().flush();
    }

    private static DataInputStream frame(Socket s) throws IOException {
        return new DataInputStream(new ByteArrayInputStream(Wire.readFrame(s)));
    }
}
