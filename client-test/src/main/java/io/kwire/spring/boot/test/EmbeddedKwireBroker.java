package io.kwire.spring.boot.test;

import io.kwire.client.SecurityProtocol;
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
 *   <li>a {@code KwireClientConnectionDetails} bean with the brokers' addresses, security protocol, for
 *       {@link Listener#SSL} and {@link Listener#SASL_SSL} the SSL bundle below and, for the SASL listeners, the test
 *       kit's super user over SASL/PLAIN: it replaces {@code kwire.client.bootstrap-servers} and the security
 *       properties, whatever the application's configuration says;</li>
 *   <li>for a TLS listener, an SSL bundle named {@value EmbeddedBroker#SSL_BUNDLE_NAME} in Spring Boot's
 *       {@code SslBundles}: trust in the CA made for the brokers at start (their certificate names
 *       {@code localhost} and 127.0.0.1, so the client's hostname verification stays on) and, with
 *       {@link #clientCertificate()}, a client certificate; other clients can use it by name
 *       ({@code spring.kafka.ssl.bundle=kwire-embedded});</li>
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

    /** The kind of client listener: PLAINTEXT unless asked. */
    Listener listener() default Listener.PLAINTEXT;

    /**
     * With {@link Listener#SSL} or {@link Listener#SASL_SSL}: the brokers require a client certificate (mutual TLS),
     * which the SSL bundle carries, issued by the same CA as theirs.
     */
    boolean clientCertificate() default false;

    /** Topics to create before the context starts, each with {@link #partitions()} partitions. */
    String[] topics() default {};

    /** Partitions of each topic in {@link #topics()}; the replication factor is the number of brokers, at most 3. */
    int partitions() default 1;

    /** Broker properties as {@code name=value}, e.g. {@code "log.segment.bytes=1048576"}. */
    String[] brokerProperties() default {};

    /**
     * The client listener's security protocol. A TLS listener is an extra listener on each broker beside the test
     * kit's own (plain) one, with a certificate for {@code localhost} made at start in a temporary directory.
     */
    enum Listener {
        PLAINTEXT,
        /** SASL/PLAIN with the test kit's users; an ACL authorizer is on, the client gets the super user. */
        SASL_PLAINTEXT,
        /** TLS; the client trusts the brokers' CA through the SSL bundle. */
        SSL,
        /** SASL/PLAIN over TLS: the users and authorizer of {@link #SASL_PLAINTEXT}, the trust of {@link #SSL}. */
        SASL_SSL;

        /** The kwire client's protocol for this listener (of the same name). */
        public SecurityProtocol securityProtocol() {
            return SecurityProtocol.valueOf(name());
        }

        /** Whether clients authenticate with SASL/PLAIN. */
        public boolean isSasl() {
            return securityProtocol().usesSasl();
        }

        /** Whether the listener speaks TLS. */
        public boolean isTls() {
            return securityProtocol().usesTls();
        }
    }
}
