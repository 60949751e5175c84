package io.kwire.sample.follow;

import io.kwire.sample.api.Views.RecordView;
import java.io.IOException;
import java.time.Duration;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * A live view's events as server-sent events: {@code record} events whose id is the record's offset (so a reader
 * that reconnects by itself sends {@code Last-Event-ID} and resumes after it) and {@code status} events. The first
 * event tells the browser to reconnect after {@link #RECONNECT} rather than its default of about three seconds.
 * Called by one follower step at a time.
 */
final class SseFollowSink implements FollowSink {

    static final Duration RECONNECT = Duration.ofSeconds(1);

    private final SseEmitter emitter;
    private boolean first = true;

    SseFollowSink(SseEmitter emitter) {
        this.emitter = emitter;
    }

    @Override
    public void record(RecordView record) {
        send(SseEmitter.event().id(Long.toString(record.offset())).name("record")
                .data(record, MediaType.APPLICATION_JSON));
    }

    @Override
    public void status(FollowStatus status) {
        SseEmitter.SseEventBuilder event = SseEmitter.event().name("status").data(status, MediaType.APPLICATION_JSON);
        if (first) {
            event.reconnectTime(RECONNECT.toMillis());
            first = false;
        }
        send(event);
    }

    @Override
    public void complete() {
        emitter.complete();
    }

    private void send(SseEmitter.SseEventBuilder event) {
        try {
            emitter.send(event);
        } catch (IOException | IllegalStateException e) {
            throw new GoneException(e);
        }
    }
}
