package io.kwire.it.security;

import io.kwire.KafkaClient;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

final class CompletableFutureHelper {

    private CompletableFutureHelper() {
    }

    static <T> T await(KafkaClient client, CompletableFuture<T> f) {
        client.poll(Duration.ofSeconds(20), f);
        if (!f.isDone()) {
            throw new AssertionError("not done within 20 s");
        }
        return f.join();
    }
}
