package io.kwire.bench.roundtrip;

import io.kwire.KafkaClient;
import io.kwire.bench.Payloads;
import io.kwire.client.ClientResponse;
import io.kwire.client.ClusterMetadata;
import io.kwire.client.KafkaClientConfig;
import io.kwire.client.Node;
import io.kwire.client.SecurityProtocol;
import io.kwire.client.TlsEngine;
import io.kwire.protocol.ApiRequest;
import io.kwire.protocol.Uuid;
import io.kwire.protocol.message.ApiVersionsRequest;
import io.kwire.protocol.message.MetadataRequest;
import io.kwire.protocol.message.ProduceRequest;
import io.kwire.protocol.message.ProduceResponse;
import io.kwire.protocol.records.RecordBatchBuilder;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** kwire's single-threaded {@link KafkaClient}: send() then poll(), the way its own I/O thread drives it. */
public final class KwireDriver extends Driver {

    private static final Duration POLL = Duration.ofMillis(100);

    private final String name;
    private final Duration pollSpin;
    private final TlsMaterial tls;
    private final TlsEngine engine;
    /** Produce a batch built in direct memory ({@code RecordBatchBuilder.buildInto}) rather than on the heap. */
    private boolean directBatch;
    private KafkaClient client;
    private int node;
    private ApiRequest<?> request;
    private boolean checkProduce;

    /** kwire with its default configuration. */
    public KwireDriver() {
        this("kwire", KafkaClientConfig.DEFAULT_POLL_SPIN);
    }

    /** kwire under another name with another {@code pollSpin}: "kwire-nospin" (0) is the client before the spin. */
    public KwireDriver(String name, Duration pollSpin) {
        this(name, pollSpin, null);
    }

    /** As {@link #KwireDriver(String, Duration)}; with {@code tls}, over TLS 1.3 trusting its certificate. */
    public KwireDriver(String name, Duration pollSpin, TlsMaterial tls) {
        this(name, pollSpin, tls, TlsEngine.JDK);
    }

    /** As {@link #KwireDriver(String, Duration, TlsMaterial)}, with the given TLS engine. */
    public KwireDriver(String name, Duration pollSpin, TlsMaterial tls, TlsEngine engine) {
        this.name = name;
        this.pollSpin = pollSpin;
        this.tls = tls;
        this.engine = engine;
    }

    /**
     * "kwire-direct" (plain TCP, or TLS with the JDK's engine), "kwire-openssl-direct" (with OpenSSL's): kwire whose
     * Produce carries the same batch built by kwire's {@code RecordBatchBuilder.buildInto} into direct memory, as a
     * producer on kwire that pools direct buffers would send it.
     */
    public static KwireDriver directBatch(TlsMaterial tls, TlsEngine engine) {
        KwireDriver d = new KwireDriver(engine == TlsEngine.OPENSSL ? "kwire-openssl-direct" : "kwire-direct",
                KafkaClientConfig.DEFAULT_POLL_SPIN, tls, engine);
        d.directBatch = true;
        return d;
    }

    /** "kwire-openssl": kwire with its defaults over TLS, encrypting with OpenSSL (BoringSSL) instead of the JDK. */
    public static KwireDriver openSsl(TlsMaterial tls) {
        return new KwireDriver("kwire-openssl", KafkaClientConfig.DEFAULT_POLL_SPIN, tls, TlsEngine.OPENSSL);
    }

    /** The Produce scenario's batch in direct memory, built once, as a producer that pools its buffers keeps it. */
    private static final class DirectBatch {
        static final ByteBuffer BATCH = build();

