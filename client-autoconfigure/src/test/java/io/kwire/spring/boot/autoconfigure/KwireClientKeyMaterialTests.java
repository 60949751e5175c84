package io.kwire.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.kwire.KwireClient;
import io.kwire.client.KafkaClientConfig;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Key material locations as Spring resources: {@code classpath:} and {@code file:} besides plain paths, and a
 * {@code classpath:} entry inside a jar (as in a packaged application), which the core cannot open as a file.
 */
class KwireClientKeyMaterialTests {

    @TempDir
    Path dir;

    private Path store;
    private byte[] storeBytes;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(KwireClientAutoConfiguration.class))
            .withUserConfiguration(FakeClientConfiguration.class);

    @BeforeEach
    void createStore() throws Exception {
        store = TestKeyStores.selfSigned(dir, "trust.p12", "secret");
        storeBytes = Files.readAllBytes(store);
    }

    @Test
    void aClasspathEntryInsideAJarIsCopiedToAPrivateFileDeletedWithTheContext() throws Exception {
        Path jar = dir.resolve("app.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new JarEntry("kafka/trust.p12"));
            out.write(storeBytes);
            out.closeEntry();
        }
        AtomicReference<Path> copy = new AtomicReference<>();
        try (URLClassLoader packaged = new URLClassLoader(new URL[] {jar.toUri().toURL()},
                getClass().getClassLoader())) {
            // SSL: the core checks that the file it is given is readable.
            runner.withClassLoader(packaged)
                    .withPropertyValues("kwire.client.ssl.truststore-location=classpath:kafka/trust.p12",
                            "kwire.client.ssl.truststore-password=secret", "kwire.client.security-protocol=SSL")
                    .run(context -> {
                        assertThat(context).hasNotFailed();
                        Path file = context.getBean(KafkaClientConfig.class).sslTruststoreLocation().orElseThrow();
                        copy.set(file);
                        assertThat(file).isRegularFile().hasBinaryContent(storeBytes);
                        assertThat(file.getFileName().toString()).startsWith("kwire-").endsWith("-trust.p12");
                        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                                    .isEqualTo("rw-------");
                        }
                    });
        }
        assertThat(copy.get()).doesNotExist();
    }

    @Test
    void aClasspathResourceThatIsAFileIsUsedWhereItIs() throws Exception {
        Path classes = Files.createDirectories(dir.resolve("classes/kafka"));
        Path inClasses = Files.copy(store, classes.resolve("trust.p12"));
        try (URLClassLoader exploded = new URLClassLoader(new URL[] {dir.resolve("classes").toUri().toURL()},
                getClass().getClassLoader())) {
            runner.withClassLoader(exploded)
                    .withPropertyValues("kwire.client.ssl.truststore-location=classpath:kafka/trust.p12",
                            "kwire.client.ssl.truststore-password=secret")
                    .run(context -> {
                        assertThat(context.getBean(KafkaClientConfig.class).sslTruststoreLocation())
                                .contains(inClasses.toRealPath());
                        assertThat(context.getBean(KwireClientFactory.class).keyMaterialFiles().copies()).isEmpty();
                    });
        }
    }

    @Test
    void fileLocationsAndPlainPathsNameTheSameFile() {
        runner.withPropertyValues("kwire.client.ssl.truststore-location=file:" + store,
                        "kwire.client.ssl.truststore-password=secret", "kwire.client.ssl.keystore-location=" + store,
                        "kwire.client.ssl.keystore-password=secret")
                .run(context -> {
                    KafkaClientConfig config = context.getBean(KafkaClientConfig.class);
                    assertThat(config.sslTruststoreLocation()).contains(store);
                    assertThat(config.sslKeystoreLocation()).contains(store);
                });
    }

    @Test
    void aMissingClasspathResourceIsReportedOnItsProperty() {
        runner.withPropertyValues("kwire.client.ssl.truststore-location=classpath:kafka/absent.p12",
                        "kwire.client.ssl.truststore-password=secret")
                .run(context -> {
                    FailureAnalysis analysis = new KwireClientConfigFailureAnalyzer()
                            .analyze(context.getStartupFailure());
                    assertThat(analysis.getDescription())
                            .contains("Property: kwire.client.ssl.truststore-location")
                            .contains("'classpath:kafka/absent.p12' does not exist");
                });
    }

    @Test
    void aMissingFileIsStillReportedByTheCoresCheck() {
        runner.withPropertyValues("kwire.client.security-protocol=SSL",
                        "kwire.client.ssl.cafile=" + dir.resolve("absent.pem"))
                .run(context -> assertThat(new KwireClientConfigFailureAnalyzer().analyze(context.getStartupFailure())
                        .getDescription()).contains("Property: kwire.client.ssl.cafile").contains("absent.pem"));
    }

    @Test
    void theIdeOffersResourceCompletionForEveryLocation() throws Exception {
        JsonNode metadata;
        try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            metadata = new ObjectMapper().readTree(in);
        }
        Set<String> handledAsResource = new HashSet<>();
        for (JsonNode hint : metadata.get("hints")) {
            for (JsonNode provider : hint.path("providers")) {
                if ("handle-as".equals(provider.path("name").asText()) && "org.springframework.core.io.Resource"
                        .equals(provider.path("parameters").path("target").asText())) {
                    handledAsResource.add(hint.get("name").asText());
                }
            }
        }
        assertThat(handledAsResource).containsExactlyInAnyOrder("kwire.client.ssl.cafile",
                "kwire.client.ssl.certfile", "kwire.client.ssl.keyfile", "kwire.client.ssl.crlfile",
                "kwire.client.ssl.keystore-location", "kwire.client.ssl.truststore-location",
                "kwire.client.sasl.kerberos-keytab");
    }

    @Configuration(proxyBeanMethods = false)
    static class FakeClientConfiguration {

        @Bean
        KwireClient userClient(ObjectProvider<KafkaClientConfig> config) {
            return new FakeKwireClient(config.getObject());
        }
    }
}
