package io.kwire.internal.tls;

import io.kwire.client.KafkaClientConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The key and trust files a TLS configuration names, and a cheap way to tell whether they changed: their
 * modification time, size and file identity (a rename or a Kubernetes secret's symlink swap gives a new one) first,
 * and only when those moved, a SHA-256 of their content. Not thread-safe: its owner serializes the calls.
 */
final class TlsFiles {

    private final List<Path> files;
    /** Per file: the attributes seen last (null for a file that could not be read), or null before the first look. */
    private Object[] lastSeen;

    private TlsFiles(List<Path> files) {
        this.files = List.copyOf(files);
    }

    /** The files {@code config} reads its TLS material from; none when it gives an SSL context. */
    static TlsFiles of(KafkaClientConfig config) {
        List<Path> files = new ArrayList<>();
        if (config.sslContext().isEmpty()) {
            config.sslCafile().ifPresent(files::add);
            config.sslCertfile().ifPresent(files::add);
            config.sslKeyfile().ifPresent(files::add);
            config.sslCrlfile().ifPresent(files::add);
            config.sslKeystoreLocation().ifPresent(files::add);
            config.sslTruststoreLocation().ifPresent(files::add);
        }
        return new TlsFiles(files);
    }

    List<Path> paths() {
        return files;
    }

    boolean isEmpty() {
        return files.isEmpty();
    }

    /** Whether any file's modification time, size or identity differs from the last call (true on the first). */
    boolean attributesChanged() {
        Object[] seen = new Object[files.size()];
        for (int i = 0; i < seen.length; i++) {
            seen[i] = attributes(files.get(i));
        }
        boolean changed = lastSeen == null || !Arrays.equals(seen, lastSeen);
        lastSeen = seen;
        return changed;
    }

    /** A hash of every file's content, in order. */
    byte[] contentHash() throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("The JVM has no SHA-256", e);
        }
        for (Path file : files) {
            byte[] content = Files.readAllBytes(file);
            digest.update(file.toString().getBytes(StandardCharsets.UTF_8));
            digest.update(longBytes(content.length));
            digest.update(content);
        }
        return digest.digest();
    }

    private static byte[] longBytes(long v) {
        byte[] b = new byte[8];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (v >>> (56 - 8 * i));
        }
        return b;
    }

    private static Object attributes(Path file) {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return List.of(a.lastModifiedTime(), a.size(), Objects.requireNonNullElse(a.fileKey(), ""));
        } catch (IOException e) {
            return null; // missing for a moment (a file being replaced): a change, looked at again next time
        }
    }

    @Override
    public String toString() {
        return files.toString();
    }
}
