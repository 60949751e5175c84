package io.kwire.sample;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The sample's jar in a process of its own ({@code java -jar JAR ARGS}), its console read line by line on a daemon
 * thread until it exits, and the port it prints once ready. For the failsafe tests of the packaged app.
 */
final class RunningJar implements AutoCloseable {

    private static final Pattern READY = Pattern.compile("kwire sample app is ready: open http://localhost:(\\d+)/");

    final Process process;
    final List<String> console = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Integer> port = new CompletableFuture<>();
    private final Thread reader;

    RunningJar(Path jar, String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-jar", jar.toString()));
        command.addAll(List.of(arguments));
        process = new ProcessBuilder(command).redirectErrorStream(true).start();
        reader = new Thread(this::readConsole, "sample-jar-console");
        reader.setDaemon(true);
        reader.start();
    }

    /** The HTTP port from the app's ready line; fails with the console when the app exits first. */
    int awaitPort(Duration timeout) throws Exception {
        return port.get(timeout.toSeconds(), TimeUnit.SECONDS);
    }

    /** Waits for the console reader to reach the end of the output (after the process exited). */
    void awaitConsoleEnd(Duration timeout) throws InterruptedException {
        reader.join(timeout.toMillis());
    }

    String output() {
        return String.join("\n", console);
    }

    /** Polls {@code /actuator/health/kwire} until UP or the timeout; returns the last answer. */
    static Http.Response awaitHealthUp(Http http, Duration timeout) {
        AtomicReference<Http.Response> health = new AtomicReference<>();
        try {
            Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(100))
                    .until(() -> "UP".equals(statusOf(health.updateAndGet(h -> http.get("/actuator/health/kwire")))));
        } catch (ConditionTimeoutException e) {
            // the caller asserts on the last answer, which says why
        }
        return health.get();
    }

    static String statusOf(Http.Response health) {
        try {
            return health.json("$.status");
        } catch (RuntimeException e) {
            return null;
        }
    }

    private void readConsole() {
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                console.add(line);
                Matcher m = READY.matcher(line);
                if (m.find()) {
                    port.complete(Integer.parseInt(m.group(1)));
                }
            }
            port.completeExceptionally(new AssertionError("the app exited before it was ready:\n" + output()));
        } catch (IOException e) {
            port.completeExceptionally(e);
        }
    }

    /** Kills the process if it still runs. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }
}
