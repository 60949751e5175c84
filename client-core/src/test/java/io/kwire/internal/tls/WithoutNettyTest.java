package io.kwire.internal.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.kwire.security.TestCerts;
import java.io.File;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Netty is an optional dependency of client-core: on a class path without it, {@code sslEngine OPENSSL} must fail
 * with a {@code ConfigException} that says what to add, not a {@code NoClassDefFoundError}, and the JDK's engine
 * must work as before. The client's classes are loaded again by a loader that hides every {@code io.netty} class.
 */
class WithoutNettyTest {

    @TempDir
    Path dir;

    /** Loads this JVM's class path itself (child first), refusing io.netty. */
    private static final class NoNetty extends URLClassLoader {
        NoNetty(URL[] urls) {
            super(urls, ClassLoader.getPlatformClassLoader());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (name.startsWith("io.netty.")) {
                throw new ClassNotFoundException(name + " (hidden by the test)");
            }
            return super.loadClass(name, resolve);
        }
    }

    private static URL[] classPath() throws Exception {
        List<URL> urls = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!entry.isEmpty()) {
                urls.add(new File(entry).toURI().toURL()); // a manifest-only jar brings its Class-Path along
            }
        }
        return urls.toArray(URL[]::new);
    }

    @Test
    void theOpenSslEngineWithoutNettySaysWhatToAddAndTheJdksStillWorks() throws Exception {
        Path ca = TestCerts.create(dir, "nonetty", "dns:localhost").writeCertPem(dir.resolve("ca.pem"));
        try (NoNetty loader = new NoNetty(classPath())) {
            assertThat(loader.loadClass(SslContextFactory.class.getName()).getClassLoader())
                    .as("the client's classes come from the loader without Netty").isSameAs(loader);
            Throwable failure = create(loader, ca, "OPENSSL");
            assertThat(failure).isNotNull();
            assertThat(failure.getClass().getName()).isEqualTo("io.kwire.errors.ConfigException");
            assertThat(failure.getMessage()).contains("sslEngine OPENSSL needs Netty's TLS engine")
                    .contains("io.netty:netty-handler").contains("netty-tcnative-boringssl-static");
            assertThat(create(loader, ca, "JDK")).as("the JDK's engine without Netty").isNull();
        }
    }

    /** {@code SslContextFactory.create} of an SSL config with this engine, in the loader; what it threw, or null. */
    private static Throwable create(ClassLoader loader, Path ca, String engine) throws Exception {
        Class<?> configClass = loader.loadClass("io.kwire.client.KafkaClientConfig");
        Class<?> builderClass = loader.loadClass("io.kwire.client.KafkaClientConfig$Builder");
        Class<?> protocol = loader.loadClass("io.kwire.client.SecurityProtocol");
        Class<?> tlsEngine = loader.loadClass("io.kwire.client.TlsEngine");
        Object b = configClass.getMethod("builder").invoke(null);
        builderClass.getMethod("bootstrapServers", String.class).invoke(b, "localhost:9093");
        builderClass.getMethod("securityProtocol", protocol).invoke(b, enumValue(protocol, "SSL"));
        builderClass.getMethod("sslEngine", tlsEngine).invoke(b, enumValue(tlsEngine, engine));
        builderClass.getMethod("sslCafile", Path.class).invoke(b, ca);
        Object config = builderClass.getMethod("build").invoke(b);
        Method create = loader.loadClass(SslContextFactory.class.getName()).getMethod("create", configClass);
        try {
            create.invoke(null, config);
            return null;
        } catch (InvocationTargetException e) {
            return e.getCause();
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object enumValue(Class<?> type, String name) {
        return Enum.valueOf((Class) type, name);
    }
}
