package io.kwire.spring.boot.autoconfigure.observation;

import io.kwire.KwireClient;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Wraps every {@link KwireClient} bean, however it was made, in an {@link ObservedKwireClient} named after the bean,
 * when the context has an {@link ObservationRegistry}. The registry and the application's
 * {@link KwireRequestObservationConvention} are looked up when the first client is made, not when this
 * post-processor is, so that they are made as ordinary beans.
 */
final class KwireObservationPostProcessor implements BeanPostProcessor {

    private final ObjectProvider<ObservationRegistry> registry;
    private final ObjectProvider<KwireRequestObservationConvention> convention;

    KwireObservationPostProcessor(ObjectProvider<ObservationRegistry> registry,
                                  ObjectProvider<KwireRequestObservationConvention> convention) {
        this.registry = registry;
        this.convention = convention;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (!(bean instanceof KwireClient client) || bean instanceof ObservedKwireClient) {
            return bean;
        }
        ObservationRegistry observations = registry.getIfUnique();
        if (observations == null || observations.isNoop()) {
            return bean;
        }
        return new ObservedKwireClient(client, beanName, observations, convention.getIfUnique());
    }
}
