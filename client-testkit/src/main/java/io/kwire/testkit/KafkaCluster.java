package io.kwire.testkit;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import kafka.server.BrokerServer;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.network.ListenerName;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Real Kafka brokers in this JVM, on Kafka's own test kit ({@link KafkaClusterTestKit}), in KRaft mode: by default
 * one controller, which shares node 0 with broker 0 (combined mode); see {@link Builder#controllers(int)}.
 *
 * <pre>{@code
 * try (KafkaCluster cluster = KafkaCluster.builder().brokers(3).build().start()) {
 *     cluster.createTopic("orders", 6, 3);
 *     String bootstrap = cluster.bootstrapServers();
 * }
 * }</pre>
 *
 * <p>For a whole test suite use {@link #shared()}: one single-node cluster per JVM, closed by a shutdown hook.
 *
 * <p><b>Ports.</b> Each broker's client listener gets an ephemeral port at start. A broker restarted with
 * {@link #restartBroker(int)} binds the same port again (the test kit reopens the socket at the port it had), so
 * addresses handed out before stay valid; {@link #bootstrapServers()} lists only the brokers that are running.
 *
 * <p><b>TLS.</b> The kit's own listener takes PLAINTEXT or SASL_PLAINTEXT only; {@link Builder#extraListener} adds an
 * SSL or SASL_SSL listener beside it (certificates from {@link TestPki}), reached at
 * {@link #bootstrapServers(String)}.
 *
 * <p><b>Logging.</b> Kafka logs a lot at INFO/DEBUG. Unless {@link Builder#quietLogging(boolean)} is turned off,
 * {@link #start()} sets the {@code org.apache.kafka}, {@code kafka} and {@code state.change.logger} loggers to WARN
 * when the back end is logback and the application has not configured a level for them itself. With another
 * back end, configure those loggers to WARN yourself.
 *
 * <p>Not thread-safe: drive one cluster from one thread at a time.
 *
 * <p>Long on purpose: one facade over Kafka's test kit, with the lifecycle (start, stop and restart a broker, close),
 * the listener, SASL and TLS settings tests ask for and the topic helpers; its builder carries most of the lines.
 */
public final class KafkaCluster implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KafkaCluster.class);

    /** The name of the listener clients use. */
    public static final String CLIENT_LISTENER = "EXTERNAL";
    /** The name of the controller listener. */
    public static final String CONTROLLER_LISTENER = "CONTROLLER";

    /**
     * With a SASL_PLAINTEXT listener Kafka's test kit sets up SASL/PLAIN itself (a JVM-wide JAAS file, the
     * {@code java.security.auth.login.config} system property) with this super user ...
     */
    public static final String SASL_ADMIN = org.apache.kafka.common.test.JaasUtils.KAFKA_PLAIN_ADMIN;
    public static final String SASL_ADMIN_PASSWORD = org.apache.kafka.common.test.JaasUtils.KAFKA_PLAIN_ADMIN_PASSWORD;
    /** ... and this ordinary user (an ACL authorizer is on: grant it what it needs). */
    public static final String SASL_USER = org.apache.kafka.common.test.JaasUtils.KAFKA_PLAIN_USER1;
    public static final String SASL_USER_PASSWORD = org.apache.kafka.common.test.JaasUtils.KAFKA_PLAIN_USER1_PASSWORD;

    private static final Object SHARED_LOCK = new Object();
    private static KafkaCluster shared;

    private final Builder config;
    private final boolean isShared;
    private Path dataDirectory;
    private boolean ownsDataDirectory;
    private KafkaClusterTestKit kit;
    private final Set<Integer> stopped = new TreeSet<>();
    private final Map<Integer, Integer> ports = new LinkedHashMap<>();
    private Map<String, Map<Integer, Integer>> extraPorts = Map.of();
    private Admin admin;
    private boolean closed;

    private KafkaCluster(Builder config, boolean isShared) {
        this.config = config;
        this.isShared = isShared;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The JVM-wide single-node cluster, started on first use and closed by a shutdown hook. {@link #close()} on it
     * does nothing, so a test that closes what it was given does not take the broker away from the others.
     */
    public static KafkaCluster shared() {
        synchronized (SHARED_LOCK) {
            if (shared == null) {
                KafkaCluster cluster = new KafkaCluster(builder(), true);
                cluster.start();
                Runtime.getRuntime().addShutdownHook(new Thread(cluster::closeNow, "kwire-shared-kafka-shutdown"));
                shared = cluster;
            }
            return shared;
        }
    }

    /**
     * Formats the storage and starts every node; returns when all brokers are ready. A start that fails (the test kit
     * flakes now and then with several nodes) is retried once with a fresh data directory.
     */
    public KafkaCluster start() {
        if (kit != null) {
            throw new IllegalStateException("already started");
        }
        if (closed) {
            throw new IllegalStateException("closed");
        }
        if (config.quietLogging) {
            KafkaLogging.quiet();
        }
        int attempts = config.startAttempts;
        for (int attempt = 1; ; attempt++) {
            long t0 = System.nanoTime();
            try {
                startOnce();
                log.debug("Kafka cluster of {} broker(s) started in {} ms at {}", config.brokers,
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0), bootstrapServers());
                return this;
            } catch (Exception e) {
                log.warn("Kafka cluster start failed (attempt {} of {})", attempt, attempts, e);
                shutdownKit();
                if (attempt >= attempts) {
                    closed = true;
                    deleteDataDirectory();
                    throw new IllegalStateException("Kafka cluster did not start", e);
                }
                deleteDataDirectory();
            }
        }
    }

    private void startOnce() throws Exception {
        if (config.dataDirectory != null) {
            // a fresh subdirectory per start attempt: the storage of a failed attempt is already formatted
            Files.createDirectories(config.dataDirectory);
            dataDirectory = Files.createTempDirectory(config.dataDirectory, "kafka-");
            ownsDataDirectory = false;
        } else {
            dataDirectory = Files.createTempDirectory("kwire-kafka-");
            ownsDataDirectory = true;
        }
        List<Integer> brokerIds = IntStream.range(0, config.brokers).boxed().toList();
        TestKitNodes.Builder nodesBuilder = new TestKitNodes.Builder()
                // One controller: node 0 is broker and controller (combined). Several: dedicated controller nodes,
                // because with several combined nodes Kafka 4.1.2's test kit loses its quorum right after start
                // (a follower's UpdateRaftVoter gets INVALID_REQUEST and its raft thread dies).
                .setCombined(config.controllers == 1)
                .setNumBrokerNodes(config.brokers)
                .setNumControllerNodes(config.controllers)
                .setBootstrapMetadataVersion(MetadataVersion.latestProduction())
                .setBaseDirectory(dataDirectory)
                .setBrokerListenerName(new ListenerName(CLIENT_LISTENER))
                .setBrokerSecurityProtocol(config.protocol)
                .setControllerListenerName(new ListenerName(CONTROLLER_LISTENER))
                .setControllerSecurityProtocol(config.controllerProtocol != null ? config.controllerProtocol
                        : config.protocol);
        if (!config.extraListeners.isEmpty()) {
            // combined mode (one controller) puts the controller on node 0
            nodesBuilder.setPerServerProperties(config.extraListeners.brokerListeners(brokerIds,
                    config.controllers == 1 ? List.of(0) : List.of()));
        }
        TestKitNodes nodes = nodesBuilder.build();
        KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes).setDeleteOnClose(false);
        Map<String, String> props = new LinkedHashMap<>();
        props.put("unstable.api.versions.enable", "false");
        props.put("unstable.feature.versions.enable", "false");
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("offsets.topic.replication.factor", Integer.toString(Math.min(3, config.brokers)));
        props.put("transaction.state.log.replication.factor", Integer.toString(Math.min(3, config.brokers)));
        props.put("transaction.state.log.min.isr", "1");
        props.put("auto.create.topics.enable", "false");
        props.putAll(config.listenerProperties);
        if (!config.extraListeners.isEmpty()) {
            props.putAll(config.extraListeners.nodeProperties(config.protocol, nodes.controllerListenerProtocol()));
            config.extraListeners.prebind(builder, brokerIds);
        }
        props.putAll(config.brokerProperties);
        props.forEach(builder::setConfigProp);
        KafkaClusterTestKit k = builder.build();
        kit = k;
        k.format();
        k.startup();
        k.waitForReadyBrokers();
        throwIfFaulted();
        ports.clear();
        for (Map.Entry<Integer, BrokerServer> e : k.brokers().entrySet()) {
            ports.put(e.getKey(), e.getValue().boundPort(new ListenerName(CLIENT_LISTENER)));
        }
        extraPorts = config.extraListeners.boundPorts(k.brokers());
        stopped.clear();
        awaitBrokersInMetadata(Duration.ofSeconds(60));
        throwIfFaulted();
    }

    private void throwIfFaulted() {
        Throwable fault = fatalFault();
        if (fault != null) {
            throw new IllegalStateException("a Kafka node failed: " + fault.getMessage(), fault);
        }
    }

    /** {@code localhost:port} of every running broker's client listener, comma separated. */
    public String bootstrapServers() {
        requireStarted();
        return ports.entrySet().stream()
                .filter(e -> !stopped.contains(e.getKey()))
                .map(e -> "localhost:" + e.getValue())
                .collect(Collectors.joining(","));
    }

    /**
     * {@code localhost:port} of every running broker's listener {@code listener}: {@value #CLIENT_LISTENER} or one
     * added with {@link Builder#extraListener}.
     */
    public String bootstrapServers(String listener) {
        requireStarted();
        if (CLIENT_LISTENER.equals(listener)) {
            return bootstrapServers();
        }
        Map<Integer, Integer> byBroker = extraPorts.get(listener);
        if (byBroker == null) {
            throw new IllegalArgumentException("no listener " + listener + "; the brokers have " + CLIENT_LISTENER
                    + (extraPorts.isEmpty() ? "" : " and " + extraPorts.keySet()));
        }
        return byBroker.entrySet().stream()
                .filter(e -> !stopped.contains(e.getKey()))
                .map(e -> "localhost:" + e.getValue())
                .collect(Collectors.joining(","));
    }

    /** The client listener's port of a broker (also while it is stopped: it binds the same port on restart). */
    public int port(int brokerId) {
        requireStarted();
        Integer port = ports.get(brokerId);
        if (port == null) {
            throw new IllegalArgumentException("no broker " + brokerId + "; brokers are " + ports.keySet());
        }
        return port;
    }

    /** The node ids of all brokers, running or stopped. */
    public List<Integer> brokerIds() {
        requireStarted();
        return List.copyOf(ports.keySet());
    }

    /** The node ids of the running brokers. */
    public List<Integer> runningBrokerIds() {
        requireStarted();
        return ports.keySet().stream().filter(id -> !stopped.contains(id)).collect(Collectors.toUnmodifiableList());
    }

    /** The security protocol of the client listener. */
    public SecurityProtocol securityProtocol() {
        return config.protocol;
    }

    /**
     * Client properties for Apache kafka-clients (bootstrap servers and security protocol); add credentials for
     * SASL/SSL listeners yourself.
     */
    public Properties clientProperties() {
        Properties p = new Properties();
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        p.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, config.protocol.name);
        if (config.protocol == SecurityProtocol.SASL_PLAINTEXT) {
            // the test kit's own PLAIN users; clientProperty(...) overrides
            p.put("sasl.mechanism", "PLAIN");
            p.put("sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
                    + SASL_ADMIN + "\" password=\"" + SASL_ADMIN_PASSWORD + "\";");
        }
        p.putAll(config.clientProperties);
        return p;
    }

    /** The data directory (formatted log and metadata directories of all nodes). */
    public Path dataDirectory() {
        requireStarted();
        return dataDirectory;
    }

    /**
     * Shuts a broker down (controlled shutdown: its partition leaderships move first). A controller on the same node
     * keeps running, so the quorum stays. Its client port stops accepting.
     */
    public void stopBroker(int brokerId) {
        BrokerServer broker = broker(brokerId);
        if (stopped.contains(brokerId)) {
            return;
        }
        closeAdmin(); // its connections point at the broker being stopped
        broker.shutdown();
        broker.awaitShutdown();
        stopped.add(brokerId);
    }

    /**
     * Starts a stopped broker again (or stops and starts a running one) and waits until it is back in the cluster
     * metadata. It listens on the port it had before.
     */
    public void restartBroker(int brokerId) {
        BrokerServer broker = broker(brokerId);
        if (!stopped.contains(brokerId)) {
            stopBroker(brokerId);
        }
        long t0 = System.nanoTime();
        broker.startup();
        log.debug("broker {} startup() returned after {} ms", brokerId,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        stopped.remove(brokerId);
        int port = broker.boundPort(new ListenerName(CLIENT_LISTENER));
        if (port != ports.get(brokerId)) {
            log.warn("broker {} came back on port {} instead of {}", brokerId, port, ports.get(brokerId));
            ports.put(brokerId, port);
        }
        extraPorts.forEach((listener, byBroker) ->
                byBroker.put(brokerId, broker.boundPort(new ListenerName(listener))));
        closeAdmin();
        awaitBrokersInMetadata(Duration.ofSeconds(60));
        log.debug("broker {} back in the cluster metadata after {} ms", brokerId,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    }

    /**
     * Creates a topic and waits until every partition has a leader. An existing topic with that name is left as it
     * is.
     */
    public void createTopic(String name, int partitions, int replicationFactor) {
        createTopic(name, partitions, replicationFactor, Map.of());
    }

    /** Creates a topic with topic configs (e.g. {@code cleanup.policy}) and waits until every partition has a leader. */
    public void createTopic(String name, int partitions, int replicationFactor, Map<String, String> topicConfigs) {
        requireStarted();
        throwIfFaulted();
        NewTopic topic = new NewTopic(name, partitions, (short) replicationFactor).configs(topicConfigs);
        try {
            admin().createTopics(List.of(topic)).all().get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("could not create topic " + name, e.getCause());
            }
        } catch (Exception e) {
            throw new IllegalStateException("could not create topic " + name, e);
        }
        awaitTopic(name, partitions, Duration.ofSeconds(60));
    }

    /** Deletes a topic if it exists. */
    public void deleteTopic(String name) {
        try {
            admin().deleteTopics(List.of(name)).all().get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException)) {
                throw new IllegalStateException("could not delete topic " + name, e.getCause());
            }
        } catch (Exception e) {
            throw new IllegalStateException("could not delete topic " + name, e);
        }
    }

    /**
     * An Apache kafka-clients {@link Admin} on this cluster, owned by the cluster (closed with it; do not close it).
     * Replaced after a broker is stopped or restarted.
     */
    public Admin admin() {
        requireStarted();
        if (admin == null) {
            Properties p = clientProperties();
            p.put(AdminClientConfig.CLIENT_ID_CONFIG, "kwire-testkit-admin");
            p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
            p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
            p.put(AdminClientConfig.RETRY_BACKOFF_MS_CONFIG, "50");
            admin = Admin.create(p);
        }
        return admin;
    }

    /** Kafka's test kit under this cluster, for what this class does not offer. */
    public KafkaClusterTestKit testKit() {
        requireStarted();
        return kit;
    }

    public boolean isRunning() {
        return kit != null && !closed;
    }

    /**
     * Stops every node and deletes the data directory. Idempotent. On the {@link #shared()} cluster it does nothing.
     */
    @Override
    public void close() {
        if (isShared) {
            return;
        }
        closeNow();
    }

    private synchronized void closeNow() {
        if (closed) {
            return;
        }
        closed = true;
        long t0 = System.nanoTime();
        closeAdmin();
        shutdownKit();
        deleteDataDirectory();
        log.debug("Kafka cluster closed in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    }

    /** The first fatal fault a node reported (a dead raft thread, say), or null while the cluster is healthy. */
    public Throwable fatalFault() {
        KafkaClusterTestKit k = kit;
        return k == null ? null : k.fatalFaultHandler().firstException();
    }

    private void shutdownKit() {
        KafkaClusterTestKit k = kit;
        kit = null;
        if (k != null) {
            if (k.fatalFaultHandler().firstException() != null) {
                // A node died: a controlled shutdown would wait minutes for a quorum that is gone.
                for (BrokerServer b : k.brokers().values()) {
                    try {
                        b.shutdown(Duration.ofSeconds(2));
                    } catch (RuntimeException e) {
                        log.debug("error stopping broker", e);
                    }
                }
            }
            try {
                k.close();
            } catch (Exception e) {
                log.warn("error closing the Kafka test kit", e);
            }
        }
    }

    private void closeAdmin() {
        if (admin != null) {
            try {
                admin.close(Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                log.debug("error closing admin", e);
            }
            admin = null;
        }
    }

    private void deleteDataDirectory() {
        if (dataDirectory != null && ownsDataDirectory) {
            Files2.deleteRecursively(dataDirectory);
        }
        dataDirectory = null;
    }

    private BrokerServer broker(int brokerId) {
        requireStarted();
        throwIfFaulted();
        BrokerServer broker = kit.brokers().get(brokerId);
        if (broker == null) {
            throw new IllegalArgumentException("no broker " + brokerId + "; brokers are " + ports.keySet());
        }
        return broker;
    }

    private void requireStarted() {
        if (closed) {
            throw new IllegalStateException("closed");
        }
        if (kit == null) {
            throw new IllegalStateException("not started");
        }
    }

    private void awaitBrokersInMetadata(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Set<Integer> expected = new TreeSet<>(runningBrokerIds());
        Exception last = null;
        while (System.nanoTime() < deadline) {
            // every running listener accepts ...
            boolean accepting = true;
            for (int id : expected) {
                if (!accepts(ports.get(id))) {
                    accepting = false;
                    break;
                }
            }
            if (accepting) {
                try {
                    // ... and the cluster metadata lists every running broker
                    Set<Integer> seen = admin().describeCluster().nodes().get(10, TimeUnit.SECONDS).stream()
                            .map(n -> n.id()).collect(Collectors.toCollection(TreeSet::new));
                    if (seen.equals(expected)) {
                        return;
                    }
                } catch (Exception e) {
                    last = e;
                }
            }
            sleep(50);
        }
        throw new IllegalStateException("brokers " + expected + " not ready within " + timeout, last);
    }

    private void awaitTopic(String name, int partitions, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                TopicDescription d = admin().describeTopics(List.of(name)).allTopicNames().get(10, TimeUnit.SECONDS)
                        .get(name);
                if (d != null && d.partitions().size() == partitions
                        && d.partitions().stream().map(TopicPartitionInfo::leader).allMatch(l -> l != null && !l.isEmpty())) {
                    return;
                }
            } catch (Exception e) {
                last = e;
            }
            sleep(20);
        }
        throw new IllegalStateException("topic " + name + " not ready within " + timeout, last);
    }

    static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("localhost", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public String toString() {
        return "KafkaCluster[brokers=" + config.brokers + ", " + (kit == null ? (closed ? "closed" : "not started")
                : bootstrapServers()) + "]";
    }

    /** Settings of a {@link KafkaCluster}. */
    public static final class Builder {
        private int brokers = 1;
        private int controllers = 1;
        private final Map<String, String> brokerProperties = new LinkedHashMap<>();
        private final Map<String, String> listenerProperties = new LinkedHashMap<>();
        private final Map<String, String> clientProperties = new LinkedHashMap<>();
        private final ExtraListeners extraListeners = new ExtraListeners();
        private SecurityProtocol protocol = SecurityProtocol.PLAINTEXT;
        private SecurityProtocol controllerProtocol;
        private Path dataDirectory;
        private boolean quietLogging = true;
        private int startAttempts = 2;

        private Builder() {
        }

        /**
         * Number of controllers (KRaft voters), default 1. With one, node 0 is broker and controller (combined KRaft
         * mode) and there are no extra nodes. With more, the controllers are dedicated nodes (ids 3000, 3001, ...):
         * Kafka 4.1.2's test kit cannot keep a quorum of several combined nodes.
         */
        public Builder controllers(int count) {
            if (count < 1) {
                throw new IllegalArgumentException("controllers must be at least 1");
            }
            this.controllers = count;
            return this;
        }

        /** Number of brokers: 1 (default) or 3 are usual. Broker ids are 0, 1, 2, ... */
        public Builder brokers(int count) {
            if (count < 1) {
                throw new IllegalArgumentException("brokers must be at least 1");
            }
            this.brokers = count;
            return this;
        }

        /** A broker (and controller) config property, e.g. {@code log.segment.bytes}. Wins over the kit's defaults. */
        public Builder brokerProperty(String name, String value) {
            brokerProperties.put(name, value);
            return this;
        }

        public Builder brokerProperties(Map<String, String> properties) {
            brokerProperties.putAll(properties);
            return this;
        }

        /**
         * The security protocol of the client listener (default PLAINTEXT) and the broker properties it needs, e.g.
         * for SASL_PLAINTEXT {@code sasl.enabled.mechanisms} and
         * {@code listener.name.external.plain.sasl.jaas.config}. The listener is named {@value #CLIENT_LISTENER}.
         * Kafka 4.1.2's test kit supports PLAINTEXT and SASL_PLAINTEXT only here (SSL and SASL_SSL are refused):
         * add a TLS listener beside it with {@link #extraListener}, or use {@link ExternalKafkaBroker}.
         * The controller listener gets the same protocol unless {@link #controllerListener} says otherwise (Kafka's
         * test kit fails to start with a SASL broker listener and a PLAINTEXT controller one).
         */
        public Builder listener(SecurityProtocol protocol, Map<String, String> properties) {
            if (protocol == SecurityProtocol.SSL || protocol == SecurityProtocol.SASL_SSL) {
                // TestKitNodes rejects them ("Currently only support PLAINTEXT / SASL_PLAINTEXT")
                throw new IllegalArgumentException("Kafka's in-JVM test kit supports PLAINTEXT and SASL_PLAINTEXT "
                        + "for its client listener only; add an SSL one beside it with extraListener(\"TLS\", "
                        + protocol + ", ...), or run the broker with ExternalKafkaBroker");
            }
            this.protocol = Objects.requireNonNull(protocol);
            this.listenerProperties.putAll(properties);
            return this;
        }

        /**
         * Another listener on every broker (not on dedicated controllers), beside {@value #CLIENT_LISTENER}, with
         * any security protocol, SSL and SASL_SSL included: {@code properties} are that listener's, given without
         * the {@code listener.name.<name>.} prefix (e.g. {@code ssl.keystore.location}, {@code sasl.enabled.mechanisms},
         * {@code plain.sasl.jaas.config}). Clients reach it at {@link KafkaCluster#bootstrapServers(String)}; the
         * kit's own clients ({@link KafkaCluster#admin()}) keep using {@value #CLIENT_LISTENER}. Its port stays the
         * same across {@link KafkaCluster#restartBroker(int)}.
         *
         * @param name upper case, e.g. {@code TLS}; not {@value #CLIENT_LISTENER} or {@value #CONTROLLER_LISTENER}
         */
        public Builder extraListener(String name, SecurityProtocol protocol, Map<String, String> properties) {
            extraListeners.add(name, protocol, properties);
            return this;
        }

        /** The controller listener's protocol (default: that of the client listener). */
        public Builder controllerListener(SecurityProtocol protocol, Map<String, String> properties) {
            this.controllerProtocol = Objects.requireNonNull(protocol);
            this.listenerProperties.putAll(properties);
            return this;
        }

        /** Extra properties {@link #clientProperties()} hands to Apache clients (the kit's own Admin too), e.g. SASL. */
        public Builder clientProperty(String name, String value) {
            clientProperties.put(name, value);
            return this;
        }

        /**
         * Where the nodes keep their data: a new subdirectory of this one, kept after close. Default: a new temporary
         * directory, deleted on close.
         */
        public Builder dataDirectory(Path directory) {
            this.dataDirectory = directory;
            return this;
        }

        /** Whether {@link #start()} turns Kafka's loggers down to WARN (logback only). Default true. */
        public Builder quietLogging(boolean quiet) {
            this.quietLogging = quiet;
            return this;
        }

        /** How often {@link #start()} tries before giving up (default 2). */
        public Builder startAttempts(int attempts) {
            this.startAttempts = Math.max(1, attempts);
            return this;
        }

        public KafkaCluster build() {
            Builder copy = new Builder();
            copy.brokers = brokers;
            copy.controllers = controllers;
            copy.brokerProperties.putAll(brokerProperties);
            copy.listenerProperties.putAll(listenerProperties);
            copy.clientProperties.putAll(clientProperties);
            copy.extraListeners.addAll(extraListeners);
            copy.protocol = protocol;
            copy.controllerProtocol = controllerProtocol;
            copy.dataDirectory = dataDirectory;
            copy.quietLogging = quietLogging;
            copy.startAttempts = startAttempts;
            return new KafkaCluster(copy, false);
        }

        /** Builds and starts. */
        public KafkaCluster start() {
            return build().start();
        }
    }
}
