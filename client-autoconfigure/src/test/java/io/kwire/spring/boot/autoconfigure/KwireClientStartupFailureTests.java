package io.kwire.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kwire.KwireClient;
import io.kwire.client.KafkaClientConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The failure report an application prints, through Boot's real start-up path (spring.factories lookup included). */
@ExtendWith(OutputCaptureExtension.class)
class KwireClientStartupFailureTests {

    @Test
    void invalidPropertyStopsTheApplicationWithAReportNamingIt(CapturedOutput output) {
        SpringApplication application = new SpringApplication(App.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        assertThatThrownBy(() -> application.run("--kwire.client.reconnect-backoff-max=10ms",
                "--kwire.client.sasl.password=do-not-print-me")).isNotNull();
        assertThat(output).contains("APPLICATION FAILED TO START")
                .contains("Property: kwire.client.reconnect-backoff-max")
                .contains("kwire.client.reconnect-backoff-max must be >= kwire.client.reconnect-backoff (50 ms), got 10 ms")
                .doesNotContain("do-not-print-me");
    }

    @Test
    void apiVersionOlderThanAnyBrokerWithApiVersionsIsReportedAsTheApiVersionProperty(CapturedOutput output) {
        SpringApplication application = new SpringApplication(App.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        assertThatThrownBy(() -> application.run("--kwire.client.api-version=0.1")).isNotNull();
        assertThat(output).contains("APPLICATION FAILED TO START")
                .contains("Property: kwire.client.api-version")
                .contains("kwire.client.api-version must be a Kafka release from 0.10.0 on");
    }

    @Test
    void oauthBearerWithoutATokenProviderBeanPrintsWhichBeanToDefine(CapturedOutput output) {
        SpringApplication application = new SpringApplication(App.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        assertThatThrownBy(() -> application.run("--kwire.client.security-protocol=SASL_PLAINTEXT",
                "--kwire.client.sasl.mechanism=OAUTHBEARER")).isNotNull();
        assertThat(output).contains("APPLICATION FAILED TO START")
                .contains("Define a bean of type io.kwire.client.OAuthBearerTokenProvider")
                .contains("or set saslOauthTokenProvider in a KwireClientCustomizer");
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(KwireClientAutoConfiguration.class)
    static class App {

        @Bean
        KwireClient kwireClient(KafkaClientConfig config) {
            return new FakeKwireClient(config);
        }
    }
}
