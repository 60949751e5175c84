package io.kwire.bench.roundtrip;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Starts {@link FakeBroker} in a JVM of its own (same java, same class path), optionally pinned to some CPUs with
 * {@code taskset}, and stops it on close.
 */
public final class FakeBrokerProcess implements AutoCloseable {

    private final Process process;
    private final int port;

    public FakeBrokerProcess() throws IOException {
        this(null);
    }

    /**
     * @param cpus the CPUs (a {@code taskset -c} list such as "1") the broker's JVM may run on, or null for any
     */
    public FakeBrokerProcess(String cpus) throws IOException {
        this(cpus, null);
    }

    /**
     * @param cpus     as in {@link #FakeBrokerProcess(String)}
     * @param keyStore the broker's key (PKCS12, {@link TlsMaterial}) for a TLS 1.3 listener, or null for plaintext
     */
    public FakeBrokerProcess(String cpus, java.nio.file.Path keyStore) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>();
        if (cpus != null) {
            command.addAll(List.of("taskset", "-c", cpus));
        }
        command.addAll(List.of(java, "-Xms256m", "-Xmx256m", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), FakeBroker.class.getName()));
        if (keyStore != null) {
            command.addAll(List.of("--tls", keyStore.toString()));
        }
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        process = pb.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        if (line == null || !line.startsWith("PORT ")) {
            process.destroyForcibly();
            throw new IOException("fake broker did not start: " + line);
        }
        port = Integer.parseInt(line.substring(5).trim());
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        stop(process);
    }

    /** Closes a fake broker's standard input (it exits then) and waits for it, killing it after 5 seconds. */
    static void stop(Process process) {
        try {
            process.getOutputStream().close();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (IOException | InterruptedException e) {
            process.destroyForcibly();
        }
    }
}
