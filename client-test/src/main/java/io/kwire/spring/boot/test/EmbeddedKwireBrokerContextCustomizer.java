package io.kwire.spring.boot.test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.DefaultSingletonBeanRegistry;
import org.springframework.boot.autoconfigure.ssl.SslBundleRegistrar;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.MergedContextConfiguration;
import org.springframework.util.ClassUtils;

/**
 * Starts the brokers an {@link EmbeddedKwireBroker} annotation asks for while Spring makes the test context, and
 * registers them (closed with the context) with their connection details. Equal for equal attributes, so Spring's
 * context cache gives test classes with the same annotation one context, and so one set of brokers.
 */
final class EmbeddedKwireBrokerContextCustomizer implements ContextCustomizer {

    static final String CONNECTION_DETAILS_BEAN = "embeddedKwireBrokerConnectionDetails";
    static final String SSL_BUNDLE_REGISTRAR_BEAN = "embeddedKwireBrokerSslBundleRegistrar";
    private static final String BOOT_KAFKA_DETAILS = "org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails";

    /** The annotation's attributes, compared by value (arrays as lists). */
    private record Settings(int brokers, EmbeddedKwireBroker.Listener listener, boolean clientCertificate,
                            List<String> topics, int partitions, Map<String, String> brokerProperties) {
    }

    private final Settings settings;

    EmbeddedKwireBrokerContextCustomizer(EmbeddedKwireBroker annotation) {
        if (annotation.brokers() < 1) {
            throw new IllegalArgumentException("@EmbeddedKwireBroker(brokers = " + annotation.brokers()
                    + "): at least 1 broker");
        }
        if (annotation.partitions() < 1) {
            throw new IllegalArgumentException("@EmbeddedKwireBroker(partitions = " + annotation.partitions()
                    + "): at least 1 partition");
        }
        if (annotation.clientCertificate() && !annotation.listener().isTls()) {
            throw new IllegalArgumentException("@EmbeddedKwireBroker(clientCertificate = true) needs a TLS listener: "
                    + "set listener = SSL or SASL_SSL (it is " + annotation.listener() + ")");
        }
        this.settings = new Settings(annotation.brokers(), annotation.listener(), annotation.clientCertificate(),
                List.of(annotation.topics()), annotation.partitions(), brokerProperties(annotation.brokerProperties()));
    }

    private static Map<String, String> brokerProperties(String[] pairs) {
        Map<String, String> properties = new LinkedHashMap<>();
        for (String pair : pairs) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("@EmbeddedKwireBroker(brokerProperties = \"" + pair
                        + "\"): write each as name=value, e.g. \"log.segment.bytes=1048576\"");
            }
            properties.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
        }
        return Map.copyOf(properties);
    }

    @Override
    public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration config) {
        EmbeddedBroker broker = EmbeddedBroker.start(settings.brokers(), settings.listener(),
                settings.clientCertificate(), settings.brokerProperties());
        try {
            for (String topic : settings.topics()) {
                broker.createTopic(topic, settings.partitions(), Math.min(3, settings.brokers()));
            }
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
        ConfigurableListableBeanFactory beans = context.getBeanFactory();
        beans.registerSingleton(EmbeddedBroker.BEAN_NAME, broker);
        // Registered before any bean of the context: destroyed after all of them, once the clients are closed.
        ((DefaultSingletonBeanRegistry) beans).registerDisposableBean(EmbeddedBroker.BEAN_NAME, broker::close);
        beans.registerSingleton(CONNECTION_DETAILS_BEAN, broker.connectionDetails());
        SslBundle bundle = broker.sslBundle();
        if (bundle != null) {
            // Boot's SslAutoConfiguration hands every SslBundleRegistrar bean its registry
            beans.registerSingleton(SSL_BUNDLE_REGISTRAR_BEAN,
                    (SslBundleRegistrar) registry -> registry.registerBundle(EmbeddedBroker.SSL_BUNDLE_NAME, bundle));
        }
        if (ClassUtils.isPresent(BOOT_KAFKA_DETAILS, context.getClassLoader())) {
            BootKafkaConnectionDetails.register(beans, broker);
        }
        context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("embeddedKwireBroker",
                Map.of(EmbeddedKwireBroker.BOOTSTRAP_SERVERS_PROPERTY, broker.bootstrapServers())));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EmbeddedKwireBrokerContextCustomizer other && settings.equals(other.settings);
    }

    @Override
    public int hashCode() {
        return settings.hashCode();
    }

    @Override
    public String toString() {
        return "@EmbeddedKwireBroker" + settings;
    }
}
