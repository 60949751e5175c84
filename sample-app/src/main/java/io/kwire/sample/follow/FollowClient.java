package io.kwire.sample.follow;

import io.kwire.KwireClient;
import io.kwire.client.ClientObserver;
import io.kwire.client.KafkaClientConfig;
import io.kwire.sample.api.KafkaCalls;
import io.kwire.spring.boot.autoconfigure.KwireClientLifecycle;
import java.time.Duration;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The live view's own kwire client: the app client's configuration under the client id {@code <id>-live-view}, so
 * the live view has connections of its own.
 *
 * <p>Why a second client: a broker answers one request per connection at a time, and a long-poll Fetch holds its
 * connection until a record arrives or the wait ends. On the app client's connection it would hold up the page's
 * Produce, which brings the very record the Fetch waits for. Its observer is {@link ClientObserver#NONE}: the
 * app's health and metrics describe the app client only.
 *
 * <p>Not a {@link KwireClient} bean (the starter would back off, and injection by type would become ambiguous).
 * Started and stopped in the kwire client's lifecycle phase: running before the web server takes requests,
 * closed after the last one.
 */
@Component
public class FollowClient implements SmartLifecycle, DisposableBean {

    private static final Duration CLOSE_GRACE = Duration.ofSeconds(2);

    private final KwireClient client;
    private final KafkaCalls calls;
    private volatile boolean running;

    public FollowClient(KwireClient appClient) {
        KafkaClientConfig config = appClient.config();
        this.client = KwireClient.create(config.toBuilder()
                .clientId(config.clientId() + "-live-view")
                .observer(ClientObserver.NONE)
                .build());
        this.calls = new KafkaCalls(client);
    }

    /** Requests through the live view's client, with the same fail-fast gate as the API's. */
    public KafkaCalls calls() {
        return calls;
    }

    @Override
    public void start() {
        client.start();
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        client.close(CLOSE_GRACE);
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return KwireClientLifecycle.DEFAULT_PHASE;
    }

    /** Closes a client that never started (the context failed before its lifecycle phase). */
    @Override
    public void destroy() {
        client.close(CLOSE_GRACE);
    }
}
