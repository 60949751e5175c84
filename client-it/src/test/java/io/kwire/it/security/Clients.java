package io.kwire.it.security;

import io.kwire.KafkaClient;
import io.kwire.client.ClientObserver;
import io.kwire.client.ClusterMetadata;
import io.kwire.client.KafkaClientConfig;
import io.kwire.client.Node;
import io.kwire.errors.KwireException;
import io.kwire.security.SaslMechanismRegistry;
import io.kwire.security.SecurityFactories;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link KafkaClient} wired with the security factories, plus what its observer saw. */
final class Clients implements AutoCloseable {

    final KafkaClient client;
    final List<KwireException> authFailures = new CopyOnWriteArrayList<>();
    final List<KwireException> connectFailures = new CopyOnWriteArrayList<>();
    final List<String> closed = new CopyOnWriteArrayList<>();

    Clients(KafkaClientConfig.Builder builder) {
        this(builder, null);
    }

    /** With user-registered SASL mechanisms ({@code null}: the built-in ones). */
    Clients(KafkaClientConfig.Builder builder, SaslMechanismRegistry mechanisms) {
        KafkaClientConfig config = builder.observer(new ClientObserver() {
            @Override
            public void authenticationFailed(Node node, KwireException cause) {
                authFailures.add(cause);
            }

            @Override
            public void connectionFailed(Node node, KwireException cause) {
                connectFailures.add(cause);
            }

            @Override
            public void connectionClosed(Node node, String reason) {
                closed.add(reason);
            }
        }).build();
        client = mechanisms == null
                ? new KafkaClient(config) // picks TLS and SASL from the config, as KwireClient.create does
                : new KafkaClient(config, SecurityFactories.transportFactory(config),
                        SecurityFactories.authenticatorFactory(config, mechanisms));
    }

    /** Fetches cluster metadata through the secured connection. */
    ClusterMetadata metadata() {
        CompletableFuture<ClusterMetadata> f = client.requestMetadataUpdate();
        client.poll(Duration.ofSeconds(20), f);
        if (!f.isDone()) {
            throw new AssertionError("no metadata within 20 s; auth failures " + authFailures + ", connect failures "
                    + connectFailures);
        }
        return f.join();
    }

    /** Polls until metadata arrives through an authenticated connection (true) or authentication fails (false). */
    boolean authenticates() {
        CompletableFuture<ClusterMetadata> f = client.requestMetadataUpdate();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!f.isDone() && authFailures.isEmpty() && System.nanoTime() < deadline) {
            client.poll(Duration.ofMillis(100));
        }
        if (!authFailures.isEmpty()) {
            return false;
        }
        if (!f.isDone()) {
            throw new AssertionError("neither metadata nor an authentication failure within 20 s; connect failures "
                    + connectFailures);
        }
        f.join();
        return true;
    }

    /** Polls until the first connection attempt fails; returns the failure (authentication or connection). */
    KwireException firstFailure() {
        client.requestMetadataUpdate();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (authFailures.isEmpty() && connectFailures.isEmpty() && System.nanoTime() < deadline) {
            client.poll(Duration.ofMillis(100));
        }
        if (!authFailures.isEmpty()) {
            return authFailures.get(0);
        }
        if (!connectFailures.isEmpty()) {
            return connectFailures.get(0);
        }
        throw new AssertionError("no failure within 20 s");
    }

    @Override
    public void close() {
        client.close();
    }
}
