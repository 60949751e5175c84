package io.kwire.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.kwire.spring.boot.test.EmbeddedKwireBroker;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The sample app on a real broker that {@link EmbeddedKwireBroker @EmbeddedKwireBroker} starts for the test context
 * (the app's own embedded-broker configuration backs off when it sees the annotation's connection details). Every
 * subclass has the same configuration, so Spring's test context cache gives them one application context and so one
 * broker.
 */
@EmbeddedKwireBroker
@SpringBootTest(classes = SampleApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
        // Selenium warns that it has no DevTools (CDP) support for the packaged Chromium's version: not used here.
        properties = "logging.level.org.openqa.selenium=ERROR")
abstract class EmbeddedBrokerAppTestBase {

    @LocalServerPort
    int port;

    Http http() {
        return new Http(port);
    }

    static void eventually(Duration timeout, String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited %s for %s", timeout, what).isLessThan(deadline);
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
