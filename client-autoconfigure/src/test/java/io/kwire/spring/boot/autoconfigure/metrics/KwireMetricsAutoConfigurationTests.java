package io.kwire.spring.boot.autoconfigure.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.kwire.KwireClient;
import io.kwire.client.ClientObserver;
import io.kwire.client.ClientObserver.Outcome;
import io.kwire.client.KafkaClientConfig;
import io.kwire.protocol.ApiKey;
import io.kwire.spring.boot.autoconfigure.CompositeClientObserver;
import io.kwire.spring.boot.autoconfigure.FakeKwireClient;
import io.kwire.spring.boot.autoconfigure.KwireClientAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class KwireMetricsAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
                    CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
                    KwireClientAutoConfiguration.class, KwireMetricsAutoConfiguration.class))
            .withBean(KwireClient.class, () -> new FakeKwireClient(KafkaClientConfig.builder().clientId("app").build()));

    @Test
    void bindsTheMetersAndPutsTheObserverIntoTheConfig() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(KwireClientMetrics.class).hasSingleBean(KwireMetricsObserver.class);
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            assertThat(registry.find("kwire.client.requests.in.flight").tag("client.id", "app").gauge()).isNotNull();
            ClientObserver observer = context.getBean(KafkaClientConfig.class).observer();
            assertThat(observer).isSameAs(context.getBean(KwireMetricsObserver.class));
            observer.requestCompleted(ApiKey.FETCH, (short) 12, 1, 1_000, 10, 10, Outcome.SUCCESS);
            assertThat(registry.get("kwire.client.requests").tag("api", "FETCH").timer().count()).isEqualTo(1);
        });
    }

    @Test
    void theClientsMetricGroupPrefixTagsItsMeters() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
                        CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
                        KwireClientAutoConfiguration.class, KwireMetricsAutoConfiguration.class))
                .withBean(KwireClient.class, () -> new FakeKwireClient(KafkaClientConfig.builder().clientId("app")
                        .metricGroupPrefix("consumer").build()))
                .run(context -> assertThat(context.getBean(MeterRegistry.class).find("kwire.client.brokers")
                        .tags("client.id", "app", "group", "consumer").gauge()).isNotNull());
    }

    @Test
    void userObserversHearEventsBesideTheMetrics() {
        List<String> heard = new ArrayList<>();
        runner.withBean("auditObserver", ClientObserver.class, () -> new ClientObserver() {
            @Override
            public void requestCompleted(ApiKey api, short version, int nodeId, long latencyNanos, int bytesSent,
                                         int bytesReceived, Outcome outcome) {
                heard.add(api.name());
            }
        }).run(context -> {
            ClientObserver observer = context.getBean(KafkaClientConfig.class).observer();
            assertThat(observer).isInstanceOf(CompositeClientObserver.class);
            observer.requestCompleted(ApiKey.METADATA, (short) 12, 1, 1_000, 10, 10, Outcome.SUCCESS);
            assertThat(heard).containsExactly("METADATA");
            assertThat(context.getBean(MeterRegistry.class).get("kwire.client.requests").timer().count()).isEqualTo(1);
        });
    }

    @Test
    void backsOffWithoutMicrometer() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(KwireClientAutoConfiguration.class,
                        KwireMetricsAutoConfiguration.class))
                .withBean(KwireClient.class, FakeKwireClient::new)
                .withClassLoader(new FilteredClassLoader(MeterRegistry.class)).run(context -> assertThat(context)
                .hasNotFailed().doesNotHaveBean(KwireClientMetrics.class).doesNotHaveBean(KwireMetricsObserver.class));
    }

    @Test
    void backsOffWithoutARegistry() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(KwireClientAutoConfiguration.class,
                        KwireMetricsAutoConfiguration.class))
                .withBean(KwireClient.class, FakeKwireClient::new)
                .run(context -> assertThat(context).doesNotHaveBean(KwireClientMetrics.class));
    }
}
