package io.kwire.bench.roundtrip;

import io.kwire.bench.Payloads;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.ApiVersions;
import org.apache.kafka.clients.ClientRequest;
import org.apache.kafka.clients.ClientResponse;
import org.apache.kafka.clients.ManualMetadataUpdater;
import org.apache.kafka.clients.MetadataRecoveryStrategy;
import org.apache.kafka.clients.NetworkClient;
import org.apache.kafka.clients.NetworkClientUtils;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.metrics.Metrics;
import java.util.HashMap;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.network.ChannelBuilder;
import org.apache.kafka.common.network.ConnectionMode;
import org.apache.kafka.common.network.PlaintextChannelBuilder;
import org.apache.kafka.common.network.SslChannelBuilder;
import org.apache.kafka.common.network.Selector;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.MetadataRequest;
import org.apache.kafka.common.requests.ProduceRequest;
import org.apache.kafka.common.requests.ProduceResponse;
import org.apache.kafka.common.utils.LogContext;
import org.apache.kafka.common.utils.Time;

/**
 * Apache kafka-clients 4.1.2 {@link NetworkClient} over its own {@link Selector} and a PLAINTEXT channel builder,
 * driven as the producer's Sender drives it: ready() before each send, then poll().
 */
public final class ApacheDriver extends Driver {

    private final Time time = Time.SYSTEM;
    private final TlsMaterial tls;
    private NetworkClient client;
    private Metrics metrics;
    private Node node;
    private AbstractRequest.Builder<?> builder;
    private boolean checkProduce;

    public ApacheDriver() {
        this(null);
    }

    /** With {@code tls}: an SSL channel builder, TLS 1.3 only, trusting its certificate. */
    public ApacheDriver(TlsMaterial tls) {
        this.tls = tls;
    }

    @Override
    public String name() {
        return "apache";
    }

    @Override
    public void connect(String host, int port) throws Exception {
        LogContext logContext = new LogContext("[bench] ");
        metrics = new Metrics();
        ChannelBuilder channelBuilder;
        if (tls == null) {
            channelBuilder = new PlaintextChannelBuilder(null);
            channelBuilder.configure(Map.of());
        } else {
            Map<String, Object> props = new HashMap<>();
            props.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, tls.trustStore().toString());
            props.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PKCS12");
            props.put(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, TlsMaterial.PASSWORD);
            props.put(SslConfigs.SSL_PROTOCOL_CONFIG, TlsMaterial.PROTOCOL);
            props.put(SslConfigs.SSL_ENABLED_PROTOCOLS_CONFIG, TlsMaterial.PROTOCOL);
            channelBuilder = new SslChannelBuilder(ConnectionMode.CLIENT, null, false, logContext);
            channelBuilder.configure(new AbstractConfig(new ConfigDef().withClientSslSupport(), props).values());
        }
        Selector selector = new Selector(3_600_000L, metrics, time, "bench", channelBuilder, logContext);
        node = new Node(0, host, port);
        client = new NetworkClient(selector, new ManualMetadataUpdater(List.of(node)), "bench", 32, 50L, 1000L,
                sendBufferBytes, -1, 30_000, 10_000L, 30_000L, time, true, new ApiVersions(), logContext,
                MetadataRecoveryStrategy.NONE);
        if (!NetworkClientUtils.awaitReady(client, node, time, 20_000)) {
            throw new IllegalStateException("apache: node not ready");
        }
    }

    @Override
    public void prepare(Scenario scenario) {
        checkProduce = false;
        switch (scenario) {
            case API_VERSIONS -> builder = new ApiVersionsRequest.Builder();
            case METADATA_1, METADATA_100 -> builder = new MetadataRequest.Builder(Payloads.metadataRequest(scenario.topics));
            case PRODUCE_1MB -> {
                ProduceRequestData.TopicProduceDataCollection topics = new ProduceRequestData.TopicProduceDataCollection();
                topics.add(new ProduceRequestData.TopicProduceData().setName(Scenario.PRODUCE_TOPIC)
                        .setTopicId(RoundTrips.produceTopicId())
                        .setPartitionData(List.of(new ProduceRequestData.PartitionProduceData().setIndex(0)
                                .setRecords(MemoryRecords.readableRecords(RoundTrips.produceBatch().duplicate())))));
                builder = ProduceRequest.builder(new ProduceRequestData().setAcks((short) 1).setTimeoutMs(30_000)
                        .setTopicData(topics));
                checkProduce = true;
            }
            default -> throw new IllegalArgumentException(scenario.toString());
        }
    }

    @Override
    protected long loop(int inFlight, long durationNanos) {
        String id = node.idString();
        long end = System.nanoTime() + durationNanos;
        int outstanding = 0;
        long done = 0;
        boolean stop = false;
        while (true) {
            long now = System.nanoTime();
            long nowMs = time.milliseconds();
            if (now - end >= 0) {
                stop = true;
            }
            while (!stop && outstanding < inFlight && client.ready(node, nowMs)) {
                ClientRequest r = client.newClientRequest(id, builder, nowMs, true);
                client.send(r, nowMs);
                sent();
                outstanding++;
            }
            if (stop && outstanding == 0) {
                return done;
            }
            List<ClientResponse> rs = client.poll(100, nowMs);
            long t = System.nanoTime();
            for (int i = 0; i < rs.size(); i++) {
                ClientResponse r = rs.get(i);
                if (r.wasDisconnected() || r.versionMismatch() != null || r.authenticationException() != null
                        || r.wasTimedOut()) {
                    throw new IllegalStateException("apache request failed: " + r);
                }
                if (checkProduce) {
                    checkProduce = false;
                    short code = ((ProduceResponse) r.responseBody()).data().responses().iterator().next()
                            .partitionResponses().get(0).errorCode();
                    if (code != 0) {
                        throw new IllegalStateException("apache produce failed with error code " + code);
                    }
                }
                received(t);
                outstanding--;
                done++;
            }
        }
    }

    @Override
    public void close() throws Exception {
        if (client != null) {
            client.close();
        }
        if (metrics != null) {
            metrics.close();
        }
    }
}
