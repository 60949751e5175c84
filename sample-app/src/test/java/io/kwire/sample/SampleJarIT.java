package io.kwire.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
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

    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    private RunningJar app;

    @AfterEach
    void stopTheApp() throws InterruptedException {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void theJarStartsWithJavaDashJarAndReportsHealthUp() throws Exception {
        String jarProperty = System.getProperty("sample.jar");
        Assumptions.assumeTrue(jarProperty != null, "runs under failsafe, after package has built the jar");
        Path jar = Path.of(jarProperty);
        assertThat(jar).as("the repackaged jar (mvn package builds it)").isRegularFile();

        long started = System.nanoTime();
        app = new RunningJar(jar, "--server.port=0", "--spring.main.banner-mode=off");
        int boundPort = app.awaitPort(START_TIMEOUT);
        long ready = System.nanoTime();

        Http http = new Http(boundPort);
        Http.Response health = RunningJar.awaitHealthUp(http, Duration.ofSeconds(30));
        long up = System.nanoTime();
        assertThat(RunningJar.statusOf(health)).as(health.toString()).isEqualTo("UP");
        assertThat(health.<Integer>json("$.details.brokers")).isEqualTo(1);
        assertThat(http.get("/").body()).contains("kwire sample");

        // SIGTERM, as a service manager stops it. Through the handle: Process.destroy() also closes the pipe, and the
        // shutdown's log lines would be lost.
        long stopping = System.nanoTime();
        app.process.toHandle().destroy();
        assertThat(app.process.waitFor(60, TimeUnit.SECONDS)).as("the app exits after SIGTERM").isTrue();
        long stopped = System.nanoTime();
        app.awaitConsoleEnd(Duration.ofSeconds(5));

        String output = app.output();
        assertThat(output).contains("Started an embedded Kafka broker", "Stopped the embedded Kafka broker");
        assertThat(output).as("Kafka's storage formatter output stays off the console")
                .doesNotContain("Formatting metadata directory", "Formatting data directory");
        System.out.printf("java -jar: ready line after %d ms, health UP after %d ms, stopped %d ms after SIGTERM; "
                        + "jar %d MB%n", TimeUnit.NANOSECONDS.toMillis(ready - started),
                TimeUnit.NANOSECONDS.toMillis(up - started), TimeUnit.NANOSECONDS.toMillis(stopped - stopping),
                Files.size(jar) / (1024 * 1024));
    }
}
