package io.kwire.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A standalone ZooKeeper server as a child JVM, for brokers of the ZooKeeper era: {@code ZooKeeperServerMain} from
 * the ZooKeeper jar that the broker's own class path brings (3.4 for 0.10, up to 3.8 for 3.9). Listens on a free
 * loopback port, keeps its data in the given directory, and has its admin server (ZooKeeper 3.5+) off. Used by one
 * {@link ExternalKafkaBroker}, on the thread that starts and closes it.
 */
final class ZooKeeperProcess implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Path directory;

    private ZooKeeperProcess(Process process, int port, Path directory) {
        this.process = process;
        this.port = port;
        this.directory = directory;
    }

    /**
     * Starts ZooKeeper and returns once its port accepts.
     *
     * @param java the java command and class path, without a main class
     */
    static ZooKeeperProcess start(List<String> java, Path directory, Duration timeout)
            throws IOException, InterruptedException {
        Files.createDirectories(directory.resolve("data"));
        int port = ExternalKafkaBroker.freePort();
        Path config = directory.resolve("zoo.cfg");
        Files.writeString(config, "clientPort=" + port + "\nclientPortAddress=127.0.0.1\ndataDir="
                + directory.resolve("data").toString().replace("\\", "\\\\") + "\ntickTime=2000\nmaxClientCnxns=0\n"
                + "admin.enableServer=false\n", StandardCharsets.UTF_8);
        List<String> cmd = new ArrayList<>(java);
        cmd.add("-Dzookeeper.admin.enableServer=false");
        cmd.add("org.apache.zookeeper.server.ZooKeeperServerMain");
        cmd.add(config.toString());
        Path log = directory.resolve("zookeeper.log");
        Process p = new ProcessBuilder(cmd).directory(directory.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        ZooKeeperProcess zk = new ZooKeeperProcess(p, port, directory);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!KafkaCluster.accepts(port)) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                zk.close();
                throw new IllegalStateException("ZooKeeper did not listen on port " + port + " within " + timeout
                        + ": " + ExternalKafkaBroker.tail(log, 30));
            }
            Thread.sleep(50); // the pace of the checks, not a stand-in for the condition
        }
        return zk;
    }

    /** {@code 127.0.0.1:port}, for {@code zookeeper.connect}. */
    String connect() {
        return "127.0.0.1:" + port;
    }

    /** The last lines of ZooKeeper's output. */
    String logTail(int lines) {
        return ExternalKafkaBroker.tail(directory.resolve("zookeeper.log"), lines);
    }

    /** SIGTERM, a forced kill after 10 s. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
