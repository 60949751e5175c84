package io.kwire.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The page in a real browser: headless Chromium from the operating system's packages, driven by Selenium with the
 * packaged chromedriver, so nothing is downloaded. Without Chromium the test fails and says how to install it.
 */
class BrowserTest extends EmbeddedBrokerAppTestBase {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private static Path profile;
    private WebDriver driver;

    @BeforeAll
    static void requireChromium() throws IOException {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            fail("Headless Chromium is needed for this test but " + CHROMIUM + " or " + CHROMEDRIVER
                    + " is missing: run scripts/install-browser.sh (as root) from the repository root");
        }
        // Keep Selenium Manager from looking anything up: the driver and the browser are both given.
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        System.setProperty("SE_AVOID_STATS", "true");
        profile = Files.createTempDirectory("kwire-sample-chromium");
    }

    @AfterAll
    static void deleteProfile() throws IOException {
        if (profile != null) {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }

    @BeforeEach
    void startBrowser() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--window-size=1400,1000", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        driver = new ChromeDriver(service, options);
    }

    @AfterEach
    void stopBrowser() {
        if (driver != null) {
            driver.quit();
        }
    }

    @Test
    void showsTheBrokersAndRoundTripsAMessageThroughThePage() throws IOException {
        driver.get("http://localhost:" + port + "/");
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));

        // The live view: the broker list with a ready connection and the inferred release.
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#brokers-table tbody tr[data-broker]")));
        // Rows are redrawn on every poll: look the row up again on each try.
        wait.ignoring(StaleElementReferenceException.class).until(d -> {
            String row = d.findElement(By.cssSelector("#brokers-table tbody tr[data-broker]")).getText();
            return row.contains("READY") && row.contains("4.1");
        });
        wait.until(d -> !d.findElement(By.id("cluster-id")).getText().equals("…"));
        wait.until(d -> d.findElement(By.id("health")).getText().equals("UP"));

        // Create a topic through the form; the topic table picks it up on a later poll.
        WebElement create = driver.findElement(By.id("create-topic-form"));
        create.findElement(By.name("name")).sendKeys("browser-topic");
        create.findElement(By.cssSelector("button[type=submit]")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("create-topic-result"), "Created topic browser-topic"));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#topics-table tr[data-topic='browser-topic']")));

        // Produce a message; the page reads it back into the records table.
        WebElement produce = driver.findElement(By.id("produce-form"));
        WebElement topic = produce.findElement(By.name("topic"));
        topic.clear();
        topic.sendKeys("browser-topic");
        produce.findElement(By.name("key")).sendKeys("greeting");
        produce.findElement(By.name("value")).sendKeys("Hello from the browser");
        produce.findElement(By.name("headers")).sendKeys("source=selenium");
        produce.findElement(By.cssSelector("button[type=submit]")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("produce-result"), "at offset 0"));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#records-table tr[data-offset='0']")));

        List<WebElement> rows = driver.findElements(By.cssSelector("#records-table tbody tr[data-offset]"));
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).findElement(By.className("record-key")).getText()).isEqualTo("greeting");
        assertThat(rows.get(0).findElement(By.className("record-value")).getText()).isEqualTo("Hello from the browser");
        assertThat(rows.get(0).getText()).contains("source=selenium");
        screenshot("sample-page.png");

        // Reading an unknown topic shows the problem detail, not a stack trace.
        WebElement read = driver.findElement(By.id("read-form"));
        WebElement readTopic = read.findElement(By.name("topic"));
        readTopic.clear();
        readTopic.sendKeys("missing-topic");
        read.findElement(By.cssSelector("button[type=submit]")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("read-result"), "404"));
        assertThat(driver.findElement(By.id("read-result")).getText()).contains("Topic 'missing-topic' does not exist");
    }

    /** The whole page as a picture in target/, for a person to look at. */
    private void screenshot(String name) throws IOException {
        ((JavascriptExecutor) driver).executeScript("window.scrollTo(0, 0)");
        driver.manage().window().setSize(new Dimension(1400, 1500));
        Path file = Path.of("target", name);
        Files.createDirectories(file.getParent());
        Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
    }
}
