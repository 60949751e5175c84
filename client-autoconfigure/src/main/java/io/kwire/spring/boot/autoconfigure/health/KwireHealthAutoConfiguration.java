package io.kwire.spring.boot.autoconfigure.health;

import io.kwire.KwireClient;
import io.kwire.spring.boot.autoconfigure.KwireClientAutoConfiguration;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.CompositeHealthContributorConfiguration;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * The {@code kwire} health contributor, when Spring Boot's health module ({@code spring-boot-health}, which
 * {@code spring-boot-starter-actuator} brings) is present and there is a {@link KwireClient}: with one client,
 * one {@link KwireHealthIndicator} named {@code kwire}; with several, a composite {@code kwire} with one indicator
 * per client, named after its bean (as Boot does for several data sources). Turned off with
 * {@code management.health.kwire.enabled=false}.
 */
@AutoConfiguration(after = KwireClientAutoConfiguration.class)
@ConditionalOnClass({ KwireClient.class, HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class })
@ConditionalOnBean(KwireClient.class)
@ConditionalOnEnabledHealthIndicator("kwire")
public class KwireHealthAutoConfiguration
        extends CompositeHealthContributorConfiguration<KwireHealthIndicator, KwireClient> {

    public KwireHealthAutoConfiguration() {
        super(KwireHealthIndicator::new);
    }

    /** Named so that the contributor is called {@code kwire}; an application bean of either name replaces it. */
    @Bean
    @ConditionalOnMissingBean(name = { "kwireHealthIndicator", "kwireHealthContributor" })
    HealthContributor kwireHealthContributor(ConfigurableListableBeanFactory beanFactory) {
        return createContributor(beanFactory, KwireClient.class);
    }
}
