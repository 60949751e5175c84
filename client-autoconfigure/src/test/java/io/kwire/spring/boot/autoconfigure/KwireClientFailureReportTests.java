package io.kwire.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.kwire.KwireClient;
import io.kwire.client.KafkaClientConfig;
import io.kwire.errors.ConfigException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.env.OriginTrackedMapPropertySource;
import org.springframework.boot.origin.OriginTrackedValue;
import org.springframework.boot.origin.TextResourceOrigin;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.core.io.support.SpringFactoriesLoader.ArgumentResolver;
import org.springframework.core.io.support.SpringFactoriesLoader.FailureHandler;
import org.springframework.core.io.ClassPathResource;
import org.springframework.validation.FieldError;

/** What a user reads when kwire's configuration stops the application: the property, its origin, the fix. */
class KwireClientFailureReportTests {

    @TempDir
    Path dir;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(KwireClientAutoConfiguration.class, SslAutoConfiguration.class))
            .withUserConfiguration(FakeClientConfiguration.class);

    @Test
    void aMissingSslBundleIsReportedOnTheBundlePropertyWithTheBundlesThatExist() throws Exception {
        Path store = TestKeyStores.selfSigned(dir, "t.p12", "secret");
        runner.withPropertyValues("spring.ssl.bundle.jks.kafka.truststore.location=file:" + store,
                        "spring.ssl.bundle.jks.kafka.truststore.password=secret",
                        "kwire.client.security-protocol=SSL", "kwire.client.ssl.bundle=kafak")
                .run(context -> {
                    FailureAnalysis analysis = analyze(context);
                    assertThat(analysis.getDescription()).contains("Property: kwire.client.ssl.bundle")
                            .contains("SSL bundle 'kafak', which the application does not define")
                            .contains("it defines [kafka]");
                });
    }

    @Test
    void theOpenSslEngineWithAnSslBundleIsReportedOnTheEngineProperty() throws Exception {
        Path store = TestKeyStores.selfSigned(dir, "o.p12", "secret");
        runner.withPropertyValues("spring.ssl.bundle.jks.kafka.truststore.location=file:" + store,
                        "spring.ssl.bundle.jks.kafka.truststore.password=secret",
                        "kwire.client.security-protocol=SSL", "kwire.client.ssl.bundle=kafka",
                        "kwire.client.ssl.engine=openssl")
                .run(context -> {
                    FailureAnalysis analysis = analyze(context);
                    assertThat(analysis.getDescription()).contains("Property: kwire.client.ssl.engine")
                            .contains("kwire.client.ssl.engine OPENSSL builds its TLS context from the key and trust")
                            .contains("SSL bundle 'kafka'");
                });
    }

    @Test
    void anSslBundleWhoseFilesFailToLoadIsReportedOnTheBundleProperty() {
        // A PEM bundle loads its files when its SSLContext is made, inside kwire's configuration.
        runner.withPropertyValues("spring.ssl.bundle.pem.kafka.truststore.certificate=file:" + dir + "/absent.crt",
                        "kwire.client.security-protocol=SSL", "kwire.client.ssl.bundle=kafka")
                .run(context -> {
                    FailureAnalysis analysis = analyze(context);
                    assertThat(analysis.getDescription()).contains("Property: kwire.client.ssl.bundle")
                            .contains("SSL bundle 'kafka'").contains("absent.crt");
                });
    }

    @Test
    void aStoreBundleWhoseFileIsMissingIsReportedOnTheBundleProperty() {
        runner.withPropertyValues("spring.ssl.bundle.jks.kafka.truststore.location=file:" + dir + "/absent.p12",
                        "spring.ssl.bundle.jks.kafka.truststore.password=secret",
                        "kwire.client.security-protocol=SSL", "kwire.client.ssl.bundle=kafka")
                .run(context -> {
                    FailureAnalysis analysis = analyze(context);
                    assertThat(analysis.getDescription()).contains("Property: kwire.client.ssl.bundle")
                            .contains("SSL bundle 'kafka'").contains("absent.p12");
                });
    }

    @Test
    void bootGivesTheAnalyzerTheEnvironmentSoReportsCarryTheOrigin() {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("app", Map.of(
                "kwire.client.reconnect-backoff-max", "10ms")));
        List<FailureAnalyzer> analyzers = SpringFactoriesLoader.forDefaultResourceLocation(getClass().getClassLoader())
                .load(FailureAnalyzer.class, ArgumentResolver.of(Environment.class, environment),
                        FailureHandler.handleMessage((message, failure) -> { })); // others also want a BeanFactory
        FailureAnalyzer kwire = analyzers.stream().filter(KwireClientConfigFailureAnalyzer.class::isInstance)
                .findFirst().orElseThrow();
        FailureAnalysis analysis = kwire.analyze(new ConfigException("reconnectBackoffMax", "too small"));
        assertThat(analysis.getDescription()).contains("Origin: \"kwire.client.reconnect-backoff-max\" from "
                + "property source \"app\"");
    }

    @Test
    void aNegativeShutdownTimeoutIsRefusedAtBindingNamingTheProperty() {
        runner.withPropertyValues("kwire.client.lifecycle.shutdown-timeout=-1s").run(context -> {
            assertThat(context).hasFailed();
            BindValidationException failure = findCause(context.getStartupFailure(), BindValidationException.class);
            assertThat(failure.getValidationErrors().getName().toString()).isEqualTo("kwire.client");
            assertThat(failure.getValidationErrors().getAllErrors()).singleElement()
                    .asInstanceOf(InstanceOfAssertFactories.type(FieldError.class)).satisfies(error -> {
                        assertThat(error.getField()).isEqualTo("lifecycle.shutdownTimeout");
                        assertThat(error.getDefaultMessage()).isEqualTo("must not be negative, got PT-1S");
                    });
            assertThat(findCause(context.getStartupFailure(), BindException.class).getName().toString())
                    .isEqualTo("kwire.client");
        });
    }

    @Test
    void everyNegativeDurationIsRefusedAndZeroIsNot() {
        runner.withPropertyValues("kwire.client.reconnect-backoff=-5ms", "kwire.client.request-timeout=-1m")
                .run(context -> assertThat(findCause(context.getStartupFailure(), BindValidationException.class)
                        .getValidationErrors().getAllErrors()).extracting(e -> ((FieldError) e).getField())
                        .containsExactlyInAnyOrder("reconnectBackoff", "requestTimeout"));
        runner.withPropertyValues("kwire.client.lifecycle.shutdown-timeout=0s")
                .run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void theReportSaysWhereTheBadValueWasSet() {
        TextResourceOrigin origin = new TextResourceOrigin(new ClassPathResource("application.yml"),
                new TextResourceOrigin.Location(6, 4));
        AtomicReference<ConfigurableEnvironment> environment = new AtomicReference<>();
        runner.withInitializer(context -> {
                    environment.set(context.getEnvironment());
                    context.getEnvironment().getPropertySources().addFirst(new OriginTrackedMapPropertySource(
                            "application.yml", Map.of("kwire.client.reconnect-backoff-max",
                            OriginTrackedValue.of("10ms", origin))));
                })
                .run(context -> {
                    FailureAnalysis analysis = new KwireClientConfigFailureAnalyzer(environment.get())
                            .analyze(context.getStartupFailure());
                    assertThat(analysis.getDescription())
                            .contains("Property: kwire.client.reconnect-backoff-max\n"
                                    + "    Origin: class path resource [application.yml]")
                            .contains(" - 7:5");
                });
    }

    @Test
    void aValueFromAnUntrackedSourceNamesThatSource() {
        AtomicReference<ConfigurableEnvironment> environment = new AtomicReference<>();
        runner.withInitializer(context -> environment.set(context.getEnvironment()))
                .withPropertyValues("kwire.client.reconnect-backoff-max=10ms").run(context -> {
                    FailureAnalysis analysis = new KwireClientConfigFailureAnalyzer(environment.get())
                            .analyze(context.getStartupFailure());
                    assertThat(analysis.getDescription()).contains("Property: kwire.client.reconnect-backoff-max\n"
                            + "    Origin: \"kwire.client.reconnect-backoff-max\" from property source \"test\"");
                });
    }

    @Test
    void aValueSetByACustomizerHasNoOriginLine() {
        AtomicReference<ConfigurableEnvironment> environment = new AtomicReference<>();
        runner.withInitializer(context -> environment.set(context.getEnvironment()))
                .withBean(KwireClientCustomizer.class, () -> b -> b.reconnectBackoffMax(Duration.ofMillis(10)))
                .run(context -> {
                    FailureAnalysis analysis = new KwireClientConfigFailureAnalyzer(environment.get())
                            .analyze(context.getStartupFailure());
                    assertThat(analysis.getDescription()).contains("Property: kwire.client.reconnect-backoff-max")
                            .doesNotContain("Origin:");
                });
    }

    private static FailureAnalysis analyze(org.springframework.context.ApplicationContext context) {
        Throwable failure = ((org.springframework.boot.test.context.assertj.AssertableApplicationContext) context)
                .getStartupFailure();
        FailureAnalysis analysis = new KwireClientConfigFailureAnalyzer().analyze(failure);
        assertThat(analysis).as("analysis of %s", failure).isNotNull();
        return analysis;
    }

    private static <T extends Throwable> T findCause(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        throw new AssertionError("no " + type.getSimpleName() + " in " + failure);
    }

    @Configuration(proxyBeanMethods = false)
    static class FakeClientConfiguration {

        @Bean
        KwireClient userClient(ObjectProvider<KafkaClientConfig> config) {
            return new FakeKwireClient(config.getObject());
        }
    }
}
