package io.kwire.spring.boot.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Starts real Kafka brokers (the kwire test kit's in-JVM KRaft cluster) for a Spring test context and points the
 * kwire client at them, as spring-kafka's {@code @EmbeddedKafka} does for its templates:
 *
 * <pre>{@code
 * @SpringBootTest
 * @EmbeddedKwireBroker(topics = "orders")
 * class OrdersTests {
 *     @Autowired KwireClient kafka;       // connected to the embedded broker
 *     @Autowired EmbeddedBroker broker;   // to create topics, stop and restart brokers
 * }
 * }</pre>
 *
 * <p>The brokers start while the test context is made and belong to it: Spring's test context cache shares them
 * among test classes with the same configuration (the same attributes here), and they stop, with their data
 * deleted, when the context closes ({@code @DirtiesContext}, or the end of the test run). The context gets:
 * <ul>
 *   <li>an {@link EmbeddedBroker} bean named {@value EmbeddedBroker#BEAN_NAME};</li>
 *   <li>a {@code KwireClientConnectionDetails} bean with the brokers' addresses, security protocol and, for
 *       {@link Listener#SASL_PLAINTEXT}, the test kit's super user over SASL/PLAIN: it replaces
 *       {@code kwire.client.bootstrap-servers} and the security properties, whatever the application's
 *       configuration says;</li>
 *   <li>with {@code spring-boot-kafka} on the class path, Spring Boot's {@code KafkaConnectionDetails} for the same
 *       addresses and protocol too, so spring-kafka's templates in the application reach the same brokers (for a
 *       SASL listener, spring-kafka still needs its own {@code sasl.jaas.config});</li>
 *   <li>the property {@value #BOOTSTRAP_SERVERS_PROPERTY} with the addresses, for other clients'
 *       placeholders.</li>
 * </ul>
 *
 * <p>Registered through {@code META-INF/spring.factories} (a {@code ContextCustomizerFactory}): adding
 * {@code io.kwire:kwire-spring-boot-test} to the test class path is all the set-up there is.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
public @interface EmbeddedKwireBroker {

    /** The property holding the brokers' {@code host:port} addresses, comma separated. */
    String BOOTSTRAP_SERVERS_PROPERTY = "kwire.embedded-broker.bootstrap-servers";

    /** Number of brokers: 1 (default) or more; one controller, on the first broker's node. */
    int brokers() default 1;

    /** The kind of client listener. */
    Listener listener() default Listener.PLAINTEXT;

    /** Topics to create before the context starts, each with {@link #partitions()} partitions. */
    String[] topics() default {};

    /** Partitions of each topic in {@link #topics()}; the replication factor is the number of brokers, at most 3. */
    int partitions() default 1;

    /** Broker properties as {@code name=value}, e.g. {@code "log.segment.bytes=1048576"}. */
    String[] brokerProperties() default {};

    /**
     * The client listener's security protocol. Kafka's in-JVM test kit (4.1) supports these two only; a TLS
     * listener needs a broker in its own process (the test kit's {@code ExternalKafkaBroker}).
     */
    enum Listener {
        PLAINTEXT,
        /** SASL/PLAIN with the test kit's users; an ACL authorizer is on, the client gets the super user. */
        SASL_PLAINTEXT
    }
}