        /**
         * The batch built by kwire into direct memory: the records of {@link Payloads#recordBatch}, byte for byte
         * the same batch (checked), so that only where it lies differs.
         */
        private static ByteBuffer build() {
            RecordBatchBuilder b = new RecordBatchBuilder();
            byte[] value = Payloads.value(Scenario.PRODUCE_VALUE_SIZE);
            for (int i = 0; i < Scenario.PRODUCE_RECORDS; i++) {
                b.append(Payloads.TIMESTAMP + i, null, value);
            }
            ByteBuffer batch = b.buildInto(ByteBuffer.allocateDirect(b.estimatedSizeInBytes()));
            if (!batch.equals(RoundTrips.produceBatch())) {
                throw new IllegalStateException("kwire's direct batch differs from the scenario's batch");
            }
            return batch;
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void connect(String host, int port) throws Exception {
        KafkaClientConfig.Builder b = KafkaClientConfig.builder().bootstrapServers(host + ":" + port).clientId("bench")
                .maxInFlightRequestsPerConnection(32).requestTimeout(Duration.ofSeconds(30))
                .metadataMaxAge(Duration.ofHours(1)).connectionsMaxIdle(Duration.ofHours(1)).pollSpin(pollSpin)
                .sendBufferBytes(sendBufferBytes);
        if (tls != null) {
            b.securityProtocol(SecurityProtocol.SSL).sslTruststoreLocation(tls.trustStore()).sslTruststoreType("PKCS12")
                    .sslTruststorePassword(TlsMaterial.PASSWORD).sslEnabledProtocols(TlsMaterial.PROTOCOL)
                    .sslEngine(engine);
        }
        client = new KafkaClient(b.build());
        CompletableFuture<ClusterMetadata> f = client.requestMetadataUpdate();
        client.poll(Duration.ofSeconds(20), f);
        node = Integer.MIN_VALUE;
        for (Node n : f.get().brokers()) {
            if (n.port() == port) {
                node = n.id();
            }
        }
        if (node == Integer.MIN_VALUE) {
            throw new IllegalStateException("no broker on port " + port + " in " + f.get().brokers());
        }
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!client.ready(node, false)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("kwire: node " + node + " not ready");
            }
            client.poll(Duration.ofMillis(20));
        }
    }

    @Override
    public void prepare(Scenario scenario) {
        checkProduce = false;
        switch (scenario) {
            case API_VERSIONS -> request = new ApiVersionsRequest().setClientSoftwareName("apache-kafka-java")
                    .setClientSoftwareVersion(org.apache.kafka.common.utils.AppInfoParser.getVersion());
            case METADATA_1, METADATA_100 -> {
                List<MetadataRequest.MetadataRequestTopic> topics = new ArrayList<>();
                for (int i = 0; i < scenario.topics; i++) {
                    topics.add(new MetadataRequest.MetadataRequestTopic().setName(Payloads.topic(i)));
                }
                request = new MetadataRequest().setTopics(topics).setAllowAutoTopicCreation(false);
            }
            case PRODUCE_1MB -> {
                org.apache.kafka.common.Uuid id = RoundTrips.produceTopicId();
                request = new ProduceRequest().setAcks((short) 1).setTimeoutMs(30_000).setTopicData(List.of(
                        new ProduceRequest.TopicProduceData().setName(Scenario.PRODUCE_TOPIC)
                                .setTopicId(new Uuid(id.getMostSignificantBits(), id.getLeastSignificantBits()))
                                .setPartitionData(List.of(new ProduceRequest.PartitionProduceData().setIndex(0)
                                        .setRecords(directBatch ? DirectBatch.BATCH.duplicate()
                                                : RoundTrips.produceBatch().duplicate())))));
                checkProduce = true;
            }
            default -> throw new IllegalArgumentException(scenario.toString());
        }
    }

    @Override
    protected long loop(int inFlight, long durationNanos) {
        long end = System.nanoTime() + durationNanos;
        int outstanding = 0;
        long done = 0;
        boolean stop = false;
        while (true) {
            long now = System.nanoTime();
            if (now - end >= 0) {
                stop = true;
            }
            while (!stop && outstanding < inFlight) {
                CompletableFuture<?> f = client.send(node, request);
                if (f.isCompletedExceptionally()) {
                    f.join();
                }
                sent();
                outstanding++;
            }
            if (stop && outstanding == 0) {
                return done;
            }
            List<ClientResponse> rs = client.poll(POLL);
            long t = System.nanoTime();
            for (int i = 0; i < rs.size(); i++) {
                ClientResponse r = rs.get(i);
                if (!r.succeeded()) {
                    throw new IllegalStateException("kwire request failed", r.error());
                }
                if (checkProduce) {
                    checkProduce = false;
                    short code = ((ProduceResponse) r.response()).responses().get(0).partitionResponses().get(0)
                            .errorCode();
                    if (code != 0) {
                        throw new IllegalStateException("kwire produce failed with error code " + code);
                    }
                }
                received(t);
                outstanding--;
                done++;
            }
        }
    }

    @Override
    public void close() {
        if (client != null) {
            client.close();
        }
    }
}
