package io.kwire.bench.roundtrip;

import io.kwire.bench.Payloads;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.common.message.MetadataResponseData;

/**
 * One process playing N brokers for {@link ManyBrokers}: N listeners on loopback, each bound to port 0, answered by
 * {@link FakeBroker}'s canned responder (one thread per connection). Its Metadata answer lists the N brokers, node
 * i on the i-th port, so a client that bootstraps from any of them learns all. Run as its own JVM through
 * {@link #start}; exits when its standard input closes.
 */
public final class ManyFakeBrokers implements AutoCloseable {

    private final Process process;
    private final List<Integer> ports;

    private ManyFakeBrokers(Process process, List<Integer> ports) {
        this.process = process;
        this.ports = ports;
    }

    /** Starts a process with {@code n} listeners and waits for their ports. */
    public static ManyFakeBrokers start(int n) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(List.of(java, "-Xms512m", "-Xmx512m", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), ManyFakeBrokers.class.getName(), Integer.toString(n)));
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        Process p = pb.start();
        String line = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
        if (line == null || !line.startsWith("PORTS ")) {
            p.destroyForcibly();
            throw new IOException("the fake brokers did not start: " + line);
        }
        List<Integer> ports = Arrays.stream(line.substring(6).trim().split(",")).map(Integer::valueOf).toList();
        return new ManyFakeBrokers(p, ports);
    }

    public List<Integer> ports() {
        return ports;
    }

    @Override
    public void close() {
        FakeBrokerProcess.stop(process);
    }

    /** A Metadata answer naming every listener as a broker (node i on ports[i]) and {@code topics} topics. */
    static MetadataResponseData metadataResponse(int topics, List<Integer> ports) {
        MetadataResponseData d = Payloads.metadataResponse(topics, Payloads.PARTITIONS_PER_TOPIC, "127.0.0.1",
                ports.get(0));
        MetadataResponseData.MetadataResponseBrokerCollection brokers =
                new MetadataResponseData.MetadataResponseBrokerCollection();
        for (int i = 0; i < ports.size(); i++) {
            brokers.add(new MetadataResponseData.MetadataResponseBroker().setNodeId(i).setHost("127.0.0.1")
                    .setPort(ports.get(i)));
        }
        return d.setBrokers(brokers);
    }

    public static void main(String[] args) throws IOException {
        int n = Integer.parseInt(args[0]);
        List<ServerSocketChannel> servers = new ArrayList<>(n);
        List<Integer> ports = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ServerSocketChannel server = ServerSocketChannel.open();
            server.bind(new InetSocketAddress("127.0.0.1", 0), 128);
            servers.add(server);
            ports.add(((InetSocketAddress) server.getLocalAddress()).getPort());
        }
        FakeBroker broker = new FakeBroker(ports.get(0), List.copyOf(ports));
        for (ServerSocketChannel server : servers) {
            Thread acceptor = new Thread(() -> {
                while (true) {
                    try {
                        SocketChannel ch = server.accept();
                        Thread t = new Thread(() -> broker.serve(ch), "fake-broker-conn");
                        t.setDaemon(true);
                        t.start();
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "fake-broker-accept");
            acceptor.setDaemon(true);
            acceptor.start();
        }
        System.out.println("PORTS " + String.join(",", ports.stream().map(String::valueOf).toList()));
        System.out.flush();
        try (InputStream in = System.in) {
            while (in.read() >= 0) {
                // runs until the parent closes our standard input
            }
        }
        System.exit(0);
    }
}
