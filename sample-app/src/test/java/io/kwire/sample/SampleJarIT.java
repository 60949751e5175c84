package io.kwire.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The repackaged jar as a user runs it: {@code java -jar kwire-sample-app-<version>.jar --server.port=0}, in a
 * process of its own. Run by failsafe after {@code package}; the jar's path comes from the {@code sample.jar}
 * system property the POM sets for failsafe only, so when surefire picks the class up (a {@code -Dtest} pattern
 * naming the package), before the jar exists, it is skipped.
 */
class SampleJarIT {

    private static final Pattern READY = Pattern.compile("kwire sample app is ready: open http://localhost:(\\d+)/");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    private final List<String> console = new CopyOnWriteArrayList<>();
    private Process process;

    @AfterEach
    void stopTheApp() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void theJarStartsWithJavaDashJarAndReportsHealthUp() throws Exception {
        String jarProperty = System.getProperty("sample.jar");
        Assumptions.assumeTrue(jarProperty != null, "runs under failsafe, after package has built the jar");
        Path jar = Path.of(jarProperty);
        assertThat(jar).as("the repackaged jar (mvn package builds it)").isRegularFile();
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");

        long started = System.nanoTime();
        process = new ProcessBuilder(java.toString(), "-jar", jar.toString(), "--server.port=0",
                "--spring.main.banner-mode=off")
                .redirectErrorStream(true)
                .start();
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread reader = new Thread(() -> readConsole(port), "sample-jar-console");
        reader.setDaemon(true);
        reader.start();

        int boundPort = port.get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        long ready = System.nanoTime();

        Http http = new Http(boundPort);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Http.Response health = http.get("/actuator/health/kwire");
        while (!"UP".equals(statusOf(health)) && System.nanoTime() < deadline) {
            Thread.sleep(100); // polling a condition with a deadline
            health = http.get("/actuator/health/kwire");
        }
        long up = System.nanoTime();
        assertThat(statusOf(health)).as(health.toString()).isEqualTo("UP");
        assertThat(health.<Integer>json("$.details.brokers")).isEqualTo(1);
        assertThat(http.get("/").body()).contains("kwire sample");

        // SIGTERM, as a service manager stops it. Through the handle: Process.destroy() also closes the pipe, and the
        // shutdown's log lines would be lost.
        long stopping = System.nanoTime();
        process.toHandle().destroy();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the app exits after SIGTERM").isTrue();
        long stopped = System.nanoTime();
        reader.join(5_000);

        String output = String.join("\n", console);
        assertThat(output).contains("Started an embedded Kafka broker", "Stopped the embedded Kafka broker");
        assertThat(output).as("Kafka's storage formatter output stays off the console")
                .doesNotContain("Formatting metadata directory", "Formatting data directory");
        System.out.printf("java -jar: ready line after %d ms, health UP after %d ms, stopped %d ms after SIGTERM; "
                        + "jar %d MB%n", TimeUnit.NANOSECONDS.toMillis(ready - started),
                TimeUnit.NANOSECONDS.toMillis(up - started), TimeUnit.NANOSECONDS.toMillis(stopped - stopping),
                Files.size(jar) / (1024 * 1024));
    }

    private void readConsole(CompletableFuture<Integer> port) {
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
            port.completeExceptionally(new AssertionError("the app exited before it was ready:\n"
                    + String.join("\n", console)));
        } catch (IOException e) {
            port.completeExceptionally(e);
        }
    }

    private static String statusOf(Http.Response health) {
        try {
            return health.json("$.status");
        } catch (RuntimeException e) {
            return null;
        }
    }
}
