package io.kwire.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kwire.KwireClient;
import io.kwire.client.ClientStatus;
import io.kwire.client.KafkaClientConfig;
import io.kwire.errors.ClientClosedException;
import io.kwire.errors.KwireTimeoutException;
import io.kwire.errors.NoBrokersAvailableException;
import io.kwire.protocol.message.ApiVersionsRequest;
import io.kwire.protocol.message.ApiVersionsResponse;
import io.kwire.protocol.message.MetadataRequest;
import io.kwire.protocol.message.MetadataResponse;
import io.kwire.testkit.KafkaCluster;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The thread-safe face against a real broker: many threads, exactly-once completion, clean close. */
class KwireClientTest {

    private static KafkaCluster cluster;

    @BeforeAll
    static void startBroker() {
        cluster = KafkaCluster.shared();
    }

    private static KwireClient start(KafkaClientConfig.Builder builder) {
        KwireClient client = KwireClient.create(builder.build());
        client.start();
        return client;
    }

    @Test
    void awaitReadyThenStatusDescribesTheCluster() throws Exception {
        try (KwireClient client = start(KafkaClientConfig.builder().bootstrapServers(cluster.bootstrapServers()))) {
            // Running as soon as start() returns, not only after the I/O thread's first snapshot (health relies on it).
            assertThat(client.status().running()).isTrue();
            assertThat(client.awaitReady(Duration.ofSeconds(20))).isTrue();
            ClientStatus status = client.status();
            assertThat(status.running()).isTrue();
            assertThat(status.clusterId()).isPresent();
            assertThat(status.brokerCount()).isEqualTo(1);
            assertThat(status.readyNodeCount()).isEqualTo(1);
            assertThat(status.metadataFresh()).isTrue();
            assertThat(client.cluster().brokers()).hasSize(1);
        }
        assertThat(Polling.kwireThreads()).isZero();
    }

    @Test
    void manyThreadsSendConcurrentlyAndEveryFutureCompletesExactlyOnce() throws Exception {
        try (KwireClient client = start(KafkaClientConfig.builder().bootstrapServers(cluster.bootstrapServers()))) {
            int threads = 8;
            int perThread = 200;
            AtomicInteger completions = new AtomicInteger();
            AtomicInteger failures = new AtomicInteger();
            List<CompletableFuture<?>> all = java.util.Collections.synchronizedList(new ArrayList<>());
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> senders = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Thread sender = new Thread(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (int i = 0; i < perThread; i++) {
                        CompletableFuture<ApiVersionsResponse> f = client.send(new ApiVersionsRequest());
                        all.add(f.handle((r, e) -> {
                            completions.incrementAndGet();
                            if (e != null || r.errorCode() != 0) {
                                failures.incrementAndGet();
                            }
                            return null;
                        }));
                    }
                });
                senders.add(sender);
                sender.start();
            }
            go.countDown();
            for (Thread s : senders) {
                s.join();
            }
            CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0])).get(60, TimeUnit.SECONDS);
            assertThat(completions).hasValue(threads * perThread);
            assertThat(failures).hasValue(0);
            // Bounded generously: the count is published by the I/O thread, which a loaded machine may starve.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (client.inFlightRequestCount() != 0 && System.nanoTime() < deadline) {
                Thread.sleep(5); // the count is a snapshot the I/O thread refreshes every few milliseconds
            }
            assertThat(client.inFlightRequestCount()).as(() -> "connections " + client.connectionStates()
                    + ", status " + client.status()).isZero();
        }
        assertThat(Polling.kwireThreads()).isZero();
    }

    @Test
    void sendToASpecificNodeWaitsForItsConnection() throws Exception {
        try (KwireClient client = start(KafkaClientConfig.builder().bootstrapServers(cluster.bootstrapServers()))) {
            int broker = cluster.brokerIds().get(0);
            MetadataResponse r = client.send(broker, new MetadataRequest().setTopics(null)).get(20, TimeUnit.SECONDS);
            assertThat(r.brokers()).extracting(b -> b.nodeId()).containsExactly(broker);
        }
    }

    @Test
    void closeWithRequestsInFlightCompletesOrFailsEveryOne() throws Exception {
        KwireClient client = start(KafkaClientConfig.builder().bootstrapServers(cluster.bootstrapServers()));
        assertThat(client.awaitReady(Duration.ofSeconds(20))).isTrue();
        List<CompletableFuture<?>> futures = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            futures.add(client.send(new MetadataRequest().setTopics(List.of())));
        }
        client.close(Duration.ofSeconds(10));
        for (CompletableFuture<?> f : futures) {
            assertThat(f).isDone();
            if (f.isCompletedExceptionally()) {
                assertThatThrownBy(f::get).isInstanceOf(ExecutionException.class)
                        .cause().isInstanceOf(ClientClosedException.class);
            }
        }
        assertThat(client.send(new ApiVersionsRequest())).failsWithin(Duration.ofSeconds(1))
                .withThrowableOfType(ExecutionException.class).withCauseInstanceOf(ClientClosedException.class);
        assertThat(client.isRunning()).isFalse();
        assertThat(Polling.kwireThreads()).isZero();
    }

    @Test
    void unreachableClusterFailsRequestsAfterTheRequestTimeoutWithEachCause() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        try (KwireClient client = start(KafkaClientConfig.builder().bootstrapServers("127.0.0.1:" + closedPort)
                .requestTimeout(Duration.ofMillis(800)).reconnectBackoff(Duration.ofMillis(20))
                .reconnectBackoffMax(Duration.ofMillis(100)))) {
            CompletableFuture<?> f = client.send(new ApiVersionsRequest());
            assertThat(f).failsWithin(Duration.ofSeconds(10)).withThrowableOfType(ExecutionException.class)
                    .satisfies(e -> assertThat(e.getCause())
                            .isInstanceOfAny(NoBrokersAvailableException.class, KwireTimeoutException.class)
                            .hasMessageContaining("connection refused"));
            // The status is a snapshot the I/O thread publishes every 20 ms at most: it may trail the future.
            Polling.awaitCondition(Duration.ofSeconds(5), "the status names the refusal",
                    () -> client.status().lastError().isPresent());
            assertThat(client.status().lastError()).hasValueSatisfying(e -> assertThat(e).contains("refused"));
        }
    }

    @Test
    void aClientClosedBeforeStartFailsSendsAndCannotStart() {
        KwireClient client = KwireClient.create(KafkaClientConfig.builder().bootstrapServers(cluster.bootstrapServers()).build());
        client.close();
        assertThat(client.send(new ApiVersionsRequest())).isCompletedExceptionally();
        assertThatThrownBy(client::start).isInstanceOf(ClientClosedException.class);
    }
}
