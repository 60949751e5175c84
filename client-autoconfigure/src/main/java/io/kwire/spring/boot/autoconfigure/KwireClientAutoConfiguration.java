package io.kwire.spring.boot.autoconfigure;

import io.kwire.KwireClient;
import io.kwire.client.ClientObserver;
import io.kwire.client.HostResolver;
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
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;

/**
 * The kwire client as a bean: {@code kwire.client.*} properties, then {@link KwireClientConnectionDetails} (the
 * application's bean; else Boot's {@code KafkaConnectionDetails} when there is one and
 * {@code kwire.client.bootstrap-servers} is not set; else the properties), then the SSL bundle, then every
 * {@link ClientObserver} bean (composed), then the {@link OAuthBearerTokenProvider} and {@link HostResolver} beans
 * (each when there is exactly one, or one is primary), then {@link KwireClientCustomizer}s in order, make the
 * {@link KafkaClientConfig}; the client is created from it but not started, and
 * {@link KwireClientLifecycle} starts and stops it, and every other {@link KwireClient} bean, with the context.
 * {@link KwireClientFactory} builds the configuration the same way for further clients. Every bean backs off when
 * the application defines its own; {@code kwire.client.enabled=false} turns the whole module off.
 */
@AutoConfiguration(after = SslAutoConfiguration.class,
        afterName = "org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration")
@ConditionalOnClass(KwireClient.class)
@ConditionalOnBooleanProperty(name = "kwire.client.enabled", matchIfMissing = true)
@EnableConfigurationProperties(KwireClientProperties.class)
@Import({ KwireClientConnectionDetailsConfigurations.FromBootKafka.class,
        KwireClientConnectionDetailsConfigurations.FromProperties.class })
public final class KwireClientAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    KwireClientFactory kwireClientFactory(Environment environment, ResourceLoader resourceLoader,
                                          ObjectProvider<SslBundles> sslBundles,
                                          ObjectProvider<ClientObserver> observers,
                                          ObjectProvider<KwireClientObserverFactory> observerFactories,
                                          ObjectProvider<OAuthBearerTokenProvider> oauthTokenProvider,
                                          ObjectProvider<HostResolver> hostResolver,
                                          ObjectProvider<KwireClientCustomizer> customizers) {
        return new KwireClientFactory(environment, resourceLoader, sslBundles, observers, observerFactories,
                oauthTokenProvider, hostResolver, customizers);
    }

    @Bean
    @ConditionalOnMissingBean
    KafkaClientConfig kwireClientConfig(KwireClientFactory factory, KwireClientProperties properties,
                                        KwireClientConnectionDetails details) {
        return factory.createConfig(properties, details);
    }

    /** Created, not started: {@link KwireClientLifecycle} starts it once every singleton exists. */
    @Bean
    @ConditionalOnMissingBean
    KwireClient kwireClient(KafkaClientConfig config, KwireClientProperties properties,
                            KwireClientConnectionDetails details, ObjectProvider<SslBundles> sslBundles) {
        KwireClient client = KwireClient.create(config);
        SslBundleReloads.watch(client, config, properties, details, sslBundles.getIfAvailable());
        return client;
    }

    @Bean
    @ConditionalOnMissingBean
    KwireClientLifecycle kwireClientLifecycle(ObjectProvider<KwireClient> clients, KwireClientProperties properties) {
        KwireClientProperties.Lifecycle lifecycle = properties.getLifecycle();
        return new KwireClientLifecycle(clients.orderedStream().toList(), lifecycle.getPhase(),
                lifecycle.getShutdownTimeout(), lifecycle.isAutoStartup());
    }
}
