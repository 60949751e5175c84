package io.kwire.sample;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The live view's event stream over HTTP, as {@code curl -N} or any SSE client sees it: replay from an offset,
 * records as they are produced, resuming after {@code Last-Event-ID}, and the end of the stream for a topic that
 * does not exist.
 */
class LiveViewStreamTest extends EmbeddedBrokerAppTestBase {

    private static final Duration WAIT = Duration.ofSeconds(15);

    @Test
    void replaysFromEarliestThenStreamsNewRecordsEachWithItsOffsetAsEventId() throws Exception {
        Http http = http();
        assertThat(http.post("/api/topics", "{\"name\": \"stream-orders\"}").status()).isEqualTo(201);
        assertThat(http.post("/api/topics/stream-orders/partitions/0/records",
                "[{\"value\": \"zero\"}, {\"value\": \"one\"}]").status()).isEqualTo(200);

        try (EventStream stream = new EventStream(port, "/api/topics/stream-orders/partitions/0/follow?from=earliest",
                null)) {
            assertThat(stream.status()).isEqualTo(200);
            assertRecord(stream.next("record", WAIT), 0, "zero");
            assertRecord(stream.next("record", WAIT), 1, "one");
            assertThat(http.post("/api/topics/stream-orders/partitions/0/records", "{\"value\": \"two\"}").status())
                    .isEqualTo(200);
            assertRecord(stream.next("record", WAIT), 2, "two");
        }
    }

    @Test
    void aReaderReconnectingWithLastEventIdResumesAfterThatRecord() throws Exception {
        Http http = http();
        assertThat(http.post("/api/topics", "{\"name\": \"stream-resume\"}").status()).isEqualTo(201);
        assertThat(http.post("/api/topics/stream-resume/partitions/0/records",
                "[{\"value\": \"a\"}, {\"value\": \"b\"}, {\"value\": \"c\"}]").status()).isEqualTo(200);

        try (EventStream stream = new EventStream(port, "/api/topics/stream-resume/partitions/0/follow?from=earliest",
                "1")) {
            assertRecord(stream.next("record", WAIT), 2, "c");
        }
    }

    @Test
    void anUnknownTopicEndsTheStreamWithAFailedStatusNamingIt() throws Exception {
        try (EventStream stream = new EventStream(port, "/api/topics/no-such-stream/partitions/0/follow", null)) {
            EventStream.Event failed;
            do {
                failed = stream.next("status", WAIT);
            } while (failed != null && !"FAILED".equals(JsonPath.read(failed.data(), "$.state")));
            assertThat(failed).as("a FAILED status before the end").isNotNull();
            assertThat(JsonPath.<String>read(failed.data(), "$.detail")).contains("no-such-stream", "does not exist");
            assertThat(stream.endsWithin(WAIT)).as("the server ends the stream").isTrue();
        }
    }

    private static void assertRecord(EventStream.Event event, long offset, String value) {
        assertThat(event).as("record %s", offset).isNotNull();
        assertThat(event.id()).isEqualTo(Long.toString(offset));
        assertThat(JsonPath.<Integer>read(event.data(), "$.offset")).isEqualTo((int) offset);
        assertThat(JsonPath.<String>read(event.data(), "$.value")).isEqualTo(value);
    }
}
