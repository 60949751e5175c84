package io.kwire.spring.boot.test;

import io.kwire.spring.boot.autoconfigure.KwireClientConnectionDetails;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/**
 * An embedded broker for an application run without a cluster, for development and demos: import it
 * ({@code @Import(EmbeddedBrokerConfiguration.class)}) and, when {@code kwire.client.bootstrap-servers} is not set
 * and no other {@link KwireClientConnectionDetails} bean exists (an {@link EmbeddedKwireBroker @EmbeddedKwireBroker}
 * test's, say), the application starts one PLAINTEXT {@link EmbeddedBroker} and points the kwire client at it
 * through a {@link KwireClientConnectionDetails} bean (the starter's own details back off). Not an
 * auto-configuration: a broker starts only where an application asks for one.
 *
 * <p>Shutdown order: the kwire client's configuration is made from these connection details, which depend on the
 * broker bean, so Spring destroys the client before the broker; the client's lifecycle bean closes it even earlier,
 * in the lifecycle stop phase, before any bean is destroyed.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(NoBootstrapServersCondition.class)
public class EmbeddedBrokerConfiguration {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedBrokerConfiguration.class);

    @Bean(destroyMethod = "close")
    EmbeddedBroker embeddedKwireBroker() {
        EmbeddedBroker broker = EmbeddedBroker.start();
        log.info(
                "No kwire.client.bootstrap-servers set: using the embedded broker at {} (set the property to use "
                        + "your own cluster)", broker.bootstrapServers());
        return broker;
    }

    @Bean
    KwireClientConnectionDetails embeddedBrokerConnectionDetails(EmbeddedBroker broker) {
        return broker.connectionDetails();
    }
}
