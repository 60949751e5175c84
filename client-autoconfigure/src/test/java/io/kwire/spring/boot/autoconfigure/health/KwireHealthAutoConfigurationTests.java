package io.kwire.spring.boot.autoconfigure.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.kwire.KwireClient;
import io.kwire.client.ClientStatus;
import io.kwire.spring.boot.autoconfigure.FakeKwireClient;
import io.kwire.spring.boot.autoconfigure.KwireClientAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthContributors;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class KwireHealthAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(KwireClientAutoConfiguration.class,
                    KwireHealthAutoConfiguration.class))
            .withBean("kwireClient", KwireClient.class, FakeKwireClient::new);

    @Test
    void registersTheKwireIndicatorReadingTheClient() {
        runner.run(context -> {
            // One client: the contributor is the indicator itself, named kwire after the bean.
            assertThat(context).hasSingleBean(KwireHealthIndicator.class).hasBean("kwireHealthContributor");
            // Started by the lifecycle, no metadata yet: still bootstrapping.
            assertThat(context.getBean(KwireHealthIndicator.class).health().getStatus()).isEqualTo(Status.UNKNOWN);
        });
    }

    @Test
    void twoClientsGetOneIndicatorEachUnderTheirBeanNames() {
        FakeKwireClient down = new FakeKwireClient();
        down.status(ClientStatus.builder().running(false).build());
        runner.withBean("auditClient", KwireClient.class, () -> down).run(context -> {
            HealthContributor contributor = context.getBean("kwireHealthContributor", HealthContributor.class);
            assertThat(contributor).isInstanceOf(CompositeHealthContributor.class);
            CompositeHealthContributor composite = (CompositeHealthContributor) contributor;
            assertThat(composite.stream().map(HealthContributors.Entry::name)).containsExactlyInAnyOrder(
                    "kwireClient", "auditClient");
            assertThat(((HealthIndicator) composite.getContributor("auditClient")).health().getStatus())
                    .isEqualTo(Status.DOWN);
            assertThat(((HealthIndicator) composite.getContributor("kwireClient")).health().getStatus())
                    .isEqualTo(Status.UNKNOWN);
        });
    }

    @Test
    void theHealthEndpointShowsBothClientsUnderKwire() {
        runner.withBean("auditClient", KwireClient.class, FakeKwireClient::new)
                .withConfiguration(AutoConfigurations.of(HealthContributorRegistryAutoConfiguration.class,
                        HealthEndpointAutoConfiguration.class))
                .run(context -> {
                    HealthEndpoint endpoint = context.getBean(HealthEndpoint.class);
                    assertThat(endpoint.healthForPath("kwire", "kwireClient")).isNotNull();
                    assertThat(endpoint.healthForPath("kwire", "auditClient")).isNotNull();
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
