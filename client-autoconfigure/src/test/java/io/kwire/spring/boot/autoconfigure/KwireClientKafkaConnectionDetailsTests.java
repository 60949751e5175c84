package io.kwire.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.kwire.KwireClient;
import io.kwire.client.KafkaClientConfig;
import io.kwire.client.SecurityProtocol;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Spring Boot's {@link KafkaConnectionDetails} as the source of kwire's connection details, and its precedence. */
class KwireClientKafkaConnectionDetailsTests {

    @TempDir
    Path dir;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(KwireClientAutoConfiguration.class, SslAutoConfiguration.class))
            .withUserConfiguration(FakeClientConfiguration.class);

    @Test
    void aKafkaConnectionDetailsBeanAloneConfiguresTheClient() throws Exception {
        Path store = TestKeyStores.selfSigned(dir, "boot.p12", "secret");
        runner.withPropertyValues(bundle(store))
                .withUserConfiguration(BootDetailsWithBundle.class)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    KafkaClientConfig config = context.getBean(KafkaClientConfig.class);
                    assertThat(config.bootstrapServers()).containsExactly("container:32768");
                    assertThat(config.securityProtocol()).isEqualTo(SecurityProtocol.SSL);
                    assertThat(config.sslContext()).isPresent();
                    assertThat(config.sslEnabledProtocols()).containsExactly("TLSv1.3");
                    assertThat(context.getBean(KwireClientConnectionDetails.class).toString())
                            .contains("container:32768").doesNotContain("secret");
                });
    }

    @Test
    void kwiresOwnBootstrapServersWinOverBootsDetails() {
        runner.withPropertyValues("kwire.client.bootstrap-servers=kwire:9092")
                .withBean(KafkaConnectionDetails.class, () -> () -> List.of("boot:9092"))
                .run(context -> {
                    assertThat(context.getBean(KafkaClientConfig.class).bootstrapServers())
                            .containsExactly("kwire:9092");
                    assertThat(context).getBean(KwireClientConnectionDetails.class)
                            .isInstanceOf(PropertiesKwireClientConnectionDetails.class);
                });
    }

    @Test
    void kwiresServersSetInIndexedFormStillWin() {
        runner.withPropertyValues("kwire.client.bootstrap-servers[0]=kwire:9092")
                .withBean(KafkaConnectionDetails.class, () -> () -> List.of("boot:9092"))
                .run(context -> assertThat(context.getBean(KafkaClientConfig.class).bootstrapServers())
                        .containsExactly("kwire:9092"));
    }

    @Test
    void bootsDetailsWithoutAProtocolKeepKwiresSecurityProperties() {
        runner.withPropertyValues("kwire.client.security-protocol=SASL_PLAINTEXT",
                        "kwire.client.sasl.mechanism=PLAIN", "kwire.client.sasl.username=u",
                        "kwire.client.sasl.password=p")
                .withBean(KafkaConnectionDetails.class, () -> () -> List.of("boot:9092"))
                .run(context -> {
                    KafkaClientConfig config = context.getBean(KafkaClientConfig.class);
                    assertThat(config.bootstrapServers()).containsExactly("boot:9092");
                    assertThat(config.securityProtocol()).isEqualTo(SecurityProtocol.SASL_PLAINTEXT);
                    assertThat(config.saslPlainUsername()).contains("u");
                });
    }

    @Test
    void springKafkaPropertiesConfigureKwireThroughBootsAutoConfiguration() {
        runner.withConfiguration(AutoConfigurations.of(KafkaAutoConfiguration.class))
                .withPropertyValues("spring.kafka.bootstrap-servers=from-spring-kafka:9092",
                        "spring.kafka.security.protocol=SASL_PLAINTEXT", "kwire.client.sasl.mechanism=PLAIN",
                        "kwire.client.sasl.username=u", "kwire.client.sasl.password=p")
                .run(context -> {
                    KafkaClientConfig config = context.getBean(KafkaClientConfig.class);
                    assertThat(config.bootstrapServers()).containsExactly("from-spring-kafka:9092");
                    assertThat(config.securityProtocol()).isEqualTo(SecurityProtocol.SASL_PLAINTEXT);
                });
    }

    @Test
    void theApplicationsOwnKwireDetailsWinOverBoots() {
        runner.withBean(KafkaConnectionDetails.class, () -> () -> List.of("boot:9092"))
                .withBean(KwireClientConnectionDetails.class, () -> () -> List.of("own:9092"))
                .run(context -> assertThat(context.getBean(KafkaClientConfig.class).bootstrapServers())
                        .containsExactly("own:9092"));
    }

    @Test
    void withoutSpringBootKafkaKwireReadsItsProperties() {
        runner.withClassLoader(new FilteredClassLoader(KafkaConnectionDetails.class))
                .withPropertyValues("kwire.client.bootstrap-servers=kwire:9092")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(KafkaClientConfig.class).bootstrapServers())
                            .containsExactly("kwire:9092");
                });
    }

    @Test
    void anUnknownProtocolFromBootNamesWhereItCameFrom() {
        runner.withBean(KafkaConnectionDetails.class, () -> new BootDetails(List.of("boot:9092"), "TLS", null))
                .run(context -> {
                    FailureAnalysis analysis = new KwireClientConfigFailureAnalyzer()
                            .analyze(context.getStartupFailure());
                    assertThat(analysis.getDescription()).contains("Property: spring.kafka.security.protocol")
                            .contains("'TLS'").doesNotContain("kwire.client.security-protocol");
                    assertThat(analysis.getAction()).startsWith("Update spring.kafka.security.protocol")
                            .contains("kwire.client.bootstrap-servers");
                });
    }

    @Test
    void kwiresOwnDetailsMayCarryAnSslBundle() throws Exception {
        Path store = TestKeyStores.selfSigned(dir, "own.p12", "secret");
        runner.withPropertyValues(bundle(store)).withPropertyValues("kwire.client.security-protocol=SSL")
                .withUserConfiguration(OwnDetailsWithBundle.class)
                .run(context -> {
                    KafkaClientConfig config = context.getBean(KafkaClientConfig.class);
                    assertThat(config.sslContext()).isPresent();
                    assertThat(config.sslEnabledProtocols()).containsExactly("TLSv1.3");
                });
    }

    @Test
    void aBundleFromTheDetailsOnAPlaintextClientNamesTheSecurityProtocol() throws Exception {
        Path store = TestKeyStores.selfSigned(dir, "plain.p12", "secret");
        runner.withPropertyValues(bundle(store)).withUserConfiguration(OwnDetailsWithBundle.class)
                .run(context -> {
                    FailureAnalysis analysis = new KwireClientConfigFailureAnalyzer()
                            .analyze(context.getStartupFailure());
                    assertThat(analysis.getDescription()).contains("Property: kwire.client.security-protocol")
                            .contains("the SSL bundle of the connection details");
                });
    }

    private static String[] bundle(Path store) {
        return new String[] {"spring.ssl.bundle.jks.kafka.truststore.location=file:" + store,
                "spring.ssl.bundle.jks.kafka.truststore.password=secret",
                "spring.ssl.bundle.jks.kafka.options.enabled-protocols=TLSv1.3"};
    }

    /** Boot's details as a {@code @ServiceConnection} for a TLS container would give them. */
    private static final class BootDetails implements KafkaConnectionDetails {

        private final List<String> servers;
        private final String protocol;
        private final SslBundle bundle;

        BootDetails(List<String> servers, String protocol, SslBundle bundle) {
            this.servers = servers;
            this.protocol = protocol;
            this.bundle = bundle;
        }

        @Override
        public List<String> getBootstrapServers() {
            return servers;
        }

        @Override
        public String getSecurityProtocol() {
            return protocol;
        }

        @Override
        public SslBundle getSslBundle() {
            return bundle;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class FakeClientConfiguration {

        @Bean
        KwireClient userClient(KafkaClientConfig config) {
            return new FakeKwireClient(config);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class BootDetailsWithBundle {

        @Bean
        KafkaConnectionDetails bootDetails(SslBundles bundles) {
            return new BootDetails(List.of("container:32768"), "ssl", bundles.getBundle("kafka"));
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnDetailsWithBundle {

        @Bean
        KwireClientConnectionDetails ownDetails(SslBundles bundles) {
            SslBundle bundle = bundles.getBundle("kafka");
            return new KwireClientConnectionDetails() {
                @Override
                public List<String> getBootstrapServers() {
                    return List.of("own:9093");
                }

                @Override
                public SslBundle getSslBundle() {
                    return bundle;
                }
            };
        }
    }
}
