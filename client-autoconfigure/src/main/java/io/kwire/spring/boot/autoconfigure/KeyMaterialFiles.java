package io.kwire.spring.boot.autoconfigure;

import io.kwire.errors.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.boot.io.ApplicationResourceLoader;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;

/**
 * Turns the location properties of key material ({@code kwire.client.ssl.*-location}, the PEM and CRL files, the
 * Kerberos keytab) into the file paths the core reads. A location is a plain path (a file, as before) or a Spring
 * resource location ({@code file:}, {@code classpath:}). A resource that is a file is used where it is; one that
 * is not, such as a {@code classpath:} entry inside the application's jar, is copied to a temporary file readable
 * by its owner only, since the core reads files (and may read them again to reload). The copies are deleted by
 * {@link #close()}, which the context calls on shutdown through {@link KwireClientFactory}, after the clients
 * built with them were closed. Thread-safe.
 */
final class KeyMaterialFiles implements AutoCloseable {

    private static final Log logger = LogFactory.getLog(KeyMaterialFiles.class);

    private final ResourceLoader resources;
    private final List<Path> copies = new ArrayList<>();

    /** @param resources the application's resource loader; plain paths are resolved as files */
    KeyMaterialFiles(ResourceLoader resources) {
        this.resources = ApplicationResourceLoader.get(resources, true);
    }

    /**
     * The file to give the core for {@code location}, or {@code null} for none.
     *
     * @param key the config key the location is for, named in errors
     */
    Path resolve(String key, String location) {
        if (location == null || location.isBlank()) {
            return null;
        }
        Resource resource = resources.getResource(location.trim());
        if (resource.isFile()) {
            try {
                // A missing file is left to the core's check, which says what it expected there.
                return resource.getFile().toPath();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (!resource.exists()) {
            throw new ConfigException(key, key + " '" + location + "' does not exist");
        }
        return copy(key, location, resource);
    }

    private synchronized Path copy(String key, String location, Resource resource) {
        try {
            Path copy = createPrivateFile(resource.getFilename());
            copies.add(copy);
            // Written into the file created above: Files.copy(..., REPLACE_EXISTING) would make a new file with the
            // default permissions, readable by every local user.
            try (InputStream in = resource.getInputStream(); OutputStream out = Files.newOutputStream(copy)) {
                in.transferTo(out);
            }
            return copy;
        } catch (IOException e) {
            ConfigException failure = new ConfigException(key, key + " '" + location + "' could not be copied to a"
                    + " temporary file for the client to read: " + e.getMessage());
            failure.initCause(e);
            throw failure;
        }
    }

    private static Path createPrivateFile(String name) throws IOException {
        String suffix = name == null ? ".tmp" : "-" + name.replaceAll("[^A-Za-z0-9._-]", "_");
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return Files.createTempFile("kwire-", suffix,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        Path file = Files.createTempFile("kwire-", suffix);
        file.toFile().setReadable(false, false);
        file.toFile().setReadable(true, true);
        return file;
    }

    /** The temporary copies made so far. */
    synchronized List<Path> copies() {
        return List.copyOf(copies);
    }

    /** Deletes the temporary copies; a copy that cannot be deleted is logged (by path only) and left. */
    @Override
    public synchronized void close() {
        for (Path copy : copies) {
            try {
                Files.deleteIfExists(copy);
            } catch (IOException e) {
                logger.warn("Could not delete the temporary key material file " + copy + ": " + e.getMessage());
            }
        }
        copies.clear();
    }
}
