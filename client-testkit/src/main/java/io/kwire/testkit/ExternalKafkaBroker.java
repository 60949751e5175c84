package io.kwire.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node Kafka broker of any release on Maven Central from 0.10.0 on, run as a child JVM process: for
 * compatibility tests against older (and newer) brokers. Releases from 3.3 run in KRaft mode by default
 * (combined broker and controller); older ones, or any release before 4.0 with {@link Builder#zooKeeper(boolean)},
 * run with a ZooKeeper process of their own (the ZooKeeper server their class path brings). The artifact is
 * {@code kafka_2.11}, {@code kafka_2.12} or {@code kafka_2.13} by release ({@link KafkaReleases}); lines before 3.0
 * get jaxb-api on the class path and JDK internals opened, which Java 17 needs for them.
 *
 * <p>Start: resolves the release's class path with {@code mvn dependency:build-classpath} on a generated pom (cached
 * in the local Maven repository, under {@code io/kwire/kafka-broker-classpaths/VERSION}; the first run downloads
 * about 50 MB), picks free ports, writes {@code server.properties}; in KRaft mode formats the storage with
 * {@code kafka.tools.StorageTool format}, in ZooKeeper mode starts ZooKeeper; starts {@code kafka.Kafka}, then waits
 * until the client port accepts.
 * Close: SIGTERM, a forced kill if it has not stopped after 20 s, and the data directory is deleted.
 *
 * <pre>{@code
 * try (ExternalKafkaBroker old = ExternalKafkaBroker.builder().version("3.7.2").start()) {
 *     ... old.bootstrapServers() ...
 * }
 * }</pre>
 *
 * <p>The maven command is {@code mvn} on the PATH, or the {@code kwire.mvn} system property / {@code KWIRE_MVN}
 * environment variable. {@link Builder#classpath(String)} skips maven altogether.
 *
 * <p>Long on purpose: resolving, configuring, formatting, starting and stopping a broker process are steps of one
 * life, each depending on the release's settings kept beside it.
 */
public final class ExternalKafkaBroker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ExternalKafkaBroker.class);
    private static final Pattern VERSION = Pattern.compile("[0-9][0-9A-Za-z.\\-]*");

    private final Builder config;
    private Path directory;
    private ZooKeeperProcess zooKeeper;
    private Process process;
    private Thread shutdownHook;
    private int port;
    private int internalPort;
    private int controllerPort;
    private boolean closed;

    private ExternalKafkaBroker(Builder config) {
        this.config = config;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts a broker of this Kafka release with default settings. */
    public static ExternalKafkaBroker start(String version) {
        return builder().version(version).start();
    }

    /**
     * The class path of the release's broker artifact ({@code org.apache.kafka:kafka_2.1x:VERSION}, with the extra
     * jars {@link KafkaReleases} names) and its runtime dependencies, resolved by maven once and cached (the jars in
     * the local Maven repository, the list beside them under {@code io/kwire/kafka-broker-classpaths/VERSION}); a
     * cached list made from another pom is resolved again.
     */
    public static String resolveClasspath(String version, Duration timeout) {
        requireVersion(version);
        Path dir = cacheDirectory().resolve(version);
        Path cached = dir.resolve("classpath.txt");
        try {
            Path pom = dir.resolve("pom.xml");
            boolean samePom = Files.exists(pom) && Files.readString(pom, StandardCharsets.UTF_8).equals(pom(version));
            if (samePom && Files.exists(cached)) {
                String cp = Files.readString(cached, StandardCharsets.UTF_8).trim();
                if (!cp.isEmpty() && allExist(cp)) {
                    return cp;
                }
            }
            Files.createDirectories(dir);
            Files.writeString(pom, pom(version), StandardCharsets.UTF_8);
            Path out = Files.createTempFile(dir, "classpath", ".tmp");
            Path mvnLog = dir.resolve("mvn.log");
            List<String> cmd = List.of(mavenCommand(), "-B", "-q", "-f", pom.toString(),
                    "dependency:build-classpath", "-Dmdep.outputFile=" + out, "-Dmdep.includeScope=runtime");
            log.info("resolving Kafka {} with {}", version, String.join(" ", cmd));
            Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(mvnLog.toFile()).start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("maven did not resolve Kafka " + version + " within " + timeout);
            }
            String cp = Files.readString(out, StandardCharsets.UTF_8).trim();
            if (p.exitValue() != 0 || cp.isEmpty()) {
                throw new IllegalStateException("maven could not resolve Kafka " + version + ": "
                        + tail(mvnLog, 30));
            }
            try {
                Files.move(out, cached, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(out, cached, StandardCopyOption.REPLACE_EXISTING);
            }
            return cp;
        } catch (IOException e) {
            throw new UncheckedIOException("could not resolve Kafka " + version, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Formats and starts the broker; returns when its client port accepts. */
    public ExternalKafkaBroker start() {
        if (process != null || closed) {
            throw new IllegalStateException(closed ? "closed" : "already started");
        }
        String classpath = config.classpath != null ? config.classpath
                : resolveClasspath(config.version, config.resolveTimeout);
        long t0 = System.nanoTime();
        try {
            String prefix = "kwire-kafka-" + config.version + "-";
            directory = config.directoryParent != null ? Files.createTempDirectory(config.directoryParent, prefix)
                    : Files.createTempDirectory(prefix);
            port = config.port > 0 ? config.port : freePort();
            controllerPort = freePort();
            while (controllerPort == port) {
                controllerPort = freePort();
            }
            internalPort = freePort();
            while (internalPort == port || internalPort == controllerPort) {
                internalPort = freePort();
            }
            Path properties = directory.resolve("server.properties");
            Path logFile = directory.resolve("broker.log");
            if (config.zooKeeper) {
                // log4j 1.2 (the back end of every line before 4.0) to the process output, for the log tail
                Files.writeString(directory.resolve("log4j.properties"), "log4j.rootLogger=INFO, stdout\n"
                        + "log4j.appender.stdout=org.apache.log4j.ConsoleAppender\n"
                        + "log4j.appender.stdout.layout=org.apache.log4j.PatternLayout\n"
                        + "log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n\n",
                        StandardCharsets.UTF_8);
                zooKeeper = ZooKeeperProcess.start(javaCommand(classpath), directory.resolve("zookeeper"),
                        config.startTimeout);
                Files.writeString(properties, zooKeeperServerProperties(), StandardCharsets.UTF_8);
            } else {
                Files.writeString(properties, serverProperties(), StandardCharsets.UTF_8);
                format(classpath, properties);
            }

            List<String> run = javaCommand(classpath);
            run.addAll(List.of("kafka.Kafka", properties.toString()));
            process = new ProcessBuilder(run).directory(directory.toFile()).redirectErrorStream(true)
                    .redirectOutput(logFile.toFile()).start();
            Process started = process;
            Path dir = directory;
            shutdownHook = new Thread(() -> {
                started.destroyForcibly();
                try {
                    started.waitFor(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                Files2.deleteRecursively(dir); // in a tmpfs (directoryIn), what it leaves behind holds memory
            }, "kwire-external-kafka-kill");
            Runtime.getRuntime().addShutdownHook(shutdownHook);

            long deadline = System.nanoTime() + config.startTimeout.toNanos();
            while (!(KafkaCluster.accepts(port) && (config.zooKeeper || KafkaCluster.accepts(controllerPort)
                    && KafkaCluster.accepts(internalPort)))) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("Kafka " + config.version + " exited with " + process.exitValue()
                            + ": " + tail(logFile, 40));
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Kafka " + config.version + " did not listen on port " + port
                            + " within " + config.startTimeout + ": " + tail(logFile, 40));
                }
                Thread.sleep(100);
            }
            log.debug("Kafka {} (pid {}) listening on {} after {} ms", config.version, process.pid(), port,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
            return this;
        } catch (IOException | InterruptedException | RuntimeException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            close();
            if (e instanceof RuntimeException) {
                throw (RuntimeException) e;
            }
            throw new IllegalStateException("Kafka " + config.version + " did not start", e);
        }
    }

    private void format(String classpath, Path properties) throws IOException, InterruptedException {
        List<String> format = javaCommand(classpath);
        format.addAll(List.of("kafka.tools.StorageTool", "format", "-t", clusterId(), "-c",
                properties.toString()));
        format.addAll(config.formatArguments);
        Process f = new ProcessBuilder(format).directory(directory.toFile()).redirectErrorStream(true)
                .redirectOutput(directory.resolve("format.log").toFile()).start();
        if (!f.waitFor(config.startTimeout.toMillis(), TimeUnit.MILLISECONDS) || f.exitValue() != 0) {
            f.destroyForcibly();
            throw new IllegalStateException("formatting the storage of Kafka " + config.version + " failed: "
                    + tail(directory.resolve("format.log"), 30));
        }
    }

    public String version() {
        return config.version;
    }

    /** Whether the broker runs with a ZooKeeper process (else in KRaft mode). */
    public boolean isZooKeeperMode() {
        return config.zooKeeper;
    }

    /** {@code 127.0.0.1:port} of the client listener (PLAINTEXT unless {@link Builder#listener} said otherwise). */
    public String bootstrapServers() {
        requireStarted();
        return "127.0.0.1:" + port;
    }

    public int port() {
        requireStarted();
        return port;
    }

    public long pid() {
        requireStarted();
        return process.pid();
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** The broker's data, configuration and log ({@code broker.log}); deleted on close. */
    public Path directory() {
        requireStarted();
        return directory;
    }

    /** The last lines of the broker's output. */
    public String logTail(int lines) {
        requireStarted();
        return tail(directory.resolve("broker.log"), lines);
    }

    /** SIGTERM, then a forced kill after 20 s; deletes the data directory. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        long t0 = System.nanoTime();
        if (process != null) {
            process.destroy();
            try {
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    log.warn("Kafka {} (pid {}) ignored SIGTERM; killing it", config.version, process.pid());
                    process.destroyForcibly();
                    process.waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // the JVM is shutting down
            }
        }
        if (zooKeeper != null) {
            zooKeeper.close();
        }
        if (directory != null) {
            Files2.deleteRecursively(directory);
        }
        log.debug("Kafka {} stopped in {} ms", config.version, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    }

    @Override
    public String toString() {
        return "ExternalKafkaBroker[" + config.version + (process == null ? "" : ", 127.0.0.1:" + port + ", pid "
                + process.pid()) + (closed ? ", closed" : "") + "]";
    }

    private String serverProperties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        // CLIENT: what tests connect to; INTERNAL (PLAINTEXT): inter-broker; CONTROLLER (PLAINTEXT): KRaft.
        p.put("listeners", "CLIENT://127.0.0.1:" + port + ",INTERNAL://127.0.0.1:" + internalPort
                + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "CLIENT://127.0.0.1:" + port + ",INTERNAL://127.0.0.1:" + internalPort);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "INTERNAL");
        p.put("listener.security.protocol.map", "CLIENT:" + config.protocol
                + ",INTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT");
        singleNodeSettings(p);
        p.put("unstable.api.versions.enable", "false");
        p.putAll(config.listenerProperties);
        return render("# written by kwire's ExternalKafkaBroker", p);
    }

    /** What every single-node broker needs, in either mode. */
    private void singleNodeSettings(Map<String, String> p) {
        p.put("log.dirs", directory.resolve("data").toString());
        p.put("num.partitions", "1");
        p.put("offsets.topic.replication.factor", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
    }

    /** server.properties text; the builder's broker properties go last, so they win. */
    private String render(String header, Map<String, String> p) {
        p.putAll(config.brokerProperties);
        StringBuilder sb = new StringBuilder(header).append('\n');
        p.forEach((k, v) -> sb.append(k).append('=').append(v.replace("\\", "\\\\")).append('\n'));
        return sb.toString();
    }

    /**
     * ZooKeeper mode: one broker registered in its own ZooKeeper, with a single PLAINTEXT listener (no listener names
     * or security protocol map, which 0.10.0 does not know); settings a release does not know are only warned about.
     */
    private String zooKeeperServerProperties() {
        if (!"PLAINTEXT".equals(config.protocol)) {
            throw new IllegalStateException("the test kit runs ZooKeeper-mode brokers with a PLAINTEXT listener only");
        }
        Map<String, String> p = new LinkedHashMap<>();
        p.put("broker.id", "0");
        p.put("zookeeper.connect", zooKeeper.connect());
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + port);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        singleNodeSettings(p);
        return render("# written by kwire's ExternalKafkaBroker (ZooKeeper mode)", p);
    }

    private List<String> javaCommand(String classpath) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xms64m");
        cmd.add("-Xmx" + config.heap);
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-Djava.awt.headless=true");
        if (config.zooKeeper) {
            cmd.add("-Dlog4j.configuration=file:" + directory.resolve("log4j.properties"));
        }
        cmd.addAll(KafkaReleases.jvmOptions(config.version));
        cmd.addAll(config.jvmOptions);
        cmd.add("-cp");
        cmd.add(classpath);
        return cmd;
    }

    private void requireStarted() {
        if (process == null) {
            throw new IllegalStateException("not started");
        }
    }

    /** A Kafka cluster id: 16 random bytes, URL-safe base64 without padding, not starting with '-'. */
    static String clusterId() {
        SecureRandom random = new SecureRandom();
        while (true) {
            byte[] b = new byte[16];
            random.nextBytes(b);
            String id = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
            if (!id.startsWith("-")) {
                return id;
            }
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }

    private static String pom(String version) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<project xmlns=\"http://maven.apache.org/POM/4.0.0\">\n"
                + "  <modelVersion>4.0.0</modelVersion>\n"
                + "  <groupId>io.kwire.testkit.generated</groupId>\n"
                + "  <artifactId>kafka-" + version + "-classpath</artifactId>\n"
                + "  <version>1</version>\n"
                + "  <packaging>pom</packaging>\n"
                + "  <dependencies>\n"
                + dependency("org.apache.kafka", KafkaReleases.artifactId(version), version)
                + KafkaReleases.extraDependencies(version).stream().map(gav -> gav.split(":"))
                        .map(g -> dependency(g[0], g[1], g[2])).collect(java.util.stream.Collectors.joining())
                + "  </dependencies>\n"
                + "</project>\n";
    }

    private static String dependency(String group, String artifact, String version) {
        return "    <dependency>\n"
                + "      <groupId>" + group + "</groupId>\n"
                + "      <artifactId>" + artifact + "</artifactId>\n"
                + "      <version>" + version + "</version>\n"
                + "    </dependency>\n";
    }

    private static Path cacheDirectory() {
        String override = System.getProperty("kwire.kafka.cache");
        if (override != null && !override.isBlank()) {
            return Paths.get(override);
        }
        // Beside the jars the lists name, in the local Maven repository: what keeps one keeps the other.
        String repo = System.getProperty("maven.repo.local");
        Path root = repo != null && !repo.isBlank() ? Paths.get(repo)
                : Paths.get(System.getProperty("user.home"), ".m2", "repository");
        return root.resolve("io").resolve("kwire").resolve("kafka-broker-classpaths");
    }

    private static String mavenCommand() {
        String p = System.getProperty("kwire.mvn");
        if (p != null && !p.isBlank()) {
            return p;
        }
        String e = System.getenv("KWIRE_MVN");
        if (e != null && !e.isBlank()) {
            return e;
        }
        return "mvn";
    }

    private static boolean allExist(String classpath) {
        for (String entry : classpath.split(java.io.File.pathSeparator)) {
            if (!entry.isEmpty() && !Files.exists(Paths.get(entry))) {
                return false;
            }
        }
        return true;
    }

    private static void requireVersion(String version) {
        Objects.requireNonNull(version, "version");
        if (!VERSION.matcher(version).matches()) {
            throw new IllegalArgumentException("not a version: " + version);
        }
    }

    static String tail(Path file, int lines) {
        try {
            if (!Files.exists(file)) {
                return "(no " + file.getFileName() + ")";
            }
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(could not read " + file + ": " + e.getMessage() + ")";
        }
    }

    /** Settings of an {@link ExternalKafkaBroker}. */
    public static final class Builder {
        private String version = "3.9.1";
        private String protocol = "PLAINTEXT";
        private final Map<String, String> listenerProperties = new LinkedHashMap<>();
        private final List<String> formatArguments = new ArrayList<>();
        private String classpath;
        private int port;
        private String heap = "512m";
        private final List<String> jvmOptions = new ArrayList<>();
        private final Map<String, String> brokerProperties = new LinkedHashMap<>();
        private Duration startTimeout = Duration.ofSeconds(90);
        private Duration resolveTimeout = Duration.ofMinutes(5);
        private Boolean zooKeeper;
        private Path directoryParent;

        private Builder() {
        }

        /**
         * The Kafka release (default 3.9.1), e.g. {@code 0.10.2.2}, {@code 2.8.2}, {@code 4.4.0}. Releases before
         * 3.3 run with ZooKeeper, later ones in KRaft mode unless {@link #zooKeeper(boolean)} says otherwise.
         */
        public Builder version(String version) {
            requireVersion(version);
            this.version = version;
            return this;
        }

        /**
         * With a ZooKeeper process (true; releases before 4.0) or in KRaft mode (false; 3.3 and later). Default:
         * KRaft where the release has it.
         */
        public Builder zooKeeper(boolean zooKeeper) {
            this.zooKeeper = zooKeeper;
            return this;
        }

        /** Use this class path instead of resolving one with maven. */
        public Builder classpath(String classpath) {
            this.classpath = classpath;
            return this;
        }

        /**
         * The security protocol of the client listener ({@code PLAINTEXT}, {@code SSL}, {@code SASL_PLAINTEXT},
         * {@code SASL_SSL}) and the broker properties it needs. The listener is named {@code CLIENT}, so its
         * per-listener settings start with {@code listener.name.client.}, e.g.
         * {@code listener.name.client.plain.sasl.jaas.config} or {@code listener.name.client.ssl.keystore.location};
         * also set {@code sasl.enabled.mechanisms} for SASL. Inter-broker and controller traffic stay on PLAINTEXT
         * listeners of their own.
         */
        public Builder listener(String securityProtocol, Map<String, String> properties) {
            this.protocol = Objects.requireNonNull(securityProtocol);
            this.listenerProperties.putAll(properties);
            return this;
        }

        /**
         * Extra arguments for {@code kafka.tools.StorageTool format}, e.g. {@code "--add-scram",
         * "SCRAM-SHA-256=[name=alice,password=alice-secret]"} (Kafka 3.5 and later).
         */
        public Builder formatArguments(String... arguments) {
            formatArguments.addAll(List.of(arguments));
            return this;
        }

        /** A fixed client port; default a free one chosen at start. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** A broker property, added to (or replacing one of) the generated server.properties. */
        public Builder brokerProperty(String name, String value) {
            brokerProperties.put(name, value);
            return this;
        }

        /** The broker JVM's maximum heap (default 512m). */
        public Builder heap(String heap) {
            this.heap = heap;
            return this;
        }

        /**
         * An option for the broker's JVM, after the kit's own: {@code -Xms64m}, the serial collector and C1 only
         * ({@code -XX:TieredStopAtLevel=1}), which start a broker for a test fast but cap what it can serve. Where
         * the broker's speed matters (a benchmark), override them: the last occurrence of a flag wins, and another
         * collector needs {@code -XX:-UseSerialGC} first.
         */
        public Builder jvmOption(String option) {
            jvmOptions.add(option);
            return this;
        }

        public Builder startTimeout(Duration timeout) {
            this.startTimeout = timeout;
            return this;
        }

        public Builder resolveTimeout(Duration timeout) {
            this.resolveTimeout = timeout;
            return this;
        }

        /**
         * Where the broker's own directory (its settings, output and log data, deleted by {@link ExternalKafkaBroker#close()}
         * and at the JVM's exit) is made:
         * the system's temporary directory by default; a tmpfs such as {@code /dev/shm} keeps disk writeback out of a
         * measurement.
         */
        public Builder directoryIn(Path parent) {
            this.directoryParent = parent;
            return this;
        }

        public ExternalKafkaBroker build() {
            Builder copy = new Builder();
            copy.version = version;
            copy.protocol = protocol;
            copy.listenerProperties.putAll(listenerProperties);
            copy.formatArguments.addAll(formatArguments);
            copy.classpath = classpath;
            copy.port = port;
            copy.heap = heap;
            copy.jvmOptions.addAll(jvmOptions);
            copy.brokerProperties.putAll(brokerProperties);
            copy.startTimeout = startTimeout;
            copy.resolveTimeout = resolveTimeout;
            copy.directoryParent = directoryParent;
            copy.zooKeeper = zooKeeper != null ? zooKeeper : !KafkaReleases.hasKraft(version);
            if (copy.zooKeeper && !KafkaReleases.hasZooKeeper(version)) {
                throw new IllegalArgumentException("Kafka " + version + " has no ZooKeeper mode (removed in 4.0)");
            }
            if (!copy.zooKeeper && !KafkaReleases.hasKraft(version)) {
                throw new IllegalArgumentException("Kafka " + version + " has no KRaft mode the test kit can run"
                        + " (combined mode needs 3.3 or later)");
            }
            return new ExternalKafkaBroker(copy);
        }

        public ExternalKafkaBroker start() {
            return build().start();
        }
    }
}
