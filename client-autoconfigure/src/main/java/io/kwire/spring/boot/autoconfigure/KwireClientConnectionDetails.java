package io.kwire.spring.boot.autoconfigure;

import io.kwire.client.Password;
import io.kwire.client.SecurityProtocol;
import java.util.List;
import org.springframework.boot.autoconfigure.service.connection.ConnectionDetails;
import org.springframework.boot.ssl.SslBundle;

/**
 * Where the kwire client connects and, optionally, how it authenticates: the part of the configuration that a
 * platform (a test container, a service binding) knows better than the application's properties. Define a bean
 * of this type to override {@code kwire.client.bootstrap-servers}; by default one is built from the properties,
 * or from Spring Boot's {@code KafkaConnectionDetails} when the application has one and does not set
 * {@code kwire.client.bootstrap-servers}.
 *
 * <p>A method returning {@code null} leaves the matching properties in charge, so a bean that only knows the
 * address keeps the application's TLS and SASL settings.
 */
public interface KwireClientConnectionDetails extends ConnectionDetails {

    /** Bootstrap addresses as {@code host[:port]}. */
    List<String> getBootstrapServers();

    /** The security protocol, or {@code null} for {@code kwire.client.security-protocol}. */
    default SecurityProtocol getSecurityProtocol() {
        return null;
    }

    /**
     * The SSL bundle for TLS connections, or {@code null} for {@code kwire.client.ssl.bundle} (or, without one,
     * {@code kwire.client.ssl.*}). A bundle given here is used even when {@code kwire.client.ssl.bundle} names
     * another, since the platform that knows the address knows the certificates that go with it.
     */
    default SslBundle getSslBundle() {
        return null;
    }

    /** SASL credentials, or {@code null} for {@code kwire.client.sasl.*}. */
    default SaslCredentials getSaslCredentials() {
        return null;
    }

    /**
     * A SASL mechanism with user name and password (PLAIN, SCRAM); {@link #toString()} hides the password.
     *
     * @param mechanism SASL mechanism name, e.g. {@code SCRAM-SHA-512}
     * @param username  user name
     * @param password  password
     */
    record SaslCredentials(String mechanism, String username, Password password) {
    }
}
