package io.kwire.sample.follow;

import io.kwire.sample.api.ApiException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * The live views that are open, and the threads they run on. At most {@link #MAX_FOLLOWERS} at once: each holds
 * an HTTP connection and takes its turn on the live view's broker connection.
 *
 * <p>Stopped in a lifecycle phase above the web server's graceful shutdown ({@code DEFAULT_PHASE - 1024}): open
 * event streams never end by themselves, so they are closed first, or the graceful shutdown would wait its whole
 * timeout for them. Any thread.
 */
@Component
public class Followers implements SmartLifecycle {

    /** Open live views at most. */
    public static final int MAX_FOLLOWERS = 16;
    static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 512;
    private static final int THREADS = 2;

    private final FollowClient client;
    private final Set<PartitionFollower> open = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(THREADS, daemonThreads());
    private volatile boolean running;

    public Followers(FollowClient client) {
        this.client = client;
    }

    /** Starts following a partition into the sink; 503 when too many live views are open or the app is stopping. */
    PartitionFollower follow(String topic, int partition, StartPosition from, FollowSink sink) {
        if (!running) {
            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "Live view not running",
                    "The live view is not running: the app is starting or stopping", null);
        }
        if (open.size() >= MAX_FOLLOWERS) {
            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "Too many live views", "At most "
                    + MAX_FOLLOWERS + " partitions can be followed at once; close a live view first", null);
        }
        PartitionFollower follower = new PartitionFollower(topic, partition, from, client.calls(), scheduler, sink,
                open::remove);
        open.add(follower);
        follower.start();
        return follower;
    }

    /** How many live views are open. */
    public int openCount() {
        return open.size();
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        for (PartitionFollower follower : open) {
            follower.close();
        }
        scheduler.shutdownNow();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, "kwire-sample-live-view-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
