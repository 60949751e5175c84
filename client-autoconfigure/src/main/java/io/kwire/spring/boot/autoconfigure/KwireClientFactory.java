package io.kwire.spring.boot.autoconfigure;

import io.kwire.KwireClient;
import io.kwire.client.ClientObserver;
import io.kwire.client.HostResolver;
import io.kwire.client.KafkaClientConfig;
import io.kwire.client.OAuthBearerTokenProvider;
import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.validation.ValidationBindHandler;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;

/**
 * Builds kwire clients the way the auto-configuration builds its own, for an application that needs more than
 * one: from a {@link KwireClientProperties} (bound from any prefix), through the same SSL bundles, observer beans,
 * {@link KwireClientObserverFactory per-client observers} (metrics), OAuth token provider, host resolver and
 * {@link KwireClientCustomizer}s. Every {@link KwireClient} bean in the context is started and closed by
 * {@link KwireClientLifecycle} and shows up in health and metrics under its bean name, however it was made.
 *
 * <p>Defining a {@code KwireClient} bean makes the auto-configured one back off, so an application with two
 * clients defines both (marking the one that other beans get by type {@code @Primary}):
 * <pre>{@code
 * @Bean @Primary
 * KwireClient kwireClient(KafkaClientConfig config) {     // kwire.client.*, as auto-configured
 *     return KwireClient.create(config);
 * }
 *
 * @Bean
 * KwireClient auditClient(KwireClientFactory clients) {   // audit.kwire.*
 *     return clients.create("audit.kwire");
 * }
 * }</pre>
 * Key material locations may be {@code classpath:} resources; one inside a jar is copied to a private temporary
 * file, deleted when the context closes. Any thread may call it.
 */
public final class KwireClientFactory implements DisposableBean {

    private final Environment environment;
    private final ObjectProvider<SslBundles> sslBundles;
    private final ObjectProvider<ClientObserver> observers;
    private final ObjectProvider<KwireClientObserverFactory> observerFactories;
    private final ObjectProvider<OAuthBearerTokenProvider> oauthTokenProvider;
    private final ObjectProvider<HostResolver> hostResolver;
    private final ObjectProvider<KwireClientCustomizer> customizers;
    private final KeyMaterialFiles keyMaterialFiles;

    KwireClientFactory(Environment environment, ResourceLoader resourceLoader,
                       ObjectProvider<SslBundles> sslBundles,
                       ObjectProvider<ClientObserver> observers,
                       ObjectProvider<KwireClientObserverFactory> observerFactories,
                       ObjectProvider<OAuthBearerTokenProvider> oauthTokenProvider,
                       ObjectProvider<HostResolver> hostResolver,
                       ObjectProvider<KwireClientCustomizer> customizers) {
        this.environment = environment;
        this.sslBundles = sslBundles;
        this.observers = observers;
        this.observerFactories = observerFactories;
        this.oauthTokenProvider = oauthTokenProvider;
        this.hostResolver = hostResolver;
        this.customizers = customizers;
        this.keyMaterialFiles = new KeyMaterialFiles(resourceLoader);
    }

    /**
     * A client configured by the properties under {@code prefix} (the same names as under {@code kwire.client},
     * e.g. {@code audit.kwire.bootstrap-servers}); created, not started.
     */
    public KwireClient create(String prefix) {
        return create(bind(prefix));
    }

    /** A client configured by {@code properties}; created, not started. */
    public KwireClient create(KwireClientProperties properties) {
        KafkaClientConfig config = createConfig(properties);
        KwireClient client = KwireClient.create(config);
        SslBundleReloads.watch(client, config, properties, new PropertiesKwireClientConnectionDetails(properties),
                sslBundles.getIfAvailable());
        return client;
    }

    /**
     * The properties under {@code prefix}, bound like {@code kwire.client.*} (defaults where nothing is set, and
     * negative durations refused with a {@link org.springframework.boot.context.properties.bind.BindException}).
     */
    public KwireClientProperties bind(String prefix) {
        return Binder.get(environment).bindOrCreate(prefix, Bindable.of(KwireClientProperties.class),
                new ValidationBindHandler(NonNegativeDurations.VALIDATOR));
    }

    /** The configuration for {@code properties}, which also give the connection details. */
    public KafkaClientConfig createConfig(KwireClientProperties properties) {
        return createConfig(properties, new PropertiesKwireClientConnectionDetails(properties));
    }

    /** The configuration for {@code properties}, with {@code details} in charge of where and how to connect. */
    public KafkaClientConfig createConfig(KwireClientProperties properties, KwireClientConnectionDetails details) {
        List<ClientObserver> all = new ArrayList<>(observers.orderedStream().toList());
        observerFactories.orderedStream().forEach(f -> all.add(f.createObserver()));
        return KwireClientConfigFactory.create(properties, details, sslBundles.getIfAvailable(), all,
                oauthTokenProvider.getIfUnique(), hostResolver.getIfUnique(), customizers.orderedStream().toList(),
                keyMaterialFiles);
    }

    /**
     * Deletes the temporary copies of key material that was not a file (a {@code classpath:} entry in a jar). The
     * context destroys this bean after the clients whose configurations it built, which depend on it.
     */
    @Override
    public void destroy() {
        keyMaterialFiles.close();
    }

    KeyMaterialFiles keyMaterialFiles() {
        return keyMaterialFiles;
    }
}
