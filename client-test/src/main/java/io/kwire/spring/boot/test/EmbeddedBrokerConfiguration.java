package io.kwire.sample.broker;

import io.kwire.spring.boot.autoconfigure.KwireClientConnectionDetails;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/**
 * When {@code kwire.client.bootstrap-servers} is not set: starts an {@link EmbeddedKafkaBroker} and points the
 * kwire client at it through a {@link KwireClientConnectionDetails} bean, Spring Boot's service-connection pattern
 * (the starter's own properties-based details back off when this bean exists).
 *
 * <p>Shutdown order: the kwire client's configuration is made from these connection details, which depend on the
 * broker bean, so Spring destroys the client before the broker; the client's lifecycle bean closes it even earlier,
 * in the lifecycle stop phase, before any bean is destroyed.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(NoBootstrapServersCondition.class)
public class EmbeddedBrokerConfiguration {

    @Bean(destroyMethod = "close")
    EmbeddedKafkaBroker embeddedKafkaBroker() {
        return EmbeddedKafkaBroker.start();
    }

    @Bean
    KwireClientConnectionDetails embeddedBrokerConnectionDetails(EmbeddedKafkaBroker broker) {
        return new EmbeddedBrokerConnectionDetails(broker.bootstrapServerList());
    }

    /** Only the address: security settings stay with {@code kwire.client.*} (the embedded broker is PLAINTEXT). */
    record EmbeddedBrokerConnectionDetails(List<String> bootstrapServers) implements KwireClientConnectionDetails {

        @Override
        public List<String> getBootstrapServers() {
            return bootstrapServers;
        }
    }
}
