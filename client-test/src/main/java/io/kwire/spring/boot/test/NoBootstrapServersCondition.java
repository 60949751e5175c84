package io.kwire.spring.boot.test;

import io.kwire.spring.boot.autoconfigure.KwireClientConnectionDetails;
import java.util.List;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when the application names no Kafka cluster: {@code kwire.client.bootstrap-servers} is not set (or set to
 * nothing but blanks) in any form Spring Boot binds ({@code kwire.client.bootstrap-servers=a:9092,b:9092}, the
 * indexed form {@code kwire.client.bootstrap-servers[0]=...}, the environment variable
 * {@code KWIRE_CLIENT_BOOTSTRAPSERVERS}), and no {@link KwireClientConnectionDetails} bean was registered before the
 * configuration classes were read (as {@link EmbeddedKwireBroker @EmbeddedKwireBroker} registers one).
 */
final class NoBootstrapServersCondition extends SpringBootCondition {

    static final String PROPERTY = "kwire.client.bootstrap-servers";

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        ConditionMessage.Builder message = ConditionMessage.forCondition("Embedded Kafka broker");
        List<String> servers = Binder.get(context.getEnvironment())
                .bind(PROPERTY, Bindable.listOf(String.class))
                .orElse(List.of());
        List<String> given = servers.stream().filter(s -> s != null && !s.isBlank()).toList();
        if (!given.isEmpty()) {
            return ConditionOutcome.noMatch(message.found("property").items(PROPERTY + "=" + String.join(",", given)));
        }
        ConfigurableListableBeanFactory beans = context.getBeanFactory();
        String[] details = beans == null ? new String[0]
                : beans.getBeanNamesForType(KwireClientConnectionDetails.class, true, false);
        if (details.length > 0) {
            return ConditionOutcome.noMatch(message.found("connection details bean").items((Object[]) details));
        }
        return ConditionOutcome.match(message.didNotFind("property").items(PROPERTY));
    }
}
