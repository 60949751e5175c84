package io.kwire.spring.boot.autoconfigure;

import io.kwire.client.Password;
import io.kwire.client.SecurityProtocol;
import java.util.List;

/** {@link KwireClientConnectionDetails} read from {@code kwire.client.*}; the default when no bean is defined. */
class PropertiesKwireClientConnectionDetails implements KwireClientConnectionDetails {

    private final KwireClientProperties properties;

    PropertiesKwireClientConnectionDetails(KwireClientProperties properties) {
        this.properties = properties;
    }

    @Override
    public List<String> getBootstrapServers() {
        return properties.getBootstrapServers();
    }

    @Override
    public SecurityProtocol getSecurityProtocol() {
        return properties.getSecurityProtocol();
    }

    @Override
    public SaslCredentials getSaslCredentials() {
        KwireClientProperties.Sasl sasl = properties.getSasl();
        return new SaslCredentials(sasl.getMechanism(), sasl.getUsername(), Password.of(sasl.getPassword()));
    }
}
