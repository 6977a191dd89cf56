package dev.termlet.web;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.stream.Collectors;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven by Selenium through Debian's chromedriver, both at fixed paths (Selenium Manager
 * never runs, nothing is downloaded). Downloads go to a directory of the test; the console is recorded.
 */
final class BrowserChrome implements AutoCloseable {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    final ChromeDriver driver;
    final Path downloads;
    final WebDriverWait wait;

    /** Skips the test (an assumption, with the reason) unless Chromium and its driver are installed. */
    static void assumeInstalled() {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER),
                "the browser tests need Debian's chromium and chromium-driver (apt-get install -y chromium"
                        + " chromium-driver): /usr/bin/chromium or /usr/bin/chromedriver is missing");
    }

    BrowserChrome(Path downloads) {
        this.downloads = downloads;
        System.setProperty("webdriver.chrome.driver", DRIVER.toString());
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort().withLogOutput(java.io.OutputStream.nullOutputStream()).build();
        ChromeOptions o = new ChromeOptions();
        o.setBinary(CHROMIUM.toFile());
        o.addArguments("--headless=new", "--ignore-certificate-errors", "--no-sandbox", "--disable-dev-shm-usage",
                "--disable-gpu", "--no-first-run", "--window-size=1280,900", "--lang=en-US");
        o.setAcceptInsecureCerts(true);
        o.setExperimentalOption("prefs", Map.of("download.default_directory", downloads.toString(),
                "download.prompt_for_download", false, "download.directory_upgrade", true,
                "safebrowsing.enabled", false));
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        o.setCapability("goog:loggingPrefs", logs);
        this.driver = new ChromeDriver(service, o);
        driver.executeCdpCommand("Browser.setDownloadBehavior", Map.of("behavior", "allow", "downloadPath",
                downloads.toString()));
        this.wait = new WebDriverWait(driver, Duration.ofSeconds(30));
    }

    /** Records the page's CSP violations in {@code window.__csp} from the start of every document. */
    void recordCspViolations() {
        driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source",
                "window.__csp = []; document.addEventListener('securitypolicyviolation', e => window.__csp.push("
                        + "e.violatedDirective + ' ' + e.blockedURI));"));
    }

    @SuppressWarnings("unchecked")
    List<String> cspViolations() {
        return (List<String>) driver.executeScript("return window.__csp || ['(the recorder is missing)'];");
    }

    /** @return the console's entries since the last call, as text */
    List<String> console() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .map(e -> e.getLevel() + " " + e.getMessage()).collect(Collectors.toList());
    }

    WebElement visible(By by) {
        return wait.until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    WebElement row(String name) {
        return visible(By.cssSelector("#entries tr[data-name='" + name + "']"));
    }

    void gone(String name) {
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#entries tr[data-name='" + name + "']"), 0));
    }

    /** Answers the page's dialog: a name (typed over what is there), or a yes. */
    void answer(String name) {
        visible(By.id("dialog"));
        if (name != null) {
            WebElement in = visible(By.id("dialog-input"));
            in.clear();
            in.sendKeys(name);
        }
        driver.findElement(By.id("dialog-ok")).click();
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("dialog")));
    }

    /** Waits for a finished download of that name and returns it. */
    Path downloaded(String name) {
        Path p = downloads.resolve(name);
        wait.until(d -> Files.isRegularFile(p) && !Files.exists(downloads.resolve(name + ".crdownload")));
        return p;
    }

    /**
     * @return the page's console errors (script errors, CSP reports), but for the server's refusals that the page
     *     shows as messages ("Failed to load resource")
     */
    List<String> scriptErrors() {
        return console().stream().filter(l -> l.startsWith(Level.SEVERE.toString()))
                .filter(l -> !l.contains("Failed to load resource")).collect(Collectors.toList());
    }

    @Override
    public void close() {
        driver.quit();
    }
}
