package io.kwire.spring.boot.autoconfigure.observation;

import io.kwire.KwireClient;
import io.kwire.spring.boot.autoconfigure.KwireClientAutoConfiguration;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/**
 * A Micrometer {@code Observation} per kwire request ({@value DefaultKwireRequestObservationConvention#NAME}) when
 * Micrometer's observation API is present and the context has an {@link ObservationRegistry} bean (Spring Boot's
 * actuator makes one): every {@link KwireClient} bean is wrapped in an {@link ObservedKwireClient}. With a tracer
 * bridge (micrometer-tracing-bridge-brave or -otel) each request becomes a span, child of the caller's. A
 * {@link KwireRequestObservationConvention} bean replaces the default names and key values;
 * {@code management.observations.enable.kwire.client.request=false} turns the observations off.
 */
@AutoConfiguration(after = KwireClientAutoConfiguration.class,
        afterName = "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration")
@ConditionalOnClass({ KwireClient.class, ObservationRegistry.class })
@ConditionalOnBooleanProperty(name = "kwire.client.enabled", matchIfMissing = true)
public final class KwireObservationAutoConfiguration {

    /** Static: a post-processor is made before other beans, without its configuration class. */
    @Bean
    static KwireObservationPostProcessor kwireObservationPostProcessor(ObjectProvider<ObservationRegistry> registry,
            ObjectProvider<KwireRequestObservationConvention> convention) {
        return new KwireObservationPostProcessor(registry, convention);
    }
}
