package io.kwire.spring.boot.autoconfigure;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Where the {@link KwireClientConnectionDetails} bean comes from when the application defines none, imported in
 * this order: Boot's {@link KafkaConnectionDetails} when {@code spring-boot-kafka} is present, there is one such
 * bean and {@code kwire.client.bootstrap-servers} is not set (so {@code @ServiceConnection}, Docker Compose and
 * {@code spring.kafka.bootstrap-servers} configure kwire with no kwire-specific line); otherwise
 * {@code kwire.client.*}. Setting {@code kwire.client.bootstrap-servers} always keeps kwire on its own properties.
 */
final class KwireClientConnectionDetailsConfigurations {

    private static final String BOOTSTRAP_SERVERS = KwireClientPropertyNames.PREFIX + "bootstrap-servers";

    private KwireClientConnectionDetailsConfigurations() {
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails")
    static class FromBootKafka {

        @Bean
        @ConditionalOnMissingBean(KwireClientConnectionDetails.class)
        KwireClientConnectionDetails kwireClientConnectionDetails(KwireClientProperties properties,
                                                                  ObjectProvider<KafkaConnectionDetails> kafka,
                                                                  Environment environment) {
            KafkaConnectionDetails details = kafka.getIfUnique();
            if (details == null || namesServers(environment)) {
                return new PropertiesKwireClientConnectionDetails(properties);
            }
            return new KafkaKwireClientConnectionDetails(details);
        }

        private static boolean namesServers(Environment environment) {
            return Binder.get(environment).bind(BOOTSTRAP_SERVERS, Bindable.listOf(String.class)).isBound();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class FromProperties {

        @Bean
        @ConditionalOnMissingBean(KwireClientConnectionDetails.class)
        KwireClientConnectionDetails kwireClientConnectionDetails(KwireClientProperties properties) {
            return new PropertiesKwireClientConnectionDetails(properties);
        }
    }
}
