package io.kwire.sample;

import io.kwire.spring.boot.test.EmbeddedBrokerConfiguration;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Import;

/**
 * The kwire sample: a web page and a JSON API over a Kafka cluster, spoken to with the kwire client.
 *
 * <p>With no {@code kwire.client.bootstrap-servers} set it starts a single-node Kafka broker in this JVM
 * ({@link EmbeddedBrokerConfiguration}, from kwire's test support); set the property to use a cluster of your own.
 * Its tests start their broker with {@code @EmbeddedKwireBroker}, which makes that configuration back off.
 */
@SpringBootApplication
@Import(EmbeddedBrokerConfiguration.class)
public class SampleApplication {

    public static void main(String[] args) {
        SpringApplication.run(SampleApplication.class, args);
    }
}
