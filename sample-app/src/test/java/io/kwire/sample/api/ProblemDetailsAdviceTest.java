package io.kwire.sample.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.kwire.errors.ClientClosedException;
import io.kwire.errors.DisconnectedException;
import io.kwire.errors.KwireException;
import io.kwire.errors.KwireTimeoutException;
import io.kwire.errors.NoBrokersAvailableException;
import io.kwire.errors.NodeNotReadyException;
import io.kwire.protocol.Errors;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

/** The status each kwire exception and Kafka error code maps to, without a broker. */
class ProblemDetailsAdviceTest {

    private final ProblemDetailsAdvice advice = new ProblemDetailsAdvice();

    @Test
    void unreachableBrokersAre503() {
        assertStatus(advice.kwire(new NoBrokersAvailableException("no broker")), 503);
        assertStatus(advice.kwire(new NodeNotReadyException("node 1 not ready")), 503);
        assertStatus(advice.kwire(new DisconnectedException("gone")), 503);
        assertStatus(advice.kwire(new ClientClosedException("closed")), 503);
    }

    @Test
    void timeoutsAre504AndOtherClientErrors502() {
        ResponseEntity<ProblemDetail> timeout = advice.kwire(new KwireTimeoutException("Metadata timed out"));
        assertStatus(timeout, 504);
        assertThat(timeout.getBody().getDetail()).isEqualTo("Metadata timed out");
        assertThat(timeout.getBody().getProperties()).containsEntry("retriable", true);
        assertStatus(advice.kwire(new KwireException("odd answer")), 502);
    }

    @Test
    void kafkaErrorCodesMapToTheStatusThatFits() {
        assertThat(status("UNKNOWN_TOPIC_OR_PARTITION")).isEqualTo(HttpStatus.NOT_FOUND);
        assertThat(status("OFFSET_OUT_OF_RANGE")).isEqualTo(HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE);
        assertThat(status("TOPIC_ALREADY_EXISTS")).isEqualTo(HttpStatus.CONFLICT);
        assertThat(status("INVALID_REPLICATION_FACTOR")).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(status("REQUEST_TIMED_OUT")).isEqualTo(HttpStatus.GATEWAY_TIMEOUT);
        assertThat(status("NOT_LEADER_OR_FOLLOWER")).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        assertThat(status("UNSUPPORTED_VERSION")).isEqualTo(HttpStatus.BAD_GATEWAY);

        ResponseEntity<ProblemDetail> problem = advice.api(ApiException.kafka(error("TOPIC_ALREADY_EXISTS"), "exists"));
        assertStatus(problem, 409);
        assertThat(problem.getBody().getProperties()).containsEntry("kafkaError", "TOPIC_ALREADY_EXISTS")
                .containsEntry("kafkaErrorCode", (short) 36);
    }

    @Test
    void unexpectedErrorsAre500WithoutDetailsOfTheException() {
        ResponseEntity<ProblemDetail> problem = advice.unexpected(new IllegalStateException("secret internals"));
        assertStatus(problem, 500);
        assertThat(problem.getBody().getDetail()).doesNotContain("secret internals");
    }

    private static void assertStatus(ResponseEntity<ProblemDetail> response, int status) {
        assertThat(response.getStatusCode().value()).isEqualTo(status);
        assertThat(response.getBody().getStatus()).isEqualTo(status);
        assertThat(response.getBody().getTitle()).isNotBlank();
    }

    private static HttpStatus status(String name) {
        return ApiException.statusFor(error(name));
    }

    private static Errors.KafkaError error(String name) {
        return Errors.all().stream().filter(e -> e.name().equals(name)).findFirst().orElseThrow();
    }
}
