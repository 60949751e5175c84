package io.kwire.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real proxy server from Debian's packages, run as a process on loopback for the length of a test: Dante
 * ({@code danted}, SOCKS5) or tinyproxy (HTTP CONNECT). Both are installed by {@code scripts/install-proxies.sh};
 * when a binary is missing, {@link Builder#start()} fails saying so (tests never skip).
 *
 * <p>Start: writes the server's configuration into a temporary directory, picks a free port (binding port 0, then
 * handing the port to the server; a server that loses the port to another process in between is started again on a
 * new one), starts the process and waits until it logs that it listens and the port accepts. Close: SIGTERM to the
 * server and its children, a forced kill after 10 s, and the directory is deleted.
 *
 * <pre>{@code
 * try (ProxyServer socks = ProxyServer.dante().withUser(ProxyServer.DANTE_USER, ProxyServer.DANTE_PASSWORD).start()) {
 *     config.proxyUrl(socks.url());
 * }
 * }</pre>
 *
 * <p>Dante authenticates SOCKS5 users against the system's password database, so its username/password tests need the
 * system user {@link #DANTE_USER} that the install script creates, and Dante must run as root to read
 * {@code /etc/shadow}.
 */
public final class ProxyServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ProxyServer.class);

    /** The system user {@code scripts/install-proxies.sh} creates for Dante's username/password method. */
    public static final String DANTE_USER = "kwireproxy";
    /** Its password, set by the same script: a test credential of a user without a shell or home. */
    public static final String DANTE_PASSWORD = "kwire-proxy-test-secret";

    static final Path DANTED_BINARY = Path.of("/usr/sbin/danted");
    static final Path TINYPROXY_BINARY = Path.of("/usr/bin/tinyproxy");
    private static final int START_ATTEMPTS = 5;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

    /** The kind of server. */
    public enum Kind {
        /** Dante, SOCKS5. */
        DANTE("socks5", DANTED_BINARY, "running"),
        /** tinyproxy, HTTP CONNECT. */
        TINYPROXY("http", TINYPROXY_BINARY, "Accepting connections");

        private final String scheme;
        private final Path binary;
        private final String readyLine;

        Kind(String scheme, Path binary, String readyLine) {
            this.scheme = scheme;
            this.binary = binary;
            this.readyLine = readyLine;
        }
    }

    private final Builder config;
    private final Path directory;
    private Process process;
    private int port;

    private ProxyServer(Builder config) throws IOException {
        this.config = config;
        this.directory = Files.createTempDirectory("kwire-" + config.kind.name().toLowerCase() + "-");
    }

    /** A Dante SOCKS5 server: no authentication unless {@link Builder#withUser}. */
    public static Builder dante() {
        return new Builder(Kind.DANTE);
    }

    /** A tinyproxy HTTP CONNECT proxy: no authentication unless {@link Builder#withUser}. */
    public static Builder tinyproxy() {
        return new Builder(Kind.TINYPROXY);
    }

    /** The port the server listens on, on 127.0.0.1. */
    public int port() {
        return port;
    }

    /** {@code scheme://[user:password@]127.0.0.1:port}, with the configured user and password. */
    public String url() {
        return url(config.user, config.password);
    }

    /** The server's URL with other credentials (null for none), e.g. a wrong password. */
    public String url(String user, String password) {
        String credentials = user == null ? "" : encode(user) + ":" + encode(password) + "@";
        return config.kind.scheme + "://" + credentials + "127.0.0.1:" + port;
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** What the server logged so far. */
    public String log() {
        try {
            Path file = directory.resolve("server.log");
            return Files.exists(file) ? Files.readString(file, StandardCharsets.ISO_8859_1) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void start() throws IOException, InterruptedException {
        if (!Files.isExecutable(config.kind.binary)) {
            throw new IllegalStateException(config.kind.binary + " is missing: run scripts/install-proxies.sh (it"
                    + " installs Debian's dante-server and tinyproxy; scripts/test.sh and CI run it)");
        }
        if (config.kind == Kind.DANTE && config.user != null && !isRoot()) {
            throw new IllegalStateException("Dante's username method reads /etc/shadow: run this test as root");
        }
        for (int attempt = 1; ; attempt++) {
            port = ExternalKafkaBroker.freePort();
            Files.writeString(directory.resolve("server.conf"), configuration(), StandardCharsets.UTF_8);
            Files.deleteIfExists(directory.resolve("server.log"));
            List<String> command = config.kind == Kind.DANTE
                    ? List.of(DANTED_BINARY.toString(), "-f", directory.resolve("server.conf").toString(), "-N", "1",
                    "-p", directory.resolve("server.pid").toString())
                    : List.of(TINYPROXY_BINARY.toString(), "-d", "-c", directory.resolve("server.conf").toString());
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(directory.resolve("process.out").toFile()).start();
            if (awaitListening()) {
                log.debug("{} listening on 127.0.0.1:{}", config.kind, port);
                return;
            }
            String output = log() + Files.readString(directory.resolve("process.out"), StandardCharsets.ISO_8859_1);
            boolean exited = !process.isAlive(); // as a server does that lost its port ("Address already in use")
            stopProcess();
            if (!exited || attempt >= START_ATTEMPTS) {
                throw new IllegalStateException(config.kind + " did not start listening on 127.0.0.1:" + port
                        + " within " + START_TIMEOUT.toSeconds() + " s (attempt " + attempt + "); its output:\n"
                        + output);
            }
            log.info("{} exited at start on port {} (lost the port to another process?); starting it again on another"
                    + " port. Its output:\n{}", config.kind, port, output);
        }
    }

    /** Waits until the server says it listens and the port accepts; false when it exited or time ran out. */
    private boolean awaitListening() throws InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() - deadline < 0) {
            if (!process.isAlive()) {
                return false;
            }
            if (log().contains(config.kind.readyLine) && accepts()) {
                return process.isAlive();
            }
            Thread.sleep(20); // the pace of the checks, not a stand-in for the condition
        }
        return false;
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private boolean accepts() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private String configuration() {
        String logFile = directory.resolve("server.log").toString();
        if (config.kind == Kind.DANTE) {
            StringBuilder c = new StringBuilder()
                    .append("logoutput: ").append(logFile).append('\n')
                    .append("internal: 127.0.0.1 port = ").append(port).append('\n')
                    .append("external: 127.0.0.1\n")
                    .append("clientmethod: none\n")
                    .append("socksmethod: ").append(config.user == null ? "none" : "username").append('\n')
                    // as root, Dante reads /etc/shadow with privileges and serves clients as nobody; as another user it
                    // may not switch users at all (and then only serves without authentication)
                    .append(isRoot() ? "user.privileged: root\nuser.unprivileged: nobody\n" : "")
                    .append("client pass { from: 127.0.0.0/8 to: 0.0.0.0/0 log: error }\n");
            if (config.refusedPort > 0) {
                c.append("socks block { from: 0.0.0.0/0 to: 0.0.0.0/0 port = ").append(config.refusedPort)
                        .append(" log: connect error }\n");
            }
            return c.append("socks pass { from: 127.0.0.0/8 to: 0.0.0.0/0 log: connect error }\n").toString();
        }
        StringBuilder c = new StringBuilder()
                .append("Port ").append(port).append('\n')
                .append("Listen 127.0.0.1\n")
                .append("Timeout 60\nMaxClients 50\nLogLevel Info\n")
                .append("LogFile \"").append(logFile).append("\"\n")
                .append("PidFile \"").append(directory.resolve("server.pid")).append("\"\n")
                .append("Allow 127.0.0.1\n");
        if (config.refusedPort > 0) {
            // tinyproxy only has an allow list of CONNECT ports: allowing one other port refuses the rest
            c.append("ConnectPort ").append(config.refusedPort == 1 ? 2 : 1).append('\n');
        }
        if (config.user != null) {
            c.append("BasicAuth ").append(config.user).append(' ').append(config.password).append('\n');
        }
        return c.toString();
    }

    private void stopProcess() throws InterruptedException {
        Process p = process;
        if (p == null) {
            return;
        }
        List<ProcessHandle> children = p.descendants().toList(); // Dante's negotiator, request and I/O processes
        children.forEach(ProcessHandle::destroy);
        p.destroy();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            log.warn("{} did not stop on SIGTERM within 10 s; killing it", config.kind);
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        for (ProcessHandle child : children) {
            try {
                child.onExit().get(10, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                log.warn("{}'s process {} did not stop on SIGTERM within 10 s; killing it", config.kind, child.pid());
                child.destroyForcibly();
            }
        }
        process = null;
    }

    /** Stops the server and deletes its directory. */
    @Override
    public void close() {
        try {
            stopProcess();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            Files2.deleteRecursively(directory);
        }
    }

    @Override
    public String toString() {
        return config.kind + " on 127.0.0.1:" + port;
    }

    /** What server to start. Not thread-safe. */
    public static final class Builder {

        private final Kind kind;
        private String user;
        private String password;
        private int refusedPort;

        private Builder(Kind kind) {
            this.kind = kind;
        }

        /**
         * Requires this user and password: tinyproxy's {@code BasicAuth}; Dante's {@code socksmethod: username}, which
         * only knows system users ({@link #DANTE_USER}).
         */
        public Builder withUser(String user, String password) {
            this.user = user;
            this.password = password;
            return this;
        }

        /**
         * Refuses CONNECT to this port: Dante by a {@code socks block} rule, tinyproxy by allowing CONNECT to one other
         * port only ({@code ConnectPort}).
         */
        public Builder refusingPort(int port) {
            this.refusedPort = port;
            return this;
        }

        /**
         * Starts the server and returns once it accepts connections.
         *
         * @throws IllegalStateException if the binary is missing (run {@code scripts/install-proxies.sh}) or the server
         *                               did not start; the message holds its output
         */
        public ProxyServer start() throws IOException, InterruptedException {
            ProxyServer server = new ProxyServer(this);
            try {
                server.start();
                return server;
            } catch (IOException | InterruptedException | RuntimeException e) {
                server.close();
                throw e;
            }
        }
    }
}
