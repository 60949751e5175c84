package io.kwire.spring.boot.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.MergedContextConfiguration;

/**
 * The annotation's customizer without a test framework around it: equal for equal attributes (so the context cache
 * shares one broker), absent without the annotation, the broker closed and its data deleted when the context
 * closes, and bad attributes refused with what to write.
 */
@Timeout(120)
class EmbeddedKwireBrokerLifecycleTests {

    private final EmbeddedKwireBrokerContextCustomizerFactory factory = new EmbeddedKwireBrokerContextCustomizerFactory();

    @EmbeddedKwireBroker(topics = "a")
    static class One {
    }

    @EmbeddedKwireBroker(topics = "a")
    static class SameAsOne {
    }

    static class SubclassOfOne extends One {
    }

    @EmbeddedKwireBroker(topics = "b")
    static class Other {
    }

    static class None {
    }

    @EmbeddedKwireBroker(brokerProperties = "no-equals-sign")
    static class BadProperty {
    }

    @EmbeddedKwireBroker(clientCertificate = true)
    static class ClientCertificateWithoutTls {
    }

    @Test
    void sameAttributesGiveEqualCustomizersAndSoOneCachedContext() {
        ContextCustomizer one = factory.createContextCustomizer(One.class, List.of());
        assertThat(one).isEqualTo(factory.createContextCustomizer(SameAsOne.class, List.of()))
                .hasSameHashCodeAs(factory.createContextCustomizer(SameAsOne.class, List.of()))
                .isEqualTo(factory.createContextCustomizer(SubclassOfOne.class, List.of()))
                .isNotEqualTo(factory.createContextCustomizer(Other.class, List.of()));
        assertThat(factory.createContextCustomizer(None.class, List.of())).isNull();
    }

    @Test
    void aBadBrokerPropertyIsRefusedNamingTheFormToUse() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> factory.createContextCustomizer(BadProperty.class, List.of()))
                .withMessageContaining("no-equals-sign").withMessageContaining("name=value");
    }

    @Test
    void aClientCertificateWithoutTlsIsRefusedNamingTheListenersToUse() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> factory.createContextCustomizer(ClientCertificateWithoutTls.class, List.of()))
                .withMessageContaining("clientCertificate").withMessageContaining("listener = SSL or SASL_SSL");
    }

    @Test
    void theBrokerBelongsToTheContextAndClosesWithIt() {
        ContextCustomizer customizer = factory.createContextCustomizer(One.class, List.of());
        GenericApplicationContext context = new GenericApplicationContext();
        customizer.customizeContext(context, new MergedContextConfiguration(One.class, new String[0],
                new Class<?>[0], null, null));
        context.refresh();
        EmbeddedBroker broker = context.getBean(EmbeddedBroker.BEAN_NAME, EmbeddedBroker.class);
        Path data = broker.dataDirectory();
        assertThat(broker.isRunning()).isTrue();
        // the annotation's default: PLAINTEXT, no TLS material, no SSL bundle
        assertThat(broker.listener()).isEqualTo(EmbeddedKwireBroker.Listener.PLAINTEXT);
        assertThat(broker.sslBundle()).isNull();
        assertThat(broker.bootstrapServers()).isEqualTo(broker.cluster().bootstrapServers());
        assertThat(context.containsBean(EmbeddedKwireBrokerContextCustomizer.SSL_BUNDLE_REGISTRAR_BEAN)).isFalse();
        assertThat(context.getEnvironment().getProperty(EmbeddedKwireBroker.BOOTSTRAP_SERVERS_PROPERTY))
                .isEqualTo(broker.bootstrapServers());

        context.close();

        assertThat(broker.isRunning()).isFalse();
        assertThat(Files.exists(data)).as("data directory %s deleted", data).isFalse();
    }
}
