package io.kwire.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.kwire.spring.boot.test.EmbeddedBroker;
import io.kwire.spring.boot.test.EmbeddedKwireBroker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

/**
 * The broker goes away while the page is open, and comes back. An application context of its own (its own
 * {@code @EmbeddedKwireBroker}), since stopping the broker is the point; closed after the class.
 *
 * <p>What it shows: within a few seconds of the broker stopping, the header badge (health), the broker row (the
 * client's connection state) and the banner all say so, while the JSON API answers at once with a 503 naming the
 * connection error instead of waiting out the 15 s request timeout, and the live view says it is reconnecting.
 * After the restart all of them recover by themselves, and the live view resumes at the offset it stopped at:
 * records produced after the restart arrive, none twice. Screenshots of both states go to target/screenshots; the
 * measured times go to the test's output and target/outage-timings.txt.
 */
@EmbeddedKwireBroker
@SpringBootTest(classes = SampleApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = {"kwire.client.client-id=kwire-sample-outage-test", "logging.level.org.openqa.selenium=ERROR"})
@DirtiesContext
class BrokerOutageBrowserTest {

    /** "A few seconds": the page refreshes every 2 s and the client retries within its 1 s back-off. */
    static final Duration AGREE_WITHIN = Duration.ofSeconds(10);

    @LocalServerPort
    int port;

    @Autowired
    EmbeddedBroker broker;

    private Browser browser;

    @AfterEach
    void closeBrowserAndRestoreBroker() {
        if (browser != null) {
            browser.close();
        }
        if (broker.isRunning() && !broker.isBrokerUp()) {
            broker.restartBroker();
        }
    }

    @Test
    void badgeBrokerRowAndBannerAgreeWhileTheBrokerIsDownAndTheLiveViewRecoversAfterItsRestart() throws IOException {
        Http http = new Http(port);
        assertThat(http.post("/api/topics", "{\"name\": \"outage\"}").status()).isEqualTo(201);
        assertThat(http.post("/api/topics/outage/partitions/0/records", "{\"value\": \"before the outage\"}")
                .status()).isEqualTo(200);

        browser = Browser.desktop();
        SamplePage page = new SamplePage(browser, port);
        page.awaitHealthy(Duration.ofSeconds(30));
        page.follow("outage", 0);
        assertThat(http.post("/api/topics/outage/partitions/0/records", "{\"value\": \"while following\"}")
                .status()).isEqualTo(200);
        browser.waiting(Duration.ofSeconds(10)).until(d -> page.liveValues().contains("while following"));

        long stopped = System.nanoTime();
        broker.stopBroker();
        long stopReturned = System.nanoTime();
        browser.waiting(AGREE_WITHIN).withMessage(() -> "page to show the outage; it says: badge " + page.health()
                        + ", broker " + page.brokerState() + ", connections " + page.connections() + ", banner '"
                        + page.banner() + "'")
                .until(d -> page.health().equals("DOWN") && !page.brokerState().equals("READY")
                        && !page.connections().contains("READY") && page.banner().contains("Kafka is unreachable"));
        long pageShowsDown = System.nanoTime();
        browser.waiting(AGREE_WITHIN).until(d -> page.liveState().equals("RECONNECTING"));
        assertThat(page.liveStatusText()).contains("resume at offset 2");
        browser.screenshot("outage-broker-down.png");

        // The API fails fast and says why: the gate's 503, not a 504 after the request timeout.
        Http.Response cluster = http.get("/api/cluster");
        assertThat(cluster.status()).as(cluster.toString()).isEqualTo(503);
        assertThat(cluster.<String>json("$.detail")).contains("No Kafka broker is reachable");
        Http.Response brokers = http.get("/api/brokers");
        assertThat(brokers.status()).as(brokers.toString()).isEqualTo(200);
        assertThat(brokers.<String>json("$[0].connectionState")).isNotEqualTo("READY");
        Http.Response connections = http.get("/api/connections");
        assertThat(connections.status()).as(connections.toString()).isEqualTo(200);
        assertThat(connections.<java.util.Map<String, String>>json("$")).doesNotContainValue("READY");

        long restarting = System.nanoTime();
        broker.restartBroker();
        long restartReturned = System.nanoTime();
        page.awaitHealthy(Duration.ofSeconds(30));
        long pageShowsUp = System.nanoTime();
        browser.waiting(Duration.ofSeconds(30)).until(d -> page.liveState().equals("LIVE"));
        long liveAgain = System.nanoTime();

        assertThat(http.post("/api/topics/outage/partitions/0/records", "{\"value\": \"after the restart\"}")
                .status()).isEqualTo(200);
        browser.waiting(Duration.ofSeconds(10)).until(d -> page.liveValues().contains("after the restart"));
        assertThat(page.liveOffsets()).containsExactly(2L, 1L);
        browser.screenshot("outage-broker-back.png");

        String timings = String.format("broker stop took %d ms; page showed DOWN %d ms after the stop began "
                        + "(%d ms after it returned)%nbroker restart took %d ms; page showed UP %d ms after the restart "
                        + "began (%d ms after it returned); live view LIVE again %d ms after the restart began%n",
                ms(stopped, stopReturned), ms(stopped, pageShowsDown), ms(stopReturned, pageShowsDown),
                ms(restarting, restartReturned), ms(restarting, pageShowsUp), ms(restartReturned, pageShowsUp),
                ms(restarting, liveAgain));
        System.out.print(timings);
        Files.writeString(Path.of("target", "outage-timings.txt"), timings);
    }

    private static long ms(long from, long to) {
        return TimeUnit.NANOSECONDS.toMillis(to - from);
    }
}
