package io.kwire.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.kwire.KwireClient;
import io.kwire.client.KafkaClientConfig;
import io.kwire.client.RequestListener;
import io.kwire.errors.ClientClosedException;
import io.kwire.protocol.message.ApiVersionsRequest;
import io.kwire.protocol.message.MetadataRequest;
import io.kwire.testkit.KafkaCluster;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A request's own listener against a real broker: it hears the node, version and correlation id the request went out
 * with and then its end, both before the caller's callbacks run; a request refused before it was sent is heard of
 * only as ended, with the refusal.
 */
@Timeout(60)
class RequestListenerTest {

    /** Writes down what it hears, and the thread it heard it on. */
    static final class Recording implements RequestListener {
        final List<String> events = new CopyOnWriteArrayList<>();
        volatile Throwable error;

        @Override
        public void sentAs(int nodeId, short version, int correlationId) {
            events.add("sentAs node " + nodeId + " v" + version + " correlation " + correlationId);
        }

        @Override
        public void ended(Throwable error) {
            this.error = error;
            events.add("ended on " + Thread.currentThread().getName());
        }
    }

    @Test
    void hearsWhereEachRequestWentThenItsEndBeforeTheCallersCallbacks() throws Exception {
        KafkaCluster cluster = KafkaCluster.shared();
        try (KwireClient client = KwireClient.create(KafkaClientConfig.builder()
                .bootstrapServers(cluster.bootstrapServers()).clientId("listener-test").build())) {
            client.start();
            assertThat(client.awaitReady(Duration.ofSeconds(20))).isTrue();
            int node = cluster.brokerIds().get(0);

            Recording first = new Recording();
            CompletableFuture<?> a = client.send(node, new ApiVersionsRequest(), first);
            a.thenRun(() -> first.events.add("caller's callback"));
            a.get(10, TimeUnit.SECONDS);
            Recording second = new Recording();
            CompletableFuture<?> b = client.send(new MetadataRequest().setTopics(List.of()), second);
            b.thenRun(() -> second.events.add("caller's callback"));
            b.get(10, TimeUnit.SECONDS);
            Polling.awaitCondition(Duration.ofSeconds(5), "the callbacks ran",
                    () -> first.events.size() == 3 && second.events.size() == 3);

            assertThat(first.events.get(0)).matches("sentAs node " + node + " v[1-9]\\d* correlation \\d+");
            assertThat(first.events.get(1)).startsWith("ended on kwire-io-listener-test");
            assertThat(first.events.get(2)).isEqualTo("caller's callback");
            assertThat(first.error).isNull();
            assertThat(second.events.get(0)).startsWith("sentAs node " + node + " v");
            assertThat(correlationId(second.events.get(0))).as("each request has its own correlation id")
                .isNotEqualTo(correlationId(first.events.get(0)));
            assertThat(second.events).element(2).isEqualTo("caller's callback");
        }
    }

    private static String correlationId(String sentAs) {
        return sentAs.substring(sentAs.lastIndexOf(' ') + 1);
    }

    @Test
    void aRequestRefusedBeforeItWasSentIsHeardOfOnlyAsEnded() {
        KwireClient client = KwireClient.create(KafkaClientConfig.builder()
                .bootstrapServers(KafkaCluster.shared().bootstrapServers()).build());
        client.close();
        Recording refused = new Recording();

        CompletableFuture<?> f = client.send(new ApiVersionsRequest(), refused);

        assertThat(f).isCompletedExceptionally();
        assertThat(refused.events).singleElement().asString().startsWith("ended on ");
        assertThat(refused.error).isInstanceOf(ClientClosedException.class);
    }
}
