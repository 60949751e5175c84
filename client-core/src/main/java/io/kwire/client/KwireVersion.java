package io.kwire.client;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * Finds kwire's own version for the default {@code client.id} and the KIP-511 software version: a generated
 * {@code io/kwire/client/kwire-version.properties} if the build provides one, else the jar manifest, else the
 * {@code pom.properties} Maven puts in every jar, else the development version. Computed once; thread-safe.
 */
final class KwireVersion {

    static final String FALLBACK = "0.1.0-SNAPSHOT";

    private static final String VERSION = find();

    private KwireVersion() {
    }

    static String get() {
        return VERSION;
    }

    private static String find() {
        String v = fromProperties("/io/kwire/client/kwire-version.properties", "version");
        if (v == null) {
            v = KwireVersion.class.getPackage().getImplementationVersion();
        }
        if (v == null) {
            v = fromProperties("/META-INF/maven/io.kwire/kwire-client-core/pom.properties", "version");
        }
        // An unfiltered "${project.version}" or anything else KIP-511 would reject falls back too.
        return v != null && KafkaClientConfig.SOFTWARE_PATTERN.matcher(v).matches() ? v : FALLBACK;
    }

    private static String fromProperties(String resource, String key) {
        try (InputStream in = KwireVersion.class.getResourceAsStream(resource)) {
            if (in == null) {
                return null;
            }
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty(key);
            return v == null || v.isBlank() ? null : v.strip();
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }
}
