package io.kwire.spring.boot.autoconfigure.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import io.kwire.KwireClient;
import io.kwire.spring.boot.autoconfigure.FakeKwireClient;
import io.kwire.spring.boot.autoconfigure.KwireClientAutoConfiguration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.autoconfigure.context.properties.ConfigurationPropertiesReportEndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.env.EnvironmentEndpointAutoConfiguration;
import org.springframework.boot.actuate.context.properties.ConfigurationPropertiesReportEndpoint;
import org.springframework.boot.actuate.context.properties.ConfigurationPropertiesReportEndpoint.ConfigurationPropertiesBeanDescriptor;
import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.actuate.env.EnvironmentEndpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** What Boot's real configprops and env endpoints show of kwire's properties while they show values. */
class KwireActuatorAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(KwireClientAutoConfiguration.class,
                    KwireActuatorAutoConfiguration.class, EndpointAutoConfiguration.class,
                    ConfigurationPropertiesReportEndpointAutoConfiguration.class,
                    EnvironmentEndpointAutoConfiguration.class))
            .withBean(KwireClient.class, FakeKwireClient::new)
            .withPropertyValues("management.endpoints.web.exposure.include=configprops,env",
                    "management.endpoint.configprops.show-values=always",
                    "management.endpoint.env.show-values=always",
                    "kwire.client.client-id=orders-service",
                    "kwire.client.sasl.username=orders",
                    "kwire.client.sasl.password=sasl-secret",
                    "kwire.client.ssl.password=pem-secret",
                    "kwire.client.ssl.keystore-password=keystore-secret",
                    "kwire.client.ssl.key-password=key-secret",
                    "kwire.client.ssl.truststore-password=truststore-secret",
                    "kwire.client.proxy.url=socks5://app:proxy-secret@proxy.example:1080");

    @Test
    void configpropsMasksKwireSecretsButShowsTheOtherKwireProperties() {
        runner.run(context -> {
            Map<String, Object> properties = kwireProperties(context);
            Map<?, ?> sasl = (Map<?, ?>) properties.get("sasl");
            Map<?, ?> ssl = (Map<?, ?>) properties.get("ssl");
            assertThat(sasl.get("password")).isEqualTo(SanitizableData.SANITIZED_VALUE);
            assertThat(ssl.get("password")).isEqualTo(SanitizableData.SANITIZED_VALUE);
            assertThat(ssl.get("keystorePassword")).isEqualTo(SanitizableData.SANITIZED_VALUE);
            assertThat(ssl.get("keyPassword")).isEqualTo(SanitizableData.SANITIZED_VALUE);
            assertThat(ssl.get("truststorePassword")).isEqualTo(SanitizableData.SANITIZED_VALUE);
            assertThat(((Map<?, ?>) properties.get("proxy")).get("url"))
                    .isEqualTo("socks5://app:[hidden]@proxy.example:1080");
            assertThat(sasl.get("username")).isEqualTo("orders");
            assertThat(properties.get("clientId")).isEqualTo("orders-service");
            assertThat(ssl.get("keystoreType")).isEqualTo("PKCS12");
            assertThat(properties.toString()).doesNotContain("secret");
        });
    }

    @Test
    void envMasksKwireSecretsButShowsTheOtherKwireProperties() {
        runner.run(context -> {
            EnvironmentEndpoint env = context.getBean(EnvironmentEndpoint.class);
            for (String secret : KwireSecretsSanitizingFunction.SECRET_PROPERTIES) {
                assertThat(env.environmentEntry(secret).getProperty().getValue()).as(secret)
                        .isEqualTo(SanitizableData.SANITIZED_VALUE);
            }
            assertThat(env.environmentEntry("kwire.client.sasl.username").getProperty().getValue())
                    .isEqualTo("orders");
            assertThat(env.environmentEntry("kwire.client.proxy.url").getProperty().getValue())
                    .isEqualTo("socks5://app:[hidden]@proxy.example:1080");
        });
    }

    @Test
    void secretKeysAreRecognizedInEveryFormTheEndpointsUse() {
        assertThat(KwireSecretsSanitizingFunction.isSecret("kwire.client.ssl.keystorePassword")).isTrue();
        assertThat(KwireSecretsSanitizingFunction.isSecret("kwire.client.ssl.keystore-password")).isTrue();
        assertThat(KwireSecretsSanitizingFunction.isSecret("KWIRE_CLIENT_SSL_KEYSTOREPASSWORD")).isTrue();
        assertThat(KwireSecretsSanitizingFunction.isSecret("KWIRE_CLIENT_SASL_PASSWORD")).isTrue();
        assertThat(KwireSecretsSanitizingFunction.isSecret("kwire.client.sasl.username")).isFalse();
        assertThat(KwireSecretsSanitizingFunction.isSecret("kwire.client.ssl.keystore-location")).isFalse();
        assertThat(KwireSecretsSanitizingFunction.isSecret("spring.datasource.password")).isFalse();
        SanitizableData nullValue = new SanitizableData(null, "kwire.client.sasl.password", null);
        assertThat(new KwireSecretsSanitizingFunction().apply(nullValue).getValue()).isNull();
    }

    @Test
    void backsOffWithoutTheActuator() {
        new ApplicationContextRunner().withClassLoader(new FilteredClassLoader(SanitizingFunction.class))
                .withConfiguration(AutoConfigurations.of(KwireClientAutoConfiguration.class,
                        KwireActuatorAutoConfiguration.class))
                .withBean(KwireClient.class, FakeKwireClient::new)
                .run(context -> assertThat(context).hasNotFailed()
                        .doesNotHaveBean(KwireSecretsSanitizingFunction.class));
    }

    @Test
    void worksWhenTheClientIsDisabled() {
        runner.withPropertyValues("kwire.client.enabled=false").run(context -> {
            assertThat(context).hasSingleBean(KwireSecretsSanitizingFunction.class);
            assertThat(context.getBean(EnvironmentEndpoint.class).environmentEntry("kwire.client.sasl.password")
                    .getProperty().getValue()).isEqualTo(SanitizableData.SANITIZED_VALUE);
        });
    }

    private static Map<String, Object> kwireProperties(AssertableApplicationContext context) {
        ConfigurationPropertiesReportEndpoint endpoint = context.getBean(ConfigurationPropertiesReportEndpoint.class);
        ConfigurationPropertiesBeanDescriptor bean = endpoint.configurationPropertiesWithPrefix("kwire.client")
                .getContexts().get(context.getId()).getBeans().values().iterator().next();
        assertThat(bean.getPrefix()).isEqualTo("kwire.client");
        return bean.getProperties();
    }
}
