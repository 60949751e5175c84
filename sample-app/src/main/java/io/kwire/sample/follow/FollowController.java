package io.kwire.sample.follow;

import io.kwire.sample.api.TopicName;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import java.time.Duration;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The live view of a partition as server-sent events:
 * {@code GET /api/topics/{topic}/partitions/{partition}/follow?from=latest|earliest|<offset>}.
 *
 * <p>Events: {@code status} ({@link FollowStatus}: LIVE, RECONNECTING with the reason, FAILED) whenever the state
 * changes and every few seconds; {@code record} (a record as {@code GET .../records} shows it, the event id being its
 * offset) for each new record. A reconnecting reader's {@code Last-Event-ID} wins over {@code from}. The stream
 * ends after {@link #STREAM_TIMEOUT}; a browser's {@code EventSource} then reconnects and resumes.
 */
@RestController
public class FollowController {

    /** How long one event stream lasts before the reader reconnects (bounds what a forgotten tab holds). */
    static final Duration STREAM_TIMEOUT = Duration.ofMinutes(10);

    private final Followers followers;

    public FollowController(Followers followers) {
        this.followers = followers;
    }

    @GetMapping(path = "/api/topics/{topic}/partitions/{partition}/follow", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    public SseEmitter follow(@PathVariable @TopicName String topic, @PathVariable @PositiveOrZero int partition,
                             @RequestParam(defaultValue = "latest") @Pattern(regexp = StartPosition.PATTERN,
                                     message = "must be latest, earliest or an offset") String from,
                             @RequestHeader(name = "Last-Event-ID", required = false)
                             @Pattern(regexp = "[0-9]{1,18}") String lastEventId) {
        StartPosition start = lastEventId != null ? StartPosition.at(Long.parseLong(lastEventId) + 1)
                : new StartPosition(from);
        SseEmitter emitter = new SseEmitter(STREAM_TIMEOUT.toMillis());
        PartitionFollower follower = followers.follow(topic, partition, start, new SseFollowSink(emitter));
        emitter.onCompletion(follower::close);
        emitter.onTimeout(follower::close);
        emitter.onError(error -> follower.close());
        return emitter;
    }
}
