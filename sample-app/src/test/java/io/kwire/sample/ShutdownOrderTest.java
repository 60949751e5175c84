package io.kwire.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.kwire.KwireClient;
import io.kwire.spring.boot.test.EmbeddedBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.DestructionAwareBeanPostProcessor;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.TypeExcludeFilter;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.classreading.MetadataReader;
import org.springframework.core.type.classreading.MetadataReaderFactory;

/**
 * Stopping the app stops the client first, then the embedded broker, and removes the broker's data. A context of
 * its own (with its own broker), since closing it is the point.
 */
class ShutdownOrderTest {

    static final List<String> destroyed = new CopyOnWriteArrayList<>();

    @Test
    void closesTheClientBeforeTheBrokerAndDeletesTheBrokersData() {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(SampleApplication.class,
                RecordDestruction.class)
                // Not a @SpringBootTest: keep the other test classes' nested configurations out of the scan.
                .initializers(c -> c.getBeanFactory().registerSingleton("skipTestClasses", new SkipTestClasses()))
                // As arguments, which win over application.yml (default properties would lose to it).
                .run("--server.port=0", "--spring.main.banner-mode=off");
        EmbeddedBroker broker = context.getBean(EmbeddedBroker.class);
        KwireClient client = context.getBean(KwireClient.class);
        Path data = broker.dataDirectory();
        assertThat(data).exists();
        assertThat(client.isRunning()).isTrue();

        context.close();

        assertThat(destroyed).containsSubsequence("kwireClient", "embeddedKafkaBroker");
        assertThat(client.isRunning()).isFalse();
        assertThat(broker.isRunning()).isFalse();
        assertThat(Files.exists(data)).as("broker data directory %s deleted", data).isFalse();
    }

    /** Leaves out classes nested in test classes, as {@code @SpringBootTest} does. */
    static final class SkipTestClasses extends TypeExcludeFilter {

        @Override
        public boolean match(MetadataReader reader, MetadataReaderFactory factory) {
            String enclosing = reader.getClassMetadata().getEnclosingClassName();
            return enclosing != null && enclosing.endsWith("Test");
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof SkipTestClasses;
        }

        @Override
        public int hashCode() {
            return SkipTestClasses.class.hashCode();
        }
    }

    /** Notes the order in which the client and the broker beans are destroyed. */
    @Configuration(proxyBeanMethods = false)
    static class RecordDestruction {

        @Bean
        static DestructionAwareBeanPostProcessor recordDestruction() {
            return new DestructionAwareBeanPostProcessor() {
                @Override
                public void postProcessBeforeDestruction(Object bean, String beanName) {
                    if (bean instanceof KwireClient) {
                        // It must already be closed by its lifecycle bean, before any bean is destroyed.
                        destroyed.add(((KwireClient) bean).isRunning() ? "kwireClient(running!)" : "kwireClient");
                    } else if (bean instanceof EmbeddedBroker) {
                        destroyed.add("embeddedKafkaBroker");
                    }
                }

                @Override
                public boolean requiresDestruction(Object bean) {
                    return bean instanceof KwireClient || bean instanceof EmbeddedBroker;
                }
            };
        }
    }
}
