package io.kwire.spring.boot.autoconfigure.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.kwire.KwireClient;
import io.kwire.client.ClientObserver;
import io.kwire.client.ClientObserver.Outcome;
import io.kwire.client.KafkaClientConfig;
import io.kwire.protocol.ApiKey;
import io.kwire.spring.boot.autoconfigure.CompositeClientObserver;
import io.kwire.spring.boot.autoconfigure.FakeKwireClient;
import io.kwire.client.Node;
import io.kwire.spring.boot.autoconfigure.KwireClientAutoConfiguration;
import io.kwire.spring.boot.autoconfigure.KwireClientFactory;
import io.kwire.spring.boot.autoconfigure.KwireClientObserverFactory;
import io.micrometer.core.instrument.Meter;
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
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

class KwireMetricsAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
                    CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
                    KwireClientAutoConfiguration.class, KwireMetricsAutoConfiguration.class))
            .withPropertyValues("kwire.client.client-id=app")
            .withUserConfiguration(FakeClientConfiguration.class);

    @Test
    void bindsTheMetersAndPutsTheObserverIntoTheConfig() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(KwireClientsMeterBinder.class);
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            assertThat(registry.find("kwire.client.requests.in.flight").tags("client.id", "app",
                    "client.name", "kwireClient").gauge()).isNotNull();
            ClientObserver observer = context.getBean(KafkaClientConfig.class).observer();
            assertThat(observer).isInstanceOf(KwireMetricsObserver.class);
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
                .withUserConfiguration(FakeClientConfiguration.class)
                .withPropertyValues("kwire.client.client-id=app", "kwire.client.metric-group-prefix=consumer")
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
                .hasNotFailed().doesNotHaveBean(KwireClientsMeterBinder.class)
                .doesNotHaveBean(KwireClientObserverFactory.class));
    }

    @Test
    void backsOffWithoutARegistry() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(KwireClientAutoConfiguration.class,
                        KwireMetricsAutoConfiguration.class))
                .withBean(KwireClient.class, FakeKwireClient::new)
                .run(context -> assertThat(context).doesNotHaveBean(KwireClientsMeterBinder.class));
    }

    @Test
    void twoClientsEachRecordTheirOwnEventsUnderTheirBeanNames() {
        runner.withUserConfiguration(SecondClientConfiguration.class)
                .withPropertyValues("audit.kwire.client-id=app").run(context -> {
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    ClientObserver main = context.getBean("kwireClient", KwireClient.class).config().observer();
                    ClientObserver audit = context.getBean("auditClient", KwireClient.class).config().observer();
                    assertThat(main).isInstanceOf(KwireMetricsObserver.class).isNotSameAs(audit);
                    assertThat(audit).isInstanceOf(KwireMetricsObserver.class);

                    audit.requestCompleted(ApiKey.FETCH, (short) 12, 1, 1_000, 10, 10, Outcome.SUCCESS);
                    audit.requestCompleted(ApiKey.FETCH, (short) 12, 1, 1_000, 10, 10, Outcome.SUCCESS);
                    main.requestCompleted(ApiKey.FETCH, (short) 12, 1, 1_000, 10, 10, Outcome.SUCCESS);

                    // Both clients say client.id=app; the bean name keeps their meters apart.
                    assertThat(registry.get("kwire.client.requests").tags("client.name", "auditClient").timer().count())
                            .isEqualTo(2);
                    assertThat(registry.get("kwire.client.requests").tags("client.name", "kwireClient").timer().count())
                            .isEqualTo(1);
                    assertThat(registry.find("kwire.client.brokers").gauges()).hasSize(2);
                });
    }

    @Test
    void noMeterIsRegisteredTwice() {
        runner.withUserConfiguration(SecondClientConfiguration.class).run(context -> {
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            for (String name : List.of("kwireClient", "auditClient")) {
                ClientObserver observer = context.getBean(name, KwireClient.class).config().observer();
                observer.connectionReady(new Node(1, "localhost", 9092, null));
                observer.requestCompleted(ApiKey.METADATA, (short) 12, 1, 1_000, 10, 10, Outcome.SUCCESS);
            }
            List<Meter.Id> ids = registry.getMeters().stream().map(Meter::getId).toList();
            assertThat(ids).doesNotHaveDuplicates();
            assertThat(ids).allSatisfy(id -> assertThat(id.getTag("client.name")).isIn("kwireClient", "auditClient"));
        });
    }

    @Test
    void aClientConfiguredByHandGetsItsGaugesWithoutFailingTheContext() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
                        CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
                        KwireClientAutoConfiguration.class, KwireMetricsAutoConfiguration.class))
                .withBean("handmade", KwireClient.class, () -> new FakeKwireClient(KafkaClientConfig.builder()
                        .clientId("app").build()))
                .run(context -> {
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    assertThat(registry.find("kwire.client.brokers").tag("client.name", "handmade").gauge())
                            .isNotNull();
                    assertThat(registry.find("kwire.client.requests").meters()).isEmpty();
                });
    }

    @Configuration(proxyBeanMethods = false)
    static class FakeClientConfiguration {

        @Bean
        @Primary
        KwireClient kwireClient(KafkaClientConfig config) {
            return new FakeKwireClient(config);
        }
    }

    /** The second client as docs/spring-boot.md declares it, with a fake in place of the real one. */
    @Configuration(proxyBeanMethods = false)
    static class SecondClientConfiguration {

        @Bean
        KwireClient auditClient(KwireClientFactory clients) {
            return new FakeKwireClient(clients.createConfig(clients.bind("audit.kwire")));
        }
    }
}
