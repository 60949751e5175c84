package io.kwire.spring.boot.autoconfigure;

import io.kwire.KwireClient;
import io.kwire.client.ClientObserver;
import io.kwire.client.KafkaClientConfig;
import io.kwire.client.OAuthBearerTokenProvider;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;

/**
 * The kwire client as a bean: {@code kwire.client.*} properties, then {@link KwireClientConnectionDetails}, then
 * the SSL bundle, then every {@link ClientObserver} bean (composed), then the {@link OAuthBearerTokenProvider} bean
 * (when there is exactly one, or one is primary), then {@link KwireClientCustomizer}s in order, make the
 * {@link KafkaClientConfig}; the client is created from it but not started, and
 * {@link KwireClientLifecycle} starts and stops it with the context. Every bean backs off when the application
 * defines its own; {@code kwire.client.enabled=false} turns the whole module off.
 */
@AutoConfiguration(after = SslAutoConfiguration.class)
@ConditionalOnClass(KwireClient.class)
@ConditionalOnBooleanProperty(name = "kwire.client.enabled", matchIfMissing = true)
@EnableConfigurationProperties(KwireClientProperties.class)
public final class KwireClientAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(KwireClientConnectionDetails.class)
    PropertiesKwireClientConnectionDetails kwireClientConnectionDetails(KwireClientProperties properties) {
        return new PropertiesKwireClientConnectionDetails(properties);
    }

    @Bean
    @ConditionalOnMissingBean
    KafkaClientConfig kwireClientConfig(KwireClientProperties properties, KwireClientConnectionDetails details,
                                        ObjectProvider<SslBundles> sslBundles,
                                        ObjectProvider<KwireClientCustomizer> customizers,
                                        ObjectProvider<ClientObserver> observers,
                                        ObjectProvider<OAuthBearerTokenProvider> oauthTokenProvider) {
        return KwireClientConfigFactory.create(properties, details, sslBundles.getIfAvailable(),
                observers.orderedStream().toList(), oauthTokenProvider.getIfUnique(),
                customizers.orderedStream().toList());
    }

    /** Created, not started: {@link KwireClientLifecycle} starts it once every singleton exists. */
    @Bean
    @ConditionalOnMissingBean
    KwireClient kwireClient(KafkaClientConfig config) {
        return KwireClient.create(config);
    }

    @Bean
    @ConditionalOnMissingBean
    KwireClientLifecycle kwireClientLifecycle(KwireClient client, KwireClientProperties properties) {
        KwireClientProperties.Lifecycle lifecycle = properties.getLifecycle();
        return new KwireClientLifecycle(client, lifecycle.getPhase(), lifecycle.getShutdownTimeout(),
                lifecycle.isAutoStartup());
    }
}
