package io.kwire.spring.boot.autoconfigure.observation;

import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;

/**
 * The observation {@value #NAME} per request, named {@code kwire <API>} in traces (e.g. {@code kwire Metadata}).
 * Low-cardinality keys, also tags of the timer Micrometer makes from it: {@code api} (the {@code ApiKey} name, as on
 * {@code kwire.client.requests}), {@code outcome} (SUCCESS, TIMEOUT, DISCONNECTED, FAILED), {@code client.id},
 * {@code client.name} (the client's bean name). High-cardinality keys, on spans only: {@code node}, {@code version},
 * {@code correlation.id} ({@code -1} for a request that never went out on a connection).
 */
public class DefaultKwireRequestObservationConvention implements KwireRequestObservationConvention {

    /** The observation's name. */
    public static final String NAME = "kwire.client.request";

    public static final DefaultKwireRequestObservationConvention INSTANCE = new DefaultKwireRequestObservationConvention();

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public String getContextualName(KwireRequestObservationContext context) {
        return "kwire " + context.api().displayName();
    }

    @Override
    public KeyValues getLowCardinalityKeyValues(KwireRequestObservationContext context) {
        return KeyValues.of(KeyValue.of("api", context.api().name()),
                KeyValue.of("outcome", context.outcome() == null ? "UNKNOWN" : context.outcome().name()),
                KeyValue.of("client.id", String.valueOf(context.clientId())),
                KeyValue.of("client.name", String.valueOf(context.clientName())));
    }

    @Override
    public KeyValues getHighCardinalityKeyValues(KwireRequestObservationContext context) {
        return KeyValues.of(KeyValue.of("node", Integer.toString(context.nodeId())),
                KeyValue.of("version", Integer.toString(context.version())),
                KeyValue.of("correlation.id", Integer.toString(context.correlationId())));
    }
}
