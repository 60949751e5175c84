package io.kwire.spring.boot.autoconfigure;

import io.kwire.KwireClient;
import io.kwire.client.KafkaClientConfig;
import io.kwire.errors.ClientClosedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ssl.SslBundles;

/**
 * Passes a reloaded SSL bundle on to the client built from it: when the bundle that
 * {@code kwire.client.ssl.bundle} names reloads ({@code spring.ssl.bundle.*.<name>.reload-on-update=true}), the
 * client gets the bundle's new SSL context through {@link KwireClient#updateSslContext}; new connections use it, and
 * with {@code kwire.client.ssl.recycle-connections} the open ones move over. A context the client cannot take is
 * logged and the client keeps the one it has. Stateless; Boot calls the handler on its file watcher's thread.
 */
final class SslBundleReloads {

    private static final Logger log = LoggerFactory.getLogger(SslBundleReloads.class);

    private SslBundleReloads() {
    }

    /**
     * Registers {@code client} for updates of the bundle its properties name, when its configuration took the SSL
     * context from that bundle (not from the connection details' bundle, or a context of the application's own).
     */
    static void watch(KwireClient client, KafkaClientConfig config, KwireClientProperties properties,
                      KwireClientConnectionDetails details, SslBundles sslBundles) {
        String name = properties.getSsl().getBundle();
        if (sslBundles == null || name == null || name.isBlank() || details.getSslBundle() != null
                || config.sslContext().isEmpty()) {
            return;
        }
        sslBundles.addBundleUpdateHandler(name, bundle -> {
            try {
                client.updateSslContext(bundle.createSslContext());
                log.info("SSL bundle '{}' reloaded: the kwire client's new connections use it", name);
            } catch (ClientClosedException e) {
                log.debug("SSL bundle '{}' reloaded after the kwire client closed", name);
            } catch (RuntimeException e) {
                log.warn("SSL bundle '{}' reloaded, but the kwire client keeps its TLS material: {}", name,
                        e.getMessage());
            }
        });
    }
}
