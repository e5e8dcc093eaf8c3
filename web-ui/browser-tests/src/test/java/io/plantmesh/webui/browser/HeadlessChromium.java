package io.plantmesh.webui.browser;

import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.logging.Level;
import java.util.stream.Stream;

import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Debian's Chromium, headless, driven by Debian's chromedriver, with the flags this machine needs (no sandbox as
 * root, no background networking, a fresh profile) and a 1366×768 window. Fails, naming the install script, when
 * either is missing: the browser tests are never skipped silently.
 */
final class HeadlessChromium implements AutoCloseable {

    static final String INSTALL_SCRIPT = "scripts/install-test-packages.sh";
    private static final Path CHROMIUM = Path.of(System.getProperty("plantmesh.chromium", "/usr/bin/chromium"));
    private static final Path CHROMEDRIVER = Path.of(System.getProperty("plantmesh.chromedriver",
            "/usr/bin/chromedriver"));

    /** The smallest screen the page is made for. */
    static final Dimension VIEWPORT = new Dimension(1366, 768);

    private final Path profile;
    private final ChromeDriver driver;

    private HeadlessChromium(final Path profile, final ChromeDriver driver) {
        this.profile = profile;
        this.driver = driver;
    }

    /** Starts the browser; fails the test with what to run when Chromium or chromedriver is not installed. */
    static HeadlessChromium start() throws IOException {
        requireInstalled(CHROMIUM, "chromium");
        requireInstalled(CHROMEDRIVER, "chromium-driver");
        final Path profile = Files.createTempDirectory("plantmesh-chromium-");
        final ChromeOptions options = new ChromeOptions()
                .setBinary(CHROMIUM.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        "--disable-dev-shm-usage", "--window-size=1366,768", "--lang=en-GB",
                        "--user-data-dir=" + profile.toAbsolutePath());
        final LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        final ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        try {
            final ChromeDriver driver = new ChromeDriver(service, options);
            // the page must work in a 1366x768 viewport: size the window so that the viewport is that big
            final Number innerHeight = (Number) driver.executeScript("return window.innerHeight;");
            final int chrome = innerHeight == null ? 0 : VIEWPORT.height - innerHeight.intValue();
            driver.manage().window().setSize(new Dimension(VIEWPORT.width, VIEWPORT.height + Math.max(0, chrome)));
            return new HeadlessChromium(profile, driver);
        } catch (RuntimeException e) {
            deleteTree(profile);
            throw e;
        }
    }

    private static void requireInstalled(final Path binary, final String debianPackage) {
        if (!Files.isExecutable(binary)) {
            fail(binary + " was not found: the browser tests need Debian's chromium and chromium-driver. Run "
                    + INSTALL_SCRIPT + " (as root or with sudo) and run the tests again. The Debian package is "
                    + debianPackage + ".");
        }
    }

    ChromeDriver driver() {
        return driver;
    }

    /** Clicks an element after scrolling it to the middle of the viewport at once (Bootstrap scrolls smoothly, and a click during the scroll misses). */
    void click(final WebElement element) {
        ((JavascriptExecutor) driver).executeScript("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});", element);
        element.click();
    }

    /** Saves a PNG of the window into the screenshot folder (system property {@code plantmesh.screenshots}). */
    void screenshot(final String name) throws IOException {
        final String folder = System.getProperty("plantmesh.screenshots");
        if (folder == null || folder.isBlank()) {
            return;
        }
        final Path target = Path.of(folder).resolve(name + ".png");
        Files.createDirectories(target.getParent());
        final File shot = driver.getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
    }

    /** The browser console's messages since the last call, for a failing test's report. */
    String consoleLog() {
        final StringBuilder text = new StringBuilder();
        for (final LogEntry entry : driver.manage().logs().get(LogType.BROWSER)) {
            text.append(entry.getLevel()).append(' ').append(entry.getMessage()).append('\n');
        }
        return text.toString();
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            deleteTree(profile);
        }
    }

    private static void deleteTree(final Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp folder left behind is not worth failing a test for
        }
    }
}
