package io.kwire.sample;

import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Chromium from the operating system's packages, driven by Selenium with the packaged chromedriver, so
 * nothing is downloaded. Without Chromium the test fails and says how to install it. One browser per instance;
 * close it after the test.
 */
final class Browser implements AutoCloseable {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    /** A phone's viewport in CSS pixels (an iPhone 12-15), with touch and a high pixel ratio. */
    static final int PHONE_WIDTH = 390;
    static final int PHONE_HEIGHT = 844;

    private final Path profile;
    final WebDriver driver;

    private Browser(ChromeOptions options) {
        requireChromium();
        // Keep Selenium Manager from looking anything up: the driver and the browser are both given.
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        System.setProperty("SE_AVOID_STATS", "true");
        try {
            profile = Files.createTempDirectory("kwire-sample-chromium");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        driver = new ChromeDriver(service, options);
    }

    /** A desktop-sized window. */
    static Browser desktop() {
        ChromeOptions options = new ChromeOptions();
        options.addArguments("--window-size=1400,1000");
        return new Browser(options);
    }

    /** A phone: Chromium's device emulation with a {@value #PHONE_WIDTH} px wide viewport. */
    static Browser phone() {
        ChromeOptions options = new ChromeOptions();
        options.setExperimentalOption("mobileEmulation", Map.of(
                "deviceMetrics", Map.of("width", PHONE_WIDTH, "height", PHONE_HEIGHT, "pixelRatio", 3.0, "touch", true),
                "userAgent", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile"));
        options.addArguments("--window-size=" + PHONE_WIDTH + "," + PHONE_HEIGHT);
        return new Browser(options);
    }

    static void requireChromium() {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            fail("Headless Chromium is needed for this test but " + CHROMIUM + " or " + CHROMEDRIVER
                    + " is missing: run scripts/install-browser.sh (as root) from the repository root");
        }
    }

    /** A wait that looks elements up again on each try (the page redraws its tables on every refresh). */
    WebDriverWait waiting(Duration timeout) {
        WebDriverWait wait = new WebDriverWait(driver, timeout, Duration.ofMillis(100));
        wait.ignoring(StaleElementReferenceException.class);
        return wait;
    }

    String text(String css) {
        List<org.openqa.selenium.WebElement> found = driver.findElements(By.cssSelector(css));
        return found.isEmpty() ? "" : found.get(0).getText();
    }

    Object script(String javascript, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(javascript, args);
    }

    /** The top of the page as a picture under target/screenshots, for a person to look at. */
    Path screenshot(String name) {
        script("window.scrollTo(0, 0)");
        return screenshotHere(name);
    }

    /** What the viewport shows now, as a picture under target/screenshots. */
    Path screenshotHere(String name) {
        Path file = Path.of("target", "screenshots", name);
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            } catch (IOException e) {
                // a temporary directory: nothing to do if it cannot be removed
            }
        }
    }
}
