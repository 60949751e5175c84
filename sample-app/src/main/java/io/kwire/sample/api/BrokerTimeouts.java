package io.kwire.sample.api;

import io.kwire.client.KafkaClientConfig;
import java.time.Duration;

/**
 * The timeouts the app puts inside requests for the broker to honour, derived from the client's
 * {@code request-timeout} so that the broker always gives up before the client does. A broker-side timeout as long
 * as the client's would let a request time out in the client and still succeed on the broker (a topic created, a
 * record appended) while the caller was told it failed.
 *
 * @param operationTimeoutMs CreateTopics and Produce {@code timeoutMs}: three quarters of the request timeout, the
 *                           last quarter left for the network and the broker's request queue
 * @param fetchMaxWaitMs     Fetch {@code maxWaitMs} for the live view's long polls: {@link #LONG_POLL}, or half the
 *                           request timeout when that is shorter
 * @param retryBackoff       first pause before the live view tries again after a failure (the client's
 *                           {@code retry-backoff})
 * @param retryBackoffMax    longest such pause (the client's {@code retry-backoff-max})
 */
public record BrokerTimeouts(int operationTimeoutMs, int fetchMaxWaitMs, Duration retryBackoff,
                             Duration retryBackoffMax) {

    /**
     * How long a live-view Fetch may wait at the broker for new records. Short, because a broker answers one request
     * per connection at a time: several followed partitions share the live view's connection and take turns.
     */
    public static final Duration LONG_POLL = Duration.ofMillis(500);

    public static BrokerTimeouts of(KafkaClientConfig config) {
        long requestTimeoutMs = config.requestTimeout().toMillis();
        int operation = clampToInt(Math.max(1, requestTimeoutMs * 3 / 4));
        int fetchWait = clampToInt(Math.max(0, Math.min(LONG_POLL.toMillis(), requestTimeoutMs / 2)));
        return new BrokerTimeouts(operation, fetchWait, config.retryBackoff(), config.retryBackoffMax());
    }

    /** The pause before the given consecutive retry: {@code retryBackoff}, doubling, capped at {@code retryBackoffMax}. */
    public Duration backoff(int failures) {
        long first = Math.max(1, retryBackoff.toMillis());
        long max = Math.max(first, retryBackoffMax.toMillis());
        long delay = first << Math.min(Math.max(failures, 1) - 1, 20);
        return Duration.ofMillis(Math.min(max, delay));
    }

    private static int clampToInt(long ms) {
        return (int) Math.min(Integer.MAX_VALUE, ms);
    }
}
