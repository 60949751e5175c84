package io.kwire.spring.boot.autoconfigure.observation;

import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kwire.KwireClient;
import io.kwire.errors.ClientClosedException;
import io.kwire.protocol.message.ApiVersionsRequest;
import io.kwire.protocol.message.MetadataRequest;
import io.kwire.spring.boot.autoconfigure.KwireClientAutoConfiguration;
import io.kwire.testkit.KafkaCluster;
import io.micrometer.common.KeyValues;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.tck.TestObservationRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * One observation per request against a real broker, with Micrometer's {@link TestObservationRegistry}: its name and
 * key values, started on the caller's thread and stopped on the I/O thread before the caller's future completes; a
 * refused request observed with its error; the application's convention used instead of the default; no wrapping
 * without a registry.
 */
@Timeout(120)
class KwireObservationAutoConfigurationTests {

    private final TestObservationRegistry registry = TestObservationRegistry.create();
    /** The thread each observation started and stopped on, by the request's correlation id. */
    private final Map<String, String> threads = new ConcurrentHashMap<>();

    private ApplicationContextRunner runner() {
        registry.observationConfig().observationHandler(new ObservationHandler<KwireRequestObservationContext>() {
            @Override
            public void onStart(KwireRequestObservationContext context) {
                context.put("startThread", Thread.currentThread().getName());
            }

            @Override
            public void onStop(KwireRequestObservationContext context) {
                threads.put(context.api() + " " + context.correlationId(),
                        context.get("startThread") + " -> " + Thread.currentThread().getName());
            }

            @Override
            public boolean supportsContext(Observation.Context context) {
                return context instanceof KwireRequestObservationContext;
            }
        });
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(KwireClientAutoConfiguration.class,
                        KwireObservationAutoConfiguration.class))
                .withBean(TestObservationRegistry.class, () -> registry)
                .withPropertyValues("kwire.client.bootstrap-servers=" + KafkaCluster.shared().bootstrapServers(),
                        "kwire.client.client-id=observed", "kwire.client.request-timeout=10s",
                        "kwire.client.lifecycle.shutdown-timeout=2s");
    }

    @Test
    void eachRequestIsAnObservationFromTheCallersThreadToTheIoThreadWithItsKeyValues() {
        runner().run(context -> {
            KwireClient client = context.getBean(KwireClient.class);
            assertThat(client).isInstanceOf(ObservedKwireClient.class);
            assertThat(client.awaitReady(Duration.ofSeconds(30))).isTrue();
            int node = KafkaCluster.shared().brokerIds().get(0);

            client.send(new MetadataRequest().setTopics(List.of())).get(10, TimeUnit.SECONDS);
            client.send(node, new ApiVersionsRequest()).get(10, TimeUnit.SECONDS);

            // Checked as soon as get() returns: the observation stops before the future completes.
            assertThat(registry).hasNumberOfObservationsWithNameEqualTo("kwire.client.request", 2)
                    .forAllObservationsWithNameEqualTo("kwire.client.request", observation -> observation
                            .doesNotHaveError()
                            .hasLowCardinalityKeyValue("outcome", "SUCCESS")
                            .hasLowCardinalityKeyValue("client.id", "observed")
                            .hasLowCardinalityKeyValue("client.name", "kwireClient")
                            .hasHighCardinalityKeyValue("node", Integer.toString(node)));
            assertThat(registry).hasHandledContextsThatSatisfy(contexts -> {
                assertThat(contexts).hasSize(2);
                KwireRequestObservationContext metadata = (KwireRequestObservationContext) contexts.get(0);
                KwireRequestObservationContext versions = (KwireRequestObservationContext) contexts.get(1);
                assertThat(metadata.getContextualName()).isEqualTo("kwire Metadata");
                assertThat(metadata.getLowCardinalityKeyValue("api").getValue()).isEqualTo("METADATA");
                assertThat(versions.getLowCardinalityKeyValue("api").getValue()).isEqualTo("API_VERSIONS");
                assertThat(metadata.version()).isPositive();
                assertThat(versions.version()).isNotNegative();
                assertThat(metadata.correlationId()).isNotEqualTo(versions.correlationId());
                assertThat(metadata.getHighCardinalityKeyValue("correlation.id").getValue())
                        .isEqualTo(Integer.toString(metadata.correlationId()));
                assertThat(metadata.getHighCardinalityKeyValue("version").getValue())
                        .isEqualTo(Integer.toString(metadata.version()));
            });
            String caller = Thread.currentThread().getName();
            assertThat(threads.values()).hasSize(2)
                    .allSatisfy(t -> assertThat(t).startsWith(caller + " -> kwire-io-observed"));
        });
    }

    @Test
    void aRequestTheClientRefusesIsObservedWithItsError() {
        runner().run(context -> {
            KwireClient client = context.getBean(KwireClient.class);
            client.close(Duration.ofSeconds(2));

            assertThatThrownBy(() -> client.send(new MetadataRequest()).get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(ClientClosedException.class);

            assertThat(registry).hasSingleObservationThat().hasNameEqualTo("kwire.client.request")
                    .hasBeenStopped().hasError()
                    .hasLowCardinalityKeyValue("outcome", "FAILED")
                    .hasHighCardinalityKeyValue("node", "-1")
                    .hasHighCardinalityKeyValue("correlation.id", "-1");
        });
    }

    @Test
    void theApplicationsConventionReplacesTheDefault() {
        runner().withBean(KwireRequestObservationConvention.class, () -> new DefaultKwireRequestObservationConvention() {
            @Override
            public String getName() {
                return "orders.kafka.request";
            }

            @Override
            public KeyValues getLowCardinalityKeyValues(KwireRequestObservationContext context) {
                return super.getLowCardinalityKeyValues(context).and("team", "orders");
            }
        }).run(context -> {
            KwireClient client = context.getBean(KwireClient.class);
            assertThat(client.awaitReady(Duration.ofSeconds(30))).isTrue();
            client.send(new ApiVersionsRequest()).get(10, TimeUnit.SECONDS);
            assertThat(registry).hasSingleObservationThat().hasNameEqualTo("orders.kafka.request")
                    .hasLowCardinalityKeyValue("team", "orders").hasLowCardinalityKeyValue("api", "API_VERSIONS");
        });
    }

    @Test
    void withoutAnObservationRegistryTheClientIsNotWrapped() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(KwireClientAutoConfiguration.class,
                        KwireObservationAutoConfiguration.class))
                .withPropertyValues("kwire.client.lifecycle.auto-startup=false")
                .run(context -> assertThat(context.getBean(KwireClient.class))
                        .isNotInstanceOf(ObservedKwireClient.class));
    }
}
