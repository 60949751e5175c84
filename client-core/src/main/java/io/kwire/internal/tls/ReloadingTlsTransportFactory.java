package io.kwire.internal.tls;

import io.kwire.client.KafkaClientConfig;
import io.kwire.client.Node;
import io.kwire.client.TlsStatus;
import io.kwire.errors.ClientClosedException;
import io.kwire.network.Transport;
import io.kwire.network.TransportFactory;
import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RejectedExecutionException;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TLS transports whose key material may change while the client runs: the files the configuration names are
 * checked for changes at most once per {@link KafkaClientConfig#sslReloadCheckInterval()} (their attributes, then
 * their content's hash), and a changed set builds a new {@link SslContextFactory} for the connections made from then
 * on; {@link #updateSslContext} hands it one from outside (a Spring SSL bundle that reloaded). Every change bumps the
 * {@link #materialGeneration generation}, by which the engine recycles older connections when asked to.
 *
 * <p>Files that cannot be used (half written, wrong password, a key not matching its certificate) leave the material
 * in use as it is: the error is logged once and kept for {@link #tlsStatus()} until the files change again, when
 * they are tried again. The check of the files' attributes runs on the I/O thread, at most once per interval; reading
 * and hashing their content and building the new context (which may decrypt a key with PBKDF2) run on the reload
 * executor (the common fork-join pool), one reload at a time, so the I/O thread never waits for them: the new
 * context is used by the connections opened once it is built. {@link #updateSslContext} and {@link #tlsStatus()}
 * may be called from any thread.
 */
public final class ReloadingTlsTransportFactory implements TransportFactory {

    private static final Logger log = LoggerFactory.getLogger(ReloadingTlsTransportFactory.class);

    private final KafkaClientConfig config;
    private final TlsFiles files;
    private final long checkIntervalMs;
    private final Executor reloader;
    private volatile SslContextFactory current;
    private volatile long generation;
    private volatile TlsStatus status;
    // The rest is guarded by this.
    private long nextCheckMs = Long.MIN_VALUE / 2;
    /** Closed with the client: material built after it is freed at once rather than used. */
    private boolean closed;
    /** A reload is under way on the reload executor: the files' attributes are not looked at meanwhile. */
    private boolean reloading;
    /** The content hash of the files in use, and of the files last found unusable (not tried again). */
    private byte[] inUseHash;
    private byte[] failedHash;
    private long reloads;
    private Instant lastReload;
    private String lastError;
    private Instant lastErrorTime;

    /**
     * Reads the material now, failing with a {@link io.kwire.errors.ConfigException} naming the key at fault.
     */
    public ReloadingTlsTransportFactory(KafkaClientConfig config) {
        this(config, ForkJoinPool.commonPool());
    }

    /** With the executor that reads the changed files and builds their context; tests run it inline. */
    ReloadingTlsTransportFactory(KafkaClientConfig config, Executor reloader) {
        this.config = config;
        this.reloader = reloader;
        this.checkIntervalMs = config.sslReloadCheckInterval().toMillis();
        this.files = TlsFiles.of(config);
        this.files.attributesChanged();
        this.inUseHash = hashOrNull();
        this.current = SslContextFactory.create(config);
        publish();
    }

    /** The material new connections get now. */
    SslContextFactory current() {
        return current;
    }

    @Override
    public Transport create(SocketChannel channel, Node node) {
        for (;;) {
            SslContextFactory material = current;
            try {
                return new TlsTransport(channel, material.createEngine(node), node.host() + ":" + node.port());
            } catch (IllegalStateException e) {
                synchronized (this) {
                    if (closed) {
                        throw new IllegalStateException("This TransportFactory was closed with the client that owned"
                                + " it: give each client its own (SecurityFactories.transportFactory)", e);
                    }
                }
                if (material.isOpen() || material == current) {
                    throw e; // not a race with a reload: a failure of the engine's own
                }
                // replaced and closed by a reload between the read and the engine: the new material is current
            }
        }
    }

    /**
     * Frees the material: with the OpenSSL engine, the context's native memory, now or as the last connection made
     * from it closes. A reload still under way is dropped when it ends. Any thread; idempotent.
     */
    @Override
    public void close() {
        SslContextFactory last;
        synchronized (this) {
            closed = true;
            last = current;
        }
        last.close();
    }

    @Override
    public long materialGeneration(long nowMs) {
        if (checkIntervalMs > 0 && !files.isEmpty() && nowMs - nextCheckMs >= 0) {
            check(nowMs);
        }
        return generation;
    }

    private void check(long nowMs) {
        synchronized (this) {
            nextCheckMs = nowMs + checkIntervalMs;
            if (reloading || !files.attributesChanged()) {
                return; // a change during a reload is seen by the first check after it
            }
            reloading = true;
        }
        try {
            reloader.execute(this::reload);
        } catch (RejectedExecutionException e) {
            reload();
        }
    }

    /** On the reload executor: the files' content, and if it is new, a context built from it. */
    private void reload() {
        try {
            byte[] hash;
            try {
                hash = files.contentHash();
            } catch (IOException e) {
                synchronized (this) {
                    failedHash = null;
                    failed("cannot read " + e.getMessage() + " (" + e.getClass().getSimpleName() + ")");
                }
                return;
            }
            synchronized (this) {
                if (Arrays.equals(hash, inUseHash) || Arrays.equals(hash, failedHash)) {
                    return; // touched but not changed, or the same unusable content as before: nothing new to say
                }
            }
            SslContextFactory rebuilt;
            try {
                rebuilt = SslContextFactory.create(config);
            } catch (RuntimeException e) {
                synchronized (this) {
                    failedHash = hash;
                    failed(e.getMessage());
                }
                return;
            }
            synchronized (this) {
                if (closed) {
                    rebuilt.close();
                    return;
                }
                inUseHash = hash;
                failedHash = null;
                replace(rebuilt);
            }
            log.info("TLS material reloaded from {}: new connections use it", files);
        } finally {
            synchronized (this) {
                reloading = false;
            }
        }
    }

    private void failed(String message) {
        lastError = message;
        lastErrorTime = Instant.ofEpochMilli(config.time().currentTimeMillis());
        log.warn("The TLS files {} changed but cannot be used; connections keep the material in use until they"
                + " change again: {}", files, message);
        publish();
    }

    /**
     * New connections use {@code context} from now on (the configured protocols and ciphers still apply); a later
     * change of the watched files, if any, replaces it in turn.
     *
     * @throws io.kwire.errors.ConfigException when the context supports none of the configured protocols, or not
     *                                         the configured ciphers, or the client's sslEngine is OPENSSL, which
     *                                         builds its own context from the files
     */
    @Override
    public void updateSslContext(SSLContext context) {
        Objects.requireNonNull(context, "context");
        SslContextFactory given = SslContextFactory.create(config, context);
        synchronized (this) {
            if (closed) {
                given.close();
                throw new ClientClosedException("The client is closed");
            }
            replace(given);
        }
        log.info("TLS material replaced through updateSslContext: new connections use it");
    }

    /**
     * Under this lock. The old material makes no more engines; its connections keep theirs (with the OpenSSL engine,
     * the old context's native memory goes when the last of them closes).
     */
    private void replace(SslContextFactory next) {
        SslContextFactory old = current;
        current = next;
        old.close();
        reloads++;
        lastReload = Instant.ofEpochMilli(config.time().currentTimeMillis());
        lastError = null;
        lastErrorTime = null;
        generation++; // after the context: whoever sees the new generation gets the new context
        publish();
    }

    private void publish() {
        status = new TlsStatus(current.engineName(), checkIntervalMs > 0 ? files.paths() : List.of(), reloads,
                Optional.ofNullable(lastReload),
                Optional.ofNullable(lastError), Optional.ofNullable(lastErrorTime));
    }

    private byte[] hashOrNull() {
        try {
            return files.contentHash();
        } catch (IOException e) {
            return null; // SslContextFactory.create reports the unreadable file with its key
        }
    }

    @Override
    public Optional<TlsStatus> tlsStatus() {
        return Optional.of(status);
    }

    @Override
    public String toString() {
        return "ReloadingTlsTransportFactory{files=" + files + ", checkIntervalMs=" + checkIntervalMs + "}";
    }
}
