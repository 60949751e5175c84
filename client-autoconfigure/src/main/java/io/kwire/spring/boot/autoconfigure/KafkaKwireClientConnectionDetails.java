package io.kwire.spring.boot.autoconfigure;

import io.kwire.client.SecurityProtocol;
import java.util.List;
import java.util.Locale;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.ssl.SslBundle;

/**
 * {@link KwireClientConnectionDetails} read from Spring Boot's {@link KafkaConnectionDetails}, which
 * {@code spring.kafka.*}, {@code @ServiceConnection} and Docker Compose produce: its bootstrap servers, security
 * protocol and SSL bundle (the top-level ones, which Boot's admin, producer and consumer settings default to). It
 * carries no SASL credentials, so {@code kwire.client.sasl.*} stays in charge of those. Only loaded when
 * {@code spring-boot-kafka} is on the class path; immutable.
 */
class KafkaKwireClientConnectionDetails implements KwireClientConnectionDetails {

    private final KafkaConnectionDetails kafka;

    KafkaKwireClientConnectionDetails(KafkaConnectionDetails kafka) {
        this.kafka = kafka;
    }

    @Override
    public List<String> getBootstrapServers() {
        return kafka.getBootstrapServers();
    }

    @Override
    public SecurityProtocol getSecurityProtocol() {
        String protocol = kafka.getSecurityProtocol();
        if (protocol == null || protocol.isBlank()) {
            return null;
        }
        try {
            return SecurityProtocol.valueOf(protocol.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new SpringPropertyConfigException("securityProtocol", "spring.kafka.security.protocol",
                    "The security protocol '" + protocol + "' of Spring Boot's KafkaConnectionDetails, which kwire uses"
                            + " because kwire.client.bootstrap-servers is not set, is not one of "
                            + List.of(SecurityProtocol.values()),
                    "Update spring.kafka.security.protocol (or the @ServiceConnection or KafkaConnectionDetails bean"
                            + " that gives it) to one of " + List.of(SecurityProtocol.values()) + ", or set"
                            + " kwire.client.bootstrap-servers for kwire to use its own kwire.client.* properties.");
        }
    }

    @Override
    public SslBundle getSslBundle() {
        return kafka.getSslBundle();
    }

    @Override
    public String toString() {
        // The bundle holds key material: name the servers and protocol only.
        return "KafkaKwireClientConnectionDetails[bootstrapServers=" + kafka.getBootstrapServers()
                + ", securityProtocol=" + kafka.getSecurityProtocol() + "]";
    }
}
