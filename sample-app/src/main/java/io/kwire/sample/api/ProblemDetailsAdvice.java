package io.kwire.sample.api;

import io.kwire.errors.AuthenticationException;
import io.kwire.errors.ClientClosedException;
import io.kwire.errors.DisconnectedException;
import io.kwire.errors.KwireException;
import io.kwire.errors.KwireTimeoutException;
import io.kwire.errors.NoBrokersAvailableException;
import io.kwire.errors.NodeNotReadyException;
import io.kwire.errors.UnsupportedVersionException;
import io.kwire.protocol.records.CorruptRecordException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.MessageSourceResolvable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.validation.FieldError;
import org.springframework.validation.method.ParameterValidationResult;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every error as an RFC 9457 problem detail ({@code application/problem+json}), never a stack trace. Spring MVC's
 * own errors (unreadable JSON, a wrong parameter type, an unknown path, a wrong method) come from
 * {@link ResponseEntityExceptionHandler}; API errors carry the Kafka error name when a broker answered with one; the
 * kwire client's exceptions map by what they mean for the caller: the cluster cannot be reached (503), it did not
 * answer in time (504), or it answered in a way the client cannot use (502). Bean Validation failures are 400s whose
 * detail names every violated field or parameter (Spring's own detail says only "Invalid request content"), with
 * the same list as {@code errors: [{field, message}]}.
 */
@RestControllerAdvice
public class ProblemDetailsAdvice extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemDetailsAdvice.class);

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<Map<String, String>> errors = new ArrayList<>();
        e.getBindingResult().getFieldErrors().forEach(f -> errors.add(error(f.getField(), f.getDefaultMessage())));
        e.getBindingResult().getGlobalErrors().forEach(g -> errors.add(error(g.getObjectName(), g.getDefaultMessage())));
        return invalid(errors, headers);
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<Map<String, String>> errors = new ArrayList<>();
        for (ParameterValidationResult result : e.getParameterValidationResults()) {
            String name = result.getMethodParameter().getParameterName();
            if (result.getContainerIndex() != null) {
                name += "[" + result.getContainerIndex() + "]";
            } else if (result.getContainerKey() != null) {
                name += "[" + result.getContainerKey() + "]";
            }
            for (MessageSourceResolvable error : result.getResolvableErrors()) {
                String where = error instanceof FieldError f ? name + "." + f.getField() : name;
                errors.add(error(where, error.getDefaultMessage()));
            }
        }
        return invalid(errors, headers);
    }

    private static Map<String, String> error(String field, String message) {
        Map<String, String> error = new LinkedHashMap<>();
        error.put("field", field);
        error.put("message", message);
        return error;
    }

    private static ResponseEntity<Object> invalid(List<Map<String, String>> errors, HttpHeaders headers) {
        String detail = errors.isEmpty() ? "Invalid request" : "Invalid request: " + String.join("; ",
                errors.stream().map(error -> error.get("field") + " " + error.get("message")).toList());
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail);
        problem.setTitle("Invalid request");
        problem.setProperty("errors", errors);
        return ResponseEntity.badRequest().headers(headers).body(problem);
    }

    @ExceptionHandler(ApiException.class)
    ResponseEntity<ProblemDetail> api(ApiException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(e.status(), e.getMessage());
        problem.setTitle(e.title());
        if (e.kafkaError() != null) {
            problem.setProperty("kafkaError", e.kafkaError().name());
            problem.setProperty("kafkaErrorCode", e.kafkaError().code());
            problem.setProperty("retriable", e.kafkaError().retriable());
        }
        return ResponseEntity.status(e.status()).body(problem);
    }

    @ExceptionHandler(KwireException.class)
    ResponseEntity<ProblemDetail> kwire(KwireException e) {
        HttpStatus status;
        String title;
        if (e instanceof KwireTimeoutException) {
            status = HttpStatus.GATEWAY_TIMEOUT;
            title = "Kafka did not answer in time";
        } else if (e instanceof NoBrokersAvailableException || e instanceof NodeNotReadyException
                || e instanceof DisconnectedException || e instanceof ClientClosedException) {
            status = HttpStatus.SERVICE_UNAVAILABLE;
            title = "Kafka broker unreachable";
        } else if (e instanceof AuthenticationException) {
            status = HttpStatus.BAD_GATEWAY;
            title = "Kafka authentication failed";
        } else if (e instanceof UnsupportedVersionException) {
            status = HttpStatus.BAD_GATEWAY;
            title = "Kafka broker does not support the request";
        } else if (e instanceof CorruptRecordException) {
            status = HttpStatus.BAD_GATEWAY;
            title = "Corrupt records from Kafka";
        } else {
            status = HttpStatus.BAD_GATEWAY;
            title = "Kafka request failed";
        }
        log.debug("{}: {}", title, e.toString());
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, e.getMessage());
        problem.setTitle(title);
        problem.setProperty("exception", e.getClass().getSimpleName());
        problem.setProperty("retriable", e.isRetriable());
        return ResponseEntity.status(status).body(problem);
    }

    /** Anything else: logged here with its stack trace, answered without one. */
    @ExceptionHandler(RuntimeException.class)
    ResponseEntity<ProblemDetail> unexpected(RuntimeException e) {
        log.error("Unexpected error handling a request", e);
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR,
                "Unexpected error: " + e.getClass().getSimpleName() + " (see the application log)");
        problem.setTitle("Internal error");
        return ResponseEntity.internalServerError().body(problem);
    }
}
