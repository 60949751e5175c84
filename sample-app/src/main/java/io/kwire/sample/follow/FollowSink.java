package io.kwire.sample.follow;

import io.kwire.sample.api.Views.RecordView;

/**
 * Where a {@link PartitionFollower} delivers what it reads: records in offset order and status changes. Called by
 * one follower step at a time, never concurrently for one follower.
 */
public interface FollowSink {

    void record(RecordView record);

    void status(FollowStatus status);

    /** No more events: the follower has stopped. */
    void complete();

    /** Thrown by a sink whose reader has gone away (the browser tab closed): the follower stops. */
    final class GoneException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        public GoneException(Throwable cause) {
            super("the live view's reader has gone away", cause);
        }
    }
}
