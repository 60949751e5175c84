package io.kwire.spring.boot.autoconfigure.actuate;

import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Keeps kwire's passwords out of the actuator endpoints that show configuration ({@code configprops}, {@code env}),
 * when the actuator ({@code spring-boot-actuator}) is present. Not tied to {@code kwire.client.enabled} or to a
 * client bean: the properties can be set, and shown, either way.
 */
@AutoConfiguration
@ConditionalOnClass(SanitizingFunction.class)
public final class KwireActuatorAutoConfiguration {

    /** Boot's endpoints apply every {@link SanitizingFunction} bean. */
    @Bean
    @ConditionalOnMissingBean
    KwireSecretsSanitizingFunction kwireSecretsSanitizingFunction() {
        return new KwireSecretsSanitizingFunction();
    }
}
