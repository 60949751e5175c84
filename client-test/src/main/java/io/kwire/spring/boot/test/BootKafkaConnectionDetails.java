package io.kwire.spring.boot.test;

import java.util.List;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.ssl.SslBundle;

/**
 * Spring Boot's {@link KafkaConnectionDetails} for an {@link EmbeddedBroker}, so that spring-kafka in the same
 * application reaches the embedded brokers too (Boot's own details back off when this bean exists), with the SSL
 * bundle of a TLS listener. Only loaded
 * when {@code spring-boot-kafka} is on the class path.
 */
record BootKafkaConnectionDetails(EmbeddedBroker broker) implements KafkaConnectionDetails {

    static final String BEAN_NAME = "embeddedKwireBrokerKafkaConnectionDetails";

    static void register(ConfigurableListableBeanFactory beans, EmbeddedBroker broker) {
        beans.registerSingleton(BEAN_NAME, new BootKafkaConnectionDetails(broker));
    }

    @Override
    public List<String> getBootstrapServers() {
        return broker.bootstrapServerList();
    }

    @Override
    public String getSecurityProtocol() {
        return broker.listener().name();
    }

    @Override
    public SslBundle getSslBundle() {
        return broker.sslBundle();
    }
}
