package io.kwire.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The sample app as a newcomer runs it: no {@code kwire.client.bootstrap-servers}, so it starts its own embedded
 * broker. Every subclass has the same configuration, so Spring's test context cache gives them one application
 * context and so one broker.
 */
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
