package io.kwire.spring.boot.autoconfigure;

import io.kwire.client.KafkaClientConfig;

/**
 * Changes the client configuration after the properties, connection details, SSL bundle and the OAuth token provider
 * and host resolver beans were applied and before it is built: for what YAML cannot say (a socket option, a custom
 * {@link io.kwire.client.Time}). An OAuth token provider is simplest as an
 * {@link io.kwire.client.OAuthBearerTokenProvider} bean; one set here replaces that bean. Customizer beans run in
 * {@link org.springframework.core.Ordered} / {@link org.springframework.core.annotation.Order @Order} order.
 * Observers are better registered as {@link io.kwire.client.ClientObserver} beans, which are combined with the
 * metrics observer; an observer set here is added to them, not put in their place.
 */
@FunctionalInterface
public interface KwireClientCustomizer {

    void customize(KafkaClientConfig.Builder builder);
}
