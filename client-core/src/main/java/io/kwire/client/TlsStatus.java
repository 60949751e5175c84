package io.kwire.client;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the TLS of new connections stands: which engine encrypts, which files are watched for rotation, when new
 * material was last taken up, and whether the newest files could not be used. Part of {@link ClientStatus}; holds no
 * secret.
 *
 * @param engine              which TLS implementation new connections use: {@code JDK (SunJSSE)} (or the provider
 *                            of a given SSL context), or {@code OpenSSL (BoringSSL)} with
 *                            {@link KafkaClientConfig#sslEngine()} OPENSSL (the native library's own name)
 * @param watchedFiles        the TLS files checked for changes (empty when the client was given an SSL context, or
 *                            {@link KafkaClientConfig#sslReloadCheckInterval()} is 0)
 * @param reloads             how often new material was taken up since the client was created (reloaded files and
 *                            contexts handed over through {@code updateSslContext})
 * @param lastReload          when that last happened, if ever
 * @param lastReloadError     why the files as they are now cannot be used (the material in use stays as it was);
 *                            empty when the last attempt succeeded or none failed
 * @param lastReloadErrorTime when that attempt failed
 */
public record TlsStatus(String engine, List<Path> watchedFiles, long reloads, Optional<Instant> lastReload,
                        Optional<String> lastReloadError, Optional<Instant> lastReloadErrorTime) {

    public TlsStatus {
        Objects.requireNonNull(engine, "engine");
        watchedFiles = List.copyOf(watchedFiles);
        Objects.requireNonNull(lastReload, "lastReload");
        Objects.requireNonNull(lastReloadError, "lastReloadError");
        Objects.requireNonNull(lastReloadErrorTime, "lastReloadErrorTime");
    }
}
