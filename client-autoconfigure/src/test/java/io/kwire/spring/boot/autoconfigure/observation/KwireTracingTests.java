package io.kwire.spring.boot.autoconfigure.observation;

import static org.assertj.core.api.Assertions.assertThat;

import brave.handler.MutableSpan;
import brave.handler.SpanHandler;
import brave.propagation.TraceContext;
import io.kwire.KwireClient;
import io.kwire.protocol.message.ApiVersionsRequest;
import io.kwire.protocol.message.MetadataRequest;
import io.kwire.spring.boot.autoconfigure.KwireClientAutoConfiguration;
import io.kwire.testkit.KafkaCluster;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration;
import org.springframework.boot.micrometer.tracing.brave.autoconfigure.BraveAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * kwire's observations under a real tracer, as an application with the actuator and
 * {@code micrometer-tracing-bridge-brave} has it (Boot's observation, Micrometer tracing and Brave
 * auto-configurations): each request is one Brave span, a child of the span current on the caller's thread, in
 * its trace, with the request's key values as tags, and finished before the caller's future completes.
 */
@Timeout(120)
class KwireTracingTests {

    /** The spans Brave finished, as a reporter would get them. */
    static final class RecordingSpanHandler extends SpanHandler {
        final List<MutableSpan> spans = new CopyOnWriteArrayList<>();

        @Override
        public boolean end(TraceContext context, MutableSpan span, Cause cause) {
            spans.add(span);
            return true;
        }
    }

    @Test
    void eachRequestIsOneSpanUnderTheCallersSpan() {
        RecordingSpanHandler finished = new RecordingSpanHandler();
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class,
                        MicrometerTracingAutoConfiguration.class, BraveAutoConfiguration.class,
                        KwireClientAutoConfiguration.class, KwireObservationAutoConfiguration.class))
                .withBean(SpanHandler.class, () -> finished)
                .withPropertyValues("management.tracing.sampling.probability=1.0",
                        "kwire.client.bootstrap-servers=" + KafkaCluster.shared().bootstrapServers(),
                        "kwire.client.client-id=traced", "kwire.client.lifecycle.shutdown-timeout=2s")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    KwireClient client = context.getBean(KwireClient.class);
                    Tracer tracer = context.getBean(Tracer.class);
                    assertThat(client.awaitReady(Duration.ofSeconds(30))).isTrue();
                    finished.spans.clear(); // nothing before the caller's span counts

                    Span caller = tracer.nextSpan().name("handle order").start();
                    try (Tracer.SpanInScope scope = tracer.withSpan(caller)) {
                        client.send(new MetadataRequest().setTopics(List.of())).get(10, TimeUnit.SECONDS);
                        client.send(new ApiVersionsRequest()).get(10, TimeUnit.SECONDS);
                        client.send(new MetadataRequest().setTopics(List.of())).get(10, TimeUnit.SECONDS);
                        // finished on the I/O thread before each future completed: all three are here already
                        assertThat(finished.spans).hasSize(3);
                    } finally {
                        caller.end();
                    }

                    List<MutableSpan> requests = finished.spans.stream()
                            .filter(s -> s.name() != null && s.name().startsWith("kwire ")).toList();
                    assertThat(requests).extracting(MutableSpan::name)
                            .containsExactly("kwire Metadata", "kwire ApiVersions", "kwire Metadata");
                    assertThat(requests).allSatisfy(span -> {
                        assertThat(span.traceId()).isEqualTo(caller.context().traceId());
                        assertThat(span.parentId()).isEqualTo(caller.context().spanId());
                        assertThat(span.tags()).containsEntry("client.id", "traced")
                                .containsEntry("outcome", "SUCCESS").containsKeys("node", "version",
                                        "correlation.id");
                        assertThat(span.finishTimestamp()).isGreaterThanOrEqualTo(span.startTimestamp());
                    });
                    assertThat(requests).extracting(s -> s.tag("correlation.id")).doesNotHaveDuplicates();
                    assertThat(finished.spans).filteredOn(s -> "handle order".equals(s.name())).hasSize(1);
                });
    }
}
