package io.kwire.sample.broker;

import java.util.List;
import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when {@code kwire.client.bootstrap-servers} is not set (or set to nothing but blanks), in any form Spring
 * Boot binds: {@code kwire.client.bootstrap-servers=a:9092,b:9092}, the indexed form
 * {@code kwire.client.bootstrap-servers[0]=...}, or the environment variable {@code KWIRE_CLIENT_BOOTSTRAPSERVERS}.
 */
class NoBootstrapServersCondition extends SpringBootCondition {

    static final String PROPERTY = "kwire.client.bootstrap-servers";

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        ConditionMessage.Builder message = ConditionMessage.forCondition("Embedded Kafka broker");
        List<String> servers = Binder.get(context.getEnvironment())
                .bind(PROPERTY, Bindable.listOf(String.class))
                .orElse(List.of());
        List<String> given = servers.stream().filter(s -> s != null && !s.isBlank()).toList();
        if (given.isEmpty()) {
            return ConditionOutcome.match(message.didNotFind("property").items(PROPERTY));
        }
        return ConditionOutcome.noMatch(message.found("property").items(PROPERTY + "=" + String.join(",", given)));
    }
}
