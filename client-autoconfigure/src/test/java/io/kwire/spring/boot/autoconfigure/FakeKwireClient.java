package io.kwire.spring.boot.autoconfigure;

import io.kwire.KwireClient;
import io.kwire.client.ClientStatus;
import io.kwire.client.ClusterMetadata;
import io.kwire.client.ConnectionState;
import io.kwire.client.KafkaClientConfig;
import io.kwire.protocol.ApiRequest;
import io.kwire.protocol.ApiResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link KwireClient} that does no I/O: reports the {@link ClientStatus} a test chose and records lifecycle
 * calls. Lets the Spring tests run without the network implementation.
 */
public class FakeKwireClient implements KwireClient {

    private final KafkaClientConfig config;
    private volatile ClientStatus status;
    private volatile boolean running;
    private volatile int inFlight;
    final List<String> calls = new ArrayList<>();

    public FakeKwireClient(KafkaClientConfig config) {
        this.config = config;
        this.status = ClientStatus.builder().running(true).build();
    }

    public FakeKwireClient() {
        this(KafkaClientConfig.builder().clientId("fake").build());
    }

    public void status(ClientStatus status) {
        this.status = status;
    }

    public void inFlight(int count) {
        this.inFlight = count;
    }

    public List<String> calls() {
        return calls;
    }

    @Override
    public synchronized void start() {
        calls.add("start");
        running = true;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public KafkaClientConfig config() {
        return config;
    }

    @Override
    public <R extends ApiResponse> CompletableFuture<R> send(ApiRequest<R> request) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException("fake"));
    }

    @Override
    public <R extends ApiResponse> CompletableFuture<R> send(int nodeId, ApiRequest<R> request) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException("fake"));
    }

    @Override
    public ClusterMetadata cluster() {
        return ClusterMetadata.empty();
    }

    @Override
    public CompletableFuture<ClusterMetadata> addTopic(String topic) {
        return CompletableFuture.completedFuture(ClusterMetadata.empty());
    }

    @Override
    public boolean awaitReady(Duration timeout) {
        return running;
    }

    @Override
    public ClientStatus status() {
        ClientStatus s = status;
        return s.toBuilder().running(running && s.running()).build();
    }

    @Override
    public java.util.Map<Integer, ConnectionState> connectionStates() {
        return java.util.Map.of();
    }

    @Override
    public int inFlightRequestCount() {
        return inFlight;
    }

    @Override
    public synchronized void close() {
        close(config.requestTimeout());
    }

    @Override
    public synchronized void close(Duration gracePeriod) {
        calls.add("close " + gracePeriod);
        running = false;
    }

    /** A status of a running client with the given parts; the rest healthy-looking. */
    public static ClientStatus runningStatus(int ready, Instant lastMetadata, boolean fresh, String error,
                                             Instant errorTime) {
        return ClientStatus.builder().running(true).clusterId("cluster-1").controllerId(1).brokerCount(3)
                .readyNodeCount(ready).lastMetadataUpdate(lastMetadata).metadataFresh(fresh)
                .lastError(error, errorTime).build();
    }
}
