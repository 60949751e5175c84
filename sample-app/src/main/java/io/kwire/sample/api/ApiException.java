package io.kwire.sample.api;

import io.kwire.protocol.Errors.KafkaError;
import org.springframework.http.HttpStatus;

/**
 * An error the API reports as a problem detail with a chosen status: a missing topic or partition, or a Kafka error
 * code a broker answered with (bad input is caught earlier, by Bean Validation). {@link ProblemDetailsAdvice} turns it into the response.
 */
public class ApiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final HttpStatus status;
    private final String title;
    private final transient KafkaError kafkaError;

    public ApiException(HttpStatus status, String title, String detail, KafkaError kafkaError) {
        super(detail);
        this.status = status;
        this.title = title;
        this.kafkaError = kafkaError;
    }

    public static ApiException notFound(String title, String detail) {
        return new ApiException(HttpStatus.NOT_FOUND, title, detail, null);
    }

    /** A Kafka error code from a broker's answer, mapped to the HTTP status that says the most about it. */
    public static ApiException kafka(KafkaError error, String detail) {
        return new ApiException(statusFor(error), titleFor(error), detail, error);
    }

    static HttpStatus statusFor(KafkaError error) {
        return switch (error.name()) {
            case "UNKNOWN_TOPIC_OR_PARTITION", "UNKNOWN_TOPIC_ID" -> HttpStatus.NOT_FOUND;
            case "OFFSET_OUT_OF_RANGE" -> HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE;
            case "TOPIC_ALREADY_EXISTS" -> HttpStatus.CONFLICT;
            case "INVALID_TOPIC_EXCEPTION", "INVALID_PARTITIONS", "INVALID_REPLICATION_FACTOR",
                 "INVALID_REPLICA_ASSIGNMENT", "INVALID_CONFIG", "POLICY_VIOLATION", "INVALID_REQUEST",
                 "MESSAGE_TOO_LARGE", "RECORD_LIST_TOO_LARGE", "INVALID_RECORD", "CORRUPT_MESSAGE" ->
                    HttpStatus.BAD_REQUEST;
            case "REQUEST_TIMED_OUT" -> HttpStatus.GATEWAY_TIMEOUT;
            case "TOPIC_AUTHORIZATION_FAILED", "CLUSTER_AUTHORIZATION_FAILED" -> HttpStatus.FORBIDDEN;
            default -> error.retriable() ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.BAD_GATEWAY;
        };
    }

    private static String titleFor(KafkaError error) {
        return switch (error.name()) {
            case "UNKNOWN_TOPIC_OR_PARTITION", "UNKNOWN_TOPIC_ID" -> "Unknown topic or partition";
            case "OFFSET_OUT_OF_RANGE" -> "Offset out of range";
            case "TOPIC_ALREADY_EXISTS" -> "Topic already exists";
            default -> "Kafka error " + error.name();
        };
    }

    public HttpStatus status() {
        return status;
    }

    public String title() {
        return title;
    }

    /** The Kafka error behind it, or {@code null} when the API itself refused the request. */
    public KafkaError kafkaError() {
        return kafkaError;
    }
}
