package io.kwire.spring.boot.autoconfigure.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names a kwire request's observation and its key values. Define a bean of this type to replace
 * {@link DefaultKwireRequestObservationConvention} (or extend that and add to it).
 */
public interface KwireRequestObservationConvention extends ObservationConvention<KwireRequestObservationContext> {

    @Override
    default boolean supportsContext(Observation.Context context) {
        return context instanceof KwireRequestObservationContext;
    }
}
