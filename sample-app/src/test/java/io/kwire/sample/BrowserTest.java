package io.kwire.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.kwire.spring.boot.test.EmbeddedBroker;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The page in a real browser (headless Chromium, see {@link Browser}), on a desktop and on a phone, including the
 * live view fed by the JSON API and by a producer outside the app. Screenshots go to target/screenshots.
 */
class BrowserTest extends EmbeddedBrokerAppTestBase {

    @Autowired
    EmbeddedBroker broker;

    private Browser browser;

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void showsTheBrokersAndRoundTripsAMessageThroughThePage() {
        browser = Browser.desktop();
        SamplePage page = new SamplePage(browser, port);
        WebDriverWait wait = browser.waiting(Duration.ofSeconds(30));

        page.awaitHealthy(Duration.ofSeconds(30));
        wait.until(d -> page.brokerRow().contains("4.1"));
        wait.until(d -> !d.findElement(By.id("cluster-id")).getText().equals("…"));

        // Create a topic through the form; the topic table picks it up on a later refresh.
        WebElement create = browser.driver.findElement(By.id("create-topic-form"));
        create.findElement(By.name("name")).sendKeys("browser-topic");
        create.findElement(By.cssSelector("button[type=submit]")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("create-topic-result"), "Created topic browser-topic"));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#topics-table tr[data-topic='browser-topic']")));

