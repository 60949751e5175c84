package io.kwire.sample;

import java.time.Duration;
import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/** The sample page as a test reads and drives it: what the header, the brokers table, the banner and the live view say. */
final class SamplePage {

    private final Browser browser;

    SamplePage(Browser browser, int port) {
        this.browser = browser;
        browser.driver.get("http://localhost:" + port + "/");
    }

    /** The client badge in the header (the kwire health indicator's status). */
    String health() {
        return browser.text("#health");
    }

    /** The connection state the first broker row shows, or "" before there is a row. */
    String brokerState() {
        List<WebElement> rows = browser.driver.findElements(By.cssSelector("#brokers-table tbody tr[data-broker]"));
        return rows.isEmpty() ? "" : rows.get(0).getAttribute("data-state");
    }

    String brokerRow() {
        return browser.text("#brokers-table tbody tr[data-broker]");
    }

    /** The "Client connections" line under the brokers table. */
    String connections() {
        return browser.text("#connections");
    }

    /** The banner's text, or "" while it is hidden. */
    String banner() {
        WebElement banner = browser.driver.findElement(By.id("banner"));
        return banner.isDisplayed() ? banner.getText() : "";
    }

    String liveState() {
        return browser.driver.findElement(By.id("follow-status")).getAttribute("data-state");
    }

    String liveStatusText() {
        return browser.text("#follow-status");
    }

    /** The values of the live view's rows, newest first. */
    List<String> liveValues() {
        return browser.driver.findElements(By.cssSelector("#live-table tbody tr[data-offset] .record-value")).stream()
                .map(WebElement::getText).toList();
    }

    /** The offsets of the live view's rows, newest first. */
    List<Long> liveOffsets() {
        return browser.driver.findElements(By.cssSelector("#live-table tbody tr[data-offset]")).stream()
                .map(row -> Long.parseLong(row.getAttribute("data-offset"))).toList();
    }

    /** Fills in the live view's form and starts following; waits until the view says LIVE. */
    void follow(String topic, int partition) {
        WebElement form = browser.driver.findElement(By.id("follow-form"));
        WebElement topicInput = form.findElement(By.name("topic"));
        topicInput.clear();
        topicInput.sendKeys(topic);
        WebElement partitionInput = form.findElement(By.name("partition"));
        partitionInput.clear();
        partitionInput.sendKeys(Integer.toString(partition));
        form.findElement(By.cssSelector("button[type=submit]")).click();
        browser.waiting(Duration.ofSeconds(20)).until(d -> "LIVE".equals(liveState()));
    }

    /** Waits until the page is up to date with a reachable cluster: badge UP, broker READY, no banner. */
    void awaitHealthy(Duration timeout) {
        browser.waiting(timeout).withMessage(() -> "page healthy; it says: badge " + health() + ", broker "
                + brokerState() + ", banner '" + banner() + "'")
                .until(d -> health().equals("UP") && brokerState().equals("READY") && banner().isEmpty());
    }
}
