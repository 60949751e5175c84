package io.kwire.spring.boot.autoconfigure.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.kwire.KwireClient;
import io.kwire.spring.boot.autoconfigure.FakeKwireClient;
import io.kwire.spring.boot.autoconfigure.KwireClientAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class KwireHealthAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(KwireClientAutoConfiguration.class,
                    KwireHealthAutoConfiguration.class))
            .withBean(KwireClient.class, FakeKwireClient::new);

    @Test
    void registersTheKwireIndicatorReadingTheClient() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(KwireHealthIndicator.class).hasBean("kwireHealthIndicator");
            // Started by the lifecycle, no metadata yet: still bootstrapping.
            assertThat(context.getBean(KwireHealthIndicator.class).health().getStatus()).isEqualTo(Status.UNKNOWN);
        });
    }

    @Test
    void backsOffWhenTheHealthModuleIsAbsent() {
        runner.withClassLoader(new FilteredClassLoader(HealthIndicator.class))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(KwireHealthIndicator.class));
    }

    @Test
    void backsOffWhenDisabledByProperty() {
        runner.withPropertyValues("management.health.kwire.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(KwireHealthIndicator.class));
    }

    @Test
    void backsOffWhenTheClientIsDisabled() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(KwireClientAutoConfiguration.class,
                        KwireHealthAutoConfiguration.class))
                .withPropertyValues("kwire.client.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(KwireHealthIndicator.class));
    }

    @Test
    void userIndicatorWins() {
        HealthIndicator own = () -> org.springframework.boot.health.contributor.Health.up().build();
        runner.withBean("kwireHealthIndicator", HealthIndicator.class, () -> own)
                .run(context -> assertThat(context).doesNotHaveBean(KwireHealthIndicator.class));
    }
}
