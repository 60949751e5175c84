package io.kwire.testkit;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Decides the {@link FakeBroker}'s {@link Reply} to a request. Runs on the broker's I/O thread: it must not block
 * (return {@link Reply#delayed(java.time.Duration)} instead of sleeping). Returning null means "use the default
 * handler".
 */
@FunctionalInterface
public interface RequestHandler {

    Reply handle(ReceivedRequest request);

    /** The same reply to every request. */
    static RequestHandler always(Reply reply) {
        return request -> reply;
    }

    /** The replies in turn, one per request; the last one repeats. */
    static RequestHandler sequence(Reply... replies) {
        if (replies.length == 0) {
            throw new IllegalArgumentException("no replies");
        }
        List<Reply> list = List.of(replies);
        AtomicInteger next = new AtomicInteger();
        int last = list.size() - 1;
        return request -> list.get(next.getAndUpdate(i -> i < last ? i + 1 : i));
    }
}
