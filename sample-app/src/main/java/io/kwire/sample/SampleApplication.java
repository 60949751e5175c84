package io.kwire.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The kwire sample: a web page and a JSON API over a Kafka cluster, spoken to with the kwire client.
 *
 * <p>With no {@code kwire.client.bootstrap-servers} set it starts a single-node Kafka broker in this JVM (see
 * {@link io.kwire.sample.broker.EmbeddedBrokerConfiguration}); set the property to use a cluster of your own.
 */
@SpringBootApplication
public class SampleApplication {

    public static void main(String[] args) {
        SpringApplication.run(SampleApplication.class, args);
    }
}
