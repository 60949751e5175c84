package io.kwire.spring.boot.autoconfigure.metrics;

import io.kwire.KwireClient;
import io.kwire.spring.boot.autoconfigure.KwireClientAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.context.annotation.Bean;

/**
 * Micrometer meters for the kwire client, when Micrometer is present and there is a {@link MeterRegistry}. The
 * {@link KwireMetricsObserver} is a {@link io.kwire.client.ClientObserver} bean, so
 * {@link KwireClientAutoConfiguration} composes it into the client's configuration together with any observer
 * beans of the application. Ordered after Boot's registry auto-configurations (by name, so that their module is
 * not needed at compile time).
 */
@AutoConfiguration(after = KwireClientAutoConfiguration.class, afterName = {
        "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration" })
@ConditionalOnClass({ KwireClient.class, MeterRegistry.class })
@ConditionalOnBean(MeterRegistry.class)
@ConditionalOnSingleCandidate(KwireClient.class)
public final class KwireMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    KwireMetricsObserver kwireMetricsObserver() {
        return new KwireMetricsObserver();
    }

    @Bean
    @ConditionalOnMissingBean
    KwireClientMetrics kwireClientMetrics(KwireClient client, KwireMetricsObserver observer) {
        return new KwireClientMetrics(client, observer);
    }
}
