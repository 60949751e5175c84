package io.kwire.sample.follow;

import io.kwire.errors.KwireException;
import io.kwire.protocol.Errors;
import io.kwire.protocol.Errors.KafkaError;
import io.kwire.protocol.message.FetchResponse;
import io.kwire.sample.api.ApiException;
import io.kwire.sample.api.BrokerTimeouts;
import io.kwire.sample.api.FetchedRecords;
import io.kwire.sample.api.KafkaCalls;
import io.kwire.sample.api.KafkaRequests;
import io.kwire.sample.api.PartitionLeader;
import io.kwire.sample.api.PartitionLeaders;
import io.kwire.sample.api.Views.RecordView;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows one partition for one reader: long-poll Fetch after long-poll Fetch at the partition's leader, every
 * record handed to the {@link FollowSink} in offset order, and the state (live, reconnecting, failed) reported as it
 * changes.
 *
 * <p>It survives a broker restart: a failure that waiting may mend (no broker reachable, the connection dropped,
 * the leader moved or its epoch changed) reports {@code RECONNECTING} with the reason, forgets the leader and tries
 * again after a back-off taken from the client's {@code retry-backoff} (doubling up to {@code retry-backoff-max});
 * the next success reports {@code LIVE} again. The offset to read next survives the outage, so no record is lost or
 * shown twice. Before it was ever live, an unknown topic or partition ends the stream ({@code FAILED}): that is a
 * typo, not an outage.
 *
 * <p>Threads: every step runs on the scheduler; a step sends a Fetch and returns, and the Fetch's completion
 * schedules the next step, so one follower runs one step at a time. {@link #close()} may be called from any thread.
 */
final class PartitionFollower {

    private static final Logger log = LoggerFactory.getLogger(PartitionFollower.class);

    /** At most this many records go out per Fetch answer; the next Fetch continues after them. */
    static final int MAX_RECORDS_PER_FETCH = 500;
    /** A status event at least this often while nothing changes, so a reader that left is noticed. */
    static final Duration HEARTBEAT = Duration.ofSeconds(5);

    enum State { STARTING, LIVE, RECONNECTING, FAILED, CLOSED }

    private final String topic;
    private final int partition;
    private final StartPosition from;
    private final KafkaCalls calls;
    private final PartitionLeaders leaders;
    private final BrokerTimeouts timeouts;
    private final ScheduledExecutorService scheduler;
    private final FollowSink sink;
    private final Consumer<PartitionFollower> onClose;

    private volatile State state = State.STARTING;
    private PartitionLeader leader;
    private long nextOffset = -1;
    private long highWatermark = -1;
    private int failures;
    private long lastStatusNanos;

    PartitionFollower(String topic, int partition, StartPosition from, KafkaCalls calls,
                      ScheduledExecutorService scheduler, FollowSink sink, Consumer<PartitionFollower> onClose) {
        this.topic = topic;
        this.partition = partition;
        this.from = from;
        this.calls = calls;
        this.leaders = new PartitionLeaders(calls);
        this.timeouts = calls.brokerTimeouts();
        this.scheduler = scheduler;
        this.sink = sink;
        this.onClose = onClose;
    }

    void start() {
        report(null);
        scheduler.execute(this::step);
    }

    State state() {
        return state;
    }

    /** Stops following and ends the reader's stream. Idempotent; any thread. */
    void close() {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        try {
            sink.complete();
        } catch (RuntimeException e) {
            log.debug("completing a live view's stream failed", e);
        }
        onClose.accept(this);
    }

    /** Looks up the leader and the start offset when they are not known, then sends one long-poll Fetch. */
    private void step() {
        if (isOver()) {
            return;
        }
        try {
            if (leader == null) {
                leader = leaders.leaderOf(topic, partition);
            }
            if (nextOffset < 0) {
                nextOffset = from.resolve(leaders, leader);
            }
            calls.sendAsync(leader.leader(), KafkaRequests.fetch(leader, nextOffset, timeouts.fetchMaxWaitMs(), 1))
                    .whenCompleteAsync(this::onFetch, scheduler);
        } catch (RuntimeException e) {
            onFailure(e);
        }
    }

    private void onFetch(FetchResponse response, Throwable error) {
        if (isOver()) {
            return;
        }
        try {
            if (error != null) {
                throw KafkaCalls.unwrap(error, "Fetch from broker " + leader.leader());
            }
            KafkaError topLevel = Errors.forCode(response.errorCode());
            if (!topLevel.isNone()) {
                throw ApiException.kafka(topLevel, "Fetch from " + leader.name() + ": " + topLevel.description());
            }
            FetchResponse.PartitionData data = FetchedRecords.partition(response, leader);
            KafkaError partitionError = Errors.forCode(data.errorCode());
            if (partitionError.name().equals("OFFSET_OUT_OF_RANGE")) {
                skipToRange();
            } else if (!partitionError.isNone()) {
                throw ApiException.kafka(partitionError, "Fetch from " + leader.name() + ": "
                        + partitionError.description());
            } else {
                deliver(data);
            }
            scheduler.execute(this::step);
        } catch (RuntimeException e) {
            onFailure(e);
        }
    }

    private void deliver(FetchResponse.PartitionData data) {
        FetchedRecords page = FetchedRecords.decode(data.records(), nextOffset, MAX_RECORDS_PER_FETCH);
        boolean changed = state != State.LIVE || data.highWatermark() != highWatermark;
        if (state != State.LIVE) {
            state = State.LIVE;
            failures = 0;
        }
        for (RecordView record : page.records()) {
            sink.record(record);
        }
        nextOffset = page.nextOffset();
        highWatermark = data.highWatermark();
        if (changed || !page.records().isEmpty() || System.nanoTime() - lastStatusNanos > HEARTBEAT.toNanos()) {
            report(null);
        }
    }

    /** The offset is gone (deleted by retention) or beyond the end (the topic was recreated): go to the nearest end. */
    private void skipToRange() {
        long earliest = leaders.offset(leader, -2L);
        long latest = leaders.offset(leader, -1L);
        long was = nextOffset;
        nextOffset = nextOffset < earliest ? earliest : latest;
        report("offset " + was + " is not in the partition (it holds " + earliest + " to " + latest
                + "); continuing at " + nextOffset);
    }

    private void onFailure(RuntimeException e) {
        if (e instanceof FollowSink.GoneException) {
            close();
            return;
        }
        if (isOver()) {
            return;
        }
        if (!mayMend(e)) {
            state = State.FAILED;
            report(e.getMessage());
            close();
            return;
        }
        leader = null; // look it up again: it may have moved, or come back with a new epoch
        failures++;
        state = State.RECONNECTING;
        report(e.getMessage());
        long delay = timeouts.backoff(failures).toMillis();
        log.debug("live view of {}-{} reconnecting in {} ms: {}", topic, partition, delay, e.toString());
        scheduler.schedule(this::step, delay, TimeUnit.MILLISECONDS);
    }

    /** Whether waiting may mend the failure: outages and moved leaders may; a typo in the topic name may not. */
    private boolean mayMend(RuntimeException e) {
        if (e instanceof ApiException api) {
            int status = api.status().value();
            boolean missing = status == 404;
            // A topic seen before may be missing for a moment while a restarted broker loads its metadata.
            return status == 503 || status == 504 || (missing && nextOffset >= 0)
                    || (api.kafkaError() != null && api.kafkaError().retriable());
        }
        return e instanceof KwireException k && k.isRetriable();
    }

    /** Sends the state; a reader that has gone away closes the follower. */
    private void report(String detail) {
        lastStatusNanos = System.nanoTime();
        try {
            sink.status(new FollowStatus(state.name(), detail, topic, partition, nextOffset, highWatermark,
                    leader == null ? -1 : leader.leader()));
        } catch (FollowSink.GoneException e) {
            close();
        }
    }

    private boolean isOver() {
        return state == State.CLOSED || state == State.FAILED;
    }
}