        // Produce a message; the page reads it back into the records table.
        WebElement produce = browser.driver.findElement(By.id("produce-form"));
        WebElement topic = produce.findElement(By.name("topic"));
        topic.clear();
        topic.sendKeys("browser-topic");
        produce.findElement(By.name("key")).sendKeys("greeting");
        produce.findElement(By.name("value")).sendKeys("Hello from the browser");
        produce.findElement(By.name("headers")).sendKeys("source=selenium");
        produce.findElement(By.cssSelector("button[type=submit]")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("produce-result"), "at offset 0"));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#records-table tr[data-offset='0']")));

        List<WebElement> rows = browser.driver.findElements(By.cssSelector("#records-table tbody tr[data-offset]"));
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).findElement(By.className("record-key")).getText()).isEqualTo("greeting");
        assertThat(rows.get(0).findElement(By.className("record-value")).getText()).isEqualTo("Hello from the browser");
        assertThat(rows.get(0).getText()).contains("source=selenium");
        assertNothingOverflowsOrBreaksMidWord("desktop");
        browser.screenshot("desktop.png");

        // Reading an unknown topic shows the problem detail, not a stack trace.
        WebElement read = browser.driver.findElement(By.id("read-form"));
        WebElement readTopic = read.findElement(By.name("topic"));
        readTopic.clear();
        readTopic.sendKeys("missing-topic");
        read.findElement(By.cssSelector("button[type=submit]")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("read-result"), "404"));
        assertThat(browser.text("#read-result")).contains("Topic 'missing-topic' does not exist");
    }

    @Test
    void onAPhoneNothingScrollsSidewaysAndNoWordBreaksInTheMiddle() {
        Http http = http();
        assertThat(http.post("/api/topics", "{\"name\": \"phone-orders\"}").status()).isIn(201, 409);
        assertThat(http.post("/api/topics/phone-orders/partitions/0/records",
                "{\"key\": \"customer-00042\", \"value\": \"a long value: " + "0123456789".repeat(12) + "\"}")
                .status()).isEqualTo(200);

        browser = Browser.phone();
        SamplePage page = new SamplePage(browser, port);
        page.awaitHealthy(Duration.ofSeconds(30));
        assertThat(((Number) browser.script("return window.innerWidth")).intValue()).isEqualTo(Browser.PHONE_WIDTH);
        browser.waiting(Duration.ofSeconds(10)).until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#topics-table tr[data-topic='phone-orders']")));
        page.follow("phone-orders", 0);
        WebElement read = browser.driver.findElement(By.id("read-form"));
        read.findElement(By.name("topic")).sendKeys("phone-orders");
        read.findElement(By.cssSelector("button[type=submit]")).click();
        browser.waiting(Duration.ofSeconds(10)).until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#records-table tr[data-offset='0']")));

        assertNothingOverflowsOrBreaksMidWord("phone");
        browser.screenshot("phone.png");
        browser.script("document.getElementById('records-table').scrollIntoView()");
        browser.screenshotHere("phone-records.png");
    }

    @Test
    void theLiveViewShowsRecordsFromTheApiAndFromAnotherProducerAsTheyArrive() {
        Http http = http();
        assertThat(http.post("/api/topics", "{\"name\": \"live-orders\"}").status()).isEqualTo(201);
        assertThat(http.post("/api/topics/live-orders/partitions/0/records", "{\"value\": \"before following\"}")
                .status()).isEqualTo(200);

        browser = Browser.desktop();
        SamplePage page = new SamplePage(browser, port);
        page.awaitHealthy(Duration.ofSeconds(30));
        page.follow("live-orders", 0);
        assertThat(page.liveStatusText()).contains("next offset 1");

        assertThat(http.post("/api/topics/live-orders/partitions/0/records",
                "{\"key\": \"k\", \"value\": \"from the JSON API\"}").status()).isEqualTo(200);
        browser.waiting(Duration.ofSeconds(10)).until(d -> page.liveValues().contains("from the JSON API"));

        try (OtherProducer other = new OtherProducer(broker.bootstrapServers())) {
            assertThat(other.produce("live-orders", 0, "k", "from another producer")).isEqualTo(2);
        }
        browser.waiting(Duration.ofSeconds(10)).until(d -> page.liveValues().contains("from another producer"));

        // Only records from where the view started (latest), each once, newest first.
        assertThat(page.liveValues()).containsExactly("from another producer", "from the JSON API");
        assertThat(page.liveOffsets()).containsExactly(2L, 1L);
        assertThat(page.liveState()).isEqualTo("LIVE");
        browser.screenshot("live-view.png");
    }

    /**
     * The page is no wider than the viewport, and states, ids, addresses, column heads, buttons and topic names each
     * sit on one line: a text broken across lines has client rectangles on more than one line.
     */
    private void assertNothingOverflowsOrBreaksMidWord(String where) {
        Number scrollWidth = (Number) browser.script("return document.documentElement.scrollWidth");
        Number viewport = (Number) browser.script("return document.documentElement.clientWidth");
        assertThat(scrollWidth.intValue()).as("%s: page width vs viewport", where).isLessThanOrEqualTo(viewport.intValue());
        @SuppressWarnings("unchecked")
        List<String> broken = (List<String>) browser.script("""
                const brokenAcrossLines = (e) => {
                  const range = document.createRange();
                  range.selectNodeContents(e);
                  const rects = [...range.getClientRects()].filter(r => r.width > 0 && r.height > 0);
                  return rects.length > 1 && rects.some(r => Math.abs(r.top - rects[0].top) > rects[0].height / 2);
                };
                return [...document.querySelectorAll(
                        '.pill, .nowrap, th, button, summary, tr[data-topic] td:first-child, .record-key')]
                    .filter(e => e.offsetParent !== null && brokenAcrossLines(e))
                    .map(e => e.tagName + '.' + e.className + ': ' + e.textContent.trim());""");
        assertThat(broken).as("%s: texts broken across lines", where).isEmpty();
        @SuppressWarnings("unchecked")
        List<String> outside = (List<String>) browser.script("""
                const width = document.documentElement.clientWidth;
                return [...document.querySelectorAll('body *')]
                    .filter(e => e.offsetParent !== null && e.getBoundingClientRect().right > width + 1)
                    .map(e => e.tagName + '.' + e.className + ' right=' + Math.round(e.getBoundingClientRect().right));""");
        assertThat(outside).as("%s: elements reaching past the viewport (%s px)", where, viewport).isEmpty();
    }
}
