package io.kwire;

import io.kwire.client.KafkaClientConfig;
import io.kwire.network.AuthenticatorFactory;
import io.kwire.network.TransportFactory;
import io.kwire.security.SecurityFactories;

/** The transport and SASL factories of a client made from its configuration alone. */
record SecurityPair(TransportFactory transports, AuthenticatorFactory authenticators) {

    /**
     * Both factories, or neither: when the SASL factory cannot be made (a Kerberos login that fails), the TLS factory
     * already made is closed, so that its OpenSSL context is not left to the collector.
     */
    static SecurityPair of(KafkaClientConfig config) {
        TransportFactory transports = SecurityFactories.transportFactory(config);
        try {
            return new SecurityPair(transports, SecurityFactories.authenticatorFactory(config));
        } catch (RuntimeException | Error e) {
            transports.close();
            throw e;
        }
    }
}
