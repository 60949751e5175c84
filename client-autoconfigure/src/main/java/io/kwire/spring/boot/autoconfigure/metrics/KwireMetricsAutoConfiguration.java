package io.kwire.spring.boot.autoconfigure.metrics;

import io.kwire.KwireClient;
import io.kwire.spring.boot.autoconfigure.KwireClientAutoConfiguration;
import io.kwire.spring.boot.autoconfigure.KwireClientObserverFactory;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Micrometer meters for the kwire clients, when Micrometer is present and there is a {@link MeterRegistry}: a
 * {@link KwireClientObserverFactory} puts a new {@link KwireMetricsObserver} into every client configuration the
 * auto-configuration builds (beside the application's observer beans), and {@link KwireClientsMeterBinder} binds
 * each {@link KwireClient} bean's meters tagged with its bean name. Ordered after Boot's registry
 * auto-configurations (by name, so that their module is not needed at compile time).
 */
@AutoConfiguration(after = KwireClientAutoConfiguration.class, afterName = {
        "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration" })
@ConditionalOnClass({ KwireClient.class, MeterRegistry.class })
@ConditionalOnBean({ MeterRegistry.class, KwireClient.class })
public final class KwireMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "kwireMetricsObserverFactory")
    KwireClientObserverFactory kwireMetricsObserverFactory() {
        return KwireMetricsObserver::new;
    }

    @Bean
    @ConditionalOnMissingBean
    KwireClientsMeterBinder kwireClientsMeterBinder(Map<String, KwireClient> clients) {
        return new KwireClientsMeterBinder(clients);
    }
}
