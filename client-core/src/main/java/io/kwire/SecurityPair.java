package io.kwire;

import io.kwire.client.KafkaClientConfig;
import io.kwire.network.AuthenticatorFactory;
import io.kwire.network.TransportFactory;
import io.kwire.security.SecurityFactories;
import java.util.function.Supplier;

/** The transport and SASL factories of a client made from its configuration alone. */
record SecurityPair(TransportFactory transports, AuthenticatorFactory authenticators) {

    /**
     * Both factories, or neither: when the SASL factory cannot be made (a Kerberos login that fails), the TLS factory
     * already made is closed, so that its OpenSSL context is not left to the collector.
     */
    static SecurityPair of(KafkaClientConfig config) {
        return of(() -> SecurityFactories.transportFactory(config),
                () -> SecurityFactories.authenticatorFactory(config));
    }

    /** As {@link #of(KafkaClientConfig)}, with the factories' makers given (tests). */
    static SecurityPair of(Supplier<TransportFactory> transportMaker,
                           Supplier<AuthenticatorFactory> authenticatorMaker) {
        TransportFactory transports = transportMaker.get();
        try {
            return new SecurityPair(transports, authenticatorMaker.get());
        } catch (RuntimeException | Error e) {
            try {
                transports.close();
            } catch (RuntimeException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }
}
