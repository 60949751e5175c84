package io.kwire.generator;

import io.kwire.generator.ApiKeyEmitter.Api;
import io.kwire.generator.Schema.MessageSpec;
import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Build-time entry point: reads Kafka's {@code common/message/*.json} schemas from the classpath (the
 * kafka-clients jar) and writes kwire's message classes and {@code ApiKey} into the main output directory, and
 * the random message fillers for the tests into the optional test output directory.
 *
 * <p>Usage: {@code ProtocolGenerator <main-sources-dir> [<test-sources-dir>]}.
 */
public final class ProtocolGenerator {

    static final String SCHEMA_DIR = "common/message/";

    private ProtocolGenerator() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            throw new IllegalArgumentException("usage: ProtocolGenerator <main-sources-dir> [<test-sources-dir>]");
        }
        Map<String, MessageSpec> specs = loadSchemas();
        SecretFields.check(SecretFields.FIELDS, specs);
        List<Api> apis = brokerApis(specs);
        Path main = Path.of(args[0]);
        Set<Path> written = new HashSet<>();
        Path pkg = main.resolve(MessageEmitter.PACKAGE.replace('.', '/'));
        Files.createDirectories(pkg);
        for (Api a : apis) {
            write(written, pkg, a.request().name(),
                    MessageEmitter.emit(a.request(), a.response().name(), a.constant()));
            write(written, pkg, a.response().name(), MessageEmitter.emit(a.response(), null, a.constant()));
        }
        for (String header : List.of("RequestHeader", "ResponseHeader")) {
            write(written, pkg, header, MessageEmitter.emit(specs.get(header), null, null));
        }
        write(written, pkg, "package-info", MessageEmitter.emitPackageInfo());
        write(written, main.resolve("io/kwire/protocol"), "ApiKey", ApiKeyEmitter.emit(apis));
        int files = apis.size() * 2 + 4;
        if (args.length > 1) {
            Path test = Path.of(args[1]);
            Path testPkg = test.resolve(MessageEmitter.PACKAGE.replace('.', '/'));
            Files.createDirectories(testPkg);
            List<MessageSpec> all = new ArrayList<>();
            for (Api a : apis) {
                all.add(a.request());
                all.add(a.response());
            }
            all.add(specs.get("RequestHeader"));
            all.add(specs.get("ResponseHeader"));
            for (MessageSpec s : all) {
                write(written, testPkg, s.name() + "Random", RandomEmitter.emitFiller(s));
            }
            write(written, testPkg, "RandomMessages", RandomEmitter.emitDispatcher(apis));
            files += all.size() + 1;
            removeStale(test, written);
        }
        removeStale(main, written);
        System.out.println("kwire protocol generator: " + apis.size() + " APIs, " + files + " files");
    }

    /** Request/response pairs whose request is served by brokers, ordered by API key. */
    static List<Api> brokerApis(Map<String, MessageSpec> specs) {
        List<Api> apis = new ArrayList<>();
        for (MessageSpec s : specs.values()) {
            if (s.isRequest() && s.listeners().contains("broker")) {
                String base = s.name().substring(0, s.name().length() - "Request".length());
                MessageSpec response = specs.get(base + "Response");
                if (response == null || !response.isResponse()) {
                    throw new IllegalStateException("No response schema for " + s.name());
                }
                apis.add(new Api(s, response));
            }
        }
        apis.sort(Comparator.comparingInt(a -> a.request().apiKey()));
        return apis;
    }

    static Map<String, MessageSpec> loadSchemas() throws IOException, URISyntaxException {
        Map<String, MessageSpec> specs = new TreeMap<>();
        ClassLoader cl = ProtocolGenerator.class.getClassLoader();
        for (String name : schemaNames(cl)) {
            try (InputStream in = cl.getResourceAsStream(SCHEMA_DIR + name)) {
                String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                MessageSpec spec;
                try {
                    spec = Schema.parseMessage(text);
                } catch (RuntimeException e) {
                    throw new IllegalStateException("Cannot parse " + name + ": " + e.getMessage(), e);
                }
                specs.put(spec.name(), spec);
            }
        }
        if (specs.isEmpty()) {
            throw new IllegalStateException("No schemas found under " + SCHEMA_DIR);
        }
        return specs;
    }

    /** The file names of the schemas, listed from the jar (or directory) that holds them. */
    static List<String> schemaNames(ClassLoader cl) throws IOException, URISyntaxException {
        URL url = cl.getResource(SCHEMA_DIR + "RequestHeader.json");
        if (url == null) {
            throw new IllegalStateException("Kafka's schemas are not on the classpath (kafka-clients missing?)");
        }
        List<String> names = new ArrayList<>();
        if ("jar".equals(url.getProtocol())) {
            JarURLConnection conn = (JarURLConnection) url.openConnection();
            conn.setUseCaches(false);
            try (JarFile jar = conn.getJarFile()) {
                for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements();) {
                    String n = e.nextElement().getName();
                    if (n.startsWith(SCHEMA_DIR) && n.endsWith(".json") && n.indexOf('/', SCHEMA_DIR.length()) < 0) {
                        names.add(n.substring(SCHEMA_DIR.length()));
                    }
                }
            }
        } else {
            try (Stream<Path> files = Files.list(Path.of(url.toURI()).getParent())) {
                files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json")).forEach(names::add);
            }
        }
        names.sort(null);
        return names;
    }

    /** Writes a source file unless it already has this content, so unchanged files keep their timestamps. */
    private static void write(Set<Path> written, Path dir, String className, String source) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(className + ".java").toAbsolutePath();
        written.add(file);
        if (Files.exists(file) && Files.readString(file, StandardCharsets.UTF_8).equals(source)) {
            return;
        }
        Files.writeString(file, source, StandardCharsets.UTF_8);
    }

    /** Removes files an earlier run generated that this run did not, so a class dropped from the schemas goes. */
    private static void removeStale(Path dir, Set<Path> written) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                if (!written.contains(p.toAbsolutePath())) {
                    Files.delete(p);
                }
            }
        }
    }
}
