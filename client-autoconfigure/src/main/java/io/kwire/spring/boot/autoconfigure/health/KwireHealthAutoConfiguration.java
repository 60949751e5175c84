package io.kwire.spring.boot.autoconfigure.health;

import io.kwire.KwireClient;
import io.kwire.spring.boot.autoconfigure.KwireClientAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * The {@code kwire} health indicator, when Spring Boot's health module ({@code spring-boot-health}, which
 * {@code spring-boot-starter-actuator} brings) is present and there is one {@link KwireClient}. Turned off with
 * {@code management.health.kwire.enabled=false}.
 */
@AutoConfiguration(after = KwireClientAutoConfiguration.class)
@ConditionalOnClass({ KwireClient.class, HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class })
@ConditionalOnSingleCandidate(KwireClient.class)
@ConditionalOnEnabledHealthIndicator("kwire")
public final class KwireHealthAutoConfiguration {

    /** Named so that the contributor is called {@code kwire}. */
    @Bean
    @ConditionalOnMissingBean(name = "kwireHealthIndicator")
    KwireHealthIndicator kwireHealthIndicator(KwireClient client) {
        return new KwireHealthIndicator(client);
    }
}
