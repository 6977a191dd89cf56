package dev.termlet.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * Share links made in the browser file client and used by a visitor in another browser (a new Chromium, no
 * cookies): password, most uses, a folder as a zip, "My shares" and its Delete, the share events in order.
 */
class BrowserShareTest {
    @TempDir
    Path data;
    @TempDir
    Path ownerDownloads;
    @TempDir
    Path visitorDownloads;
    @TempDir
    Path local;

    private final ShareSupport.Recorder events = new ShareSupport.Recorder();

    @BeforeAll
    static void chromium() {
        BrowserChrome.assumeInstalled();
    }

    private static void login(BrowserChrome b, String user, String password) {
        WebElement u = b.visible(By.id("login-user"));
        u.clear();
        u.sendKeys(user);
        b.driver.findElement(By.id("login-password")).sendKeys(password);
        b.driver.findElement(By.cssSelector("#login button[type=submit]")).click();
    }

    /** Waits until n share events were seen (the after-events of a transfer follow its last byte), then takes them. */
    private List<String> events(BrowserChrome b, int n) {
        b.wait.until(d -> events.seen.size() >= n);
        return events.take();
    }

    /** Opens the share dialog of a row. */
    private static void shareDialog(BrowserChrome b, String name) {
        b.row(name).findElement(By.cssSelector("button.share")).click();
        b.visible(By.id("share-form"));
    }

    /** Creates the link in the open dialog and returns it. */
    private static String create(BrowserChrome b) {
        b.driver.findElement(By.id("share-create")).click();
        WebElement link = b.visible(By.id("share-link"));
        return link.getAttribute("value");
    }

    private static void close(BrowserChrome b) {
        b.driver.findElement(By.id("share-done-close")).click();
        b.wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("share-dialog")));
    }

    private static WebElement myShare(BrowserChrome b, String path) {
        return b.visible(By.cssSelector("#share-list tr[data-path='" + path + "']"));
    }

    private static String cell(WebElement row, String className) {
        return row.findElement(By.cssSelector("td." + className)).getText();
    }

    @Test
    void aUserSharesAFileAndAFolderAndAVisitorInAnotherBrowserDownloadsThem() throws Exception {
        Path report = Files.writeString(local.resolve("report.txt"), "the quarterly report");
        byte[] big = new byte[300_000];
        new java.util.Random(7).nextBytes(big);
        Path a = Files.writeString(local.resolve("a.txt"), "alpha");
        Path bin = Files.write(local.resolve("b.bin"), big);
        try (WebFixture f = WebFixture.start(data, w -> w, events);
                BrowserChrome owner = new BrowserChrome(ownerDownloads)) {
            owner.recordCspViolations();
            owner.driver.executeCdpCommand("Browser.grantPermissions", Map.of("origin", f.base(), "permissions",
                    List.of("clipboardReadWrite", "clipboardSanitizedWrite")));
            owner.driver.get(f.base() + "/");
            login(owner, "alice", "pw");
            owner.visible(By.id("empty"));

            // a file, and a folder with files, uploaded through the page
            owner.driver.findElement(By.id("upload-input")).sendKeys(report.toString());
            owner.row("report.txt");
            owner.driver.findElement(By.id("new-folder")).click();
            owner.answer("docs");
            owner.row("docs").findElement(By.cssSelector("a.dir")).click();
            owner.wait.until(ExpectedConditions.textToBe(By.cssSelector("#crumbs [aria-current]"), "docs"));
            owner.driver.findElement(By.id("upload-input")).sendKeys(a + "\n" + bin);
            owner.row("a.txt");
            owner.row("b.bin");
            owner.driver.findElement(By.cssSelector("#crumbs a[href='#/']")).click();
            owner.row("report.txt");
            assertThat(Files.readAllBytes(f.home("alice").resolve("docs/b.bin"))).isEqualTo(big);

            // the file's share: read only (a file takes no uploads), 3 days, a password, 2 uses
            shareDialog(owner, "report.txt");
            assertThat(owner.driver.findElement(By.id("share-title")).getText()).isEqualTo("Share report.txt");
            Select mode = new Select(owner.driver.findElement(By.id("share-mode")));
            assertThat(mode.getOptions()).filteredOn(WebElement::isEnabled).extracting(o -> o.getAttribute("value"))
                    .containsExactly("read");
            new Select(owner.driver.findElement(By.id("share-expiry"))).selectByValue("days");
            owner.visible(By.id("share-days")).sendKeys("3");
            owner.driver.findElement(By.id("share-password")).sendKeys("open sesame");
            owner.driver.findElement(By.id("share-max")).sendKeys("2");
            String fileLink = create(owner);
            assertThat(fileLink).startsWith(f.base() + "/s/");
            assertThat(owner.driver.findElement(By.id("share-needs-password")).isDisplayed()).isTrue();
            owner.driver.findElement(By.id("share-copy")).click();
            owner.wait.until(ExpectedConditions.textToBe(By.id("share-copied"), "Copied."));
            Object copied = owner.driver.executeAsyncScript("const done = arguments[arguments.length - 1];"
                    + "navigator.clipboard.readText().then(done, e => done(String(e)));");
            assertThat(copied).isEqualTo(fileLink);
            close(owner);
            assertThat(events(owner, 2)).containsExactly("BeforeShrCreate", "AfterShrCreate");
            assertThat(events.last().path()).isEqualTo("/report.txt");

            // a refusal shows the problem document's text in the dialog: the folder is gone when the link is made
            owner.driver.findElement(By.id("new-folder")).click();
            owner.answer("gone");
            shareDialog(owner, "gone");
            Files.delete(f.home("alice").resolve("gone"));
            owner.driver.findElement(By.id("share-create")).click();
            assertThat(owner.visible(By.id("share-error")).getText()).isEqualTo("Not found: no such file or folder");
            assertThat(owner.driver.findElement(By.id("share-done")).isDisplayed()).isFalse();
            owner.driver.findElement(By.cssSelector("#share-form .share-close")).click();
            owner.wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("share-dialog")));

            // the folder's share: any mode may be chosen; read, no expiry, no password, no limit
            shareDialog(owner, "docs");
            mode = new Select(owner.driver.findElement(By.id("share-mode")));
            assertThat(mode.getOptions()).filteredOn(WebElement::isEnabled).extracting(o -> o.getAttribute("value"))
                    .containsExactly("read", "write", "upload-only");
            assertThat(owner.driver.findElement(By.id("share-error")).isDisplayed()).isFalse();
            mode.selectByValue("read");
            new Select(owner.driver.findElement(By.id("share-expiry"))).selectByValue("");
            String folderLink = create(owner);
            assertThat(folderLink).startsWith(f.base() + "/s/").isNotEqualTo(fileLink);
            assertThat(owner.driver.findElement(By.id("share-needs-password")).isDisplayed()).isFalse();
            close(owner);
            assertThat(events(owner, 2)).containsExactly("BeforeShrCreate", "AfterShrCreate");

            // My shares: both links, as made
            owner.driver.findElement(By.id("my-shares")).click();
            assertThat(owner.driver.findElement(By.id("files")).isDisplayed()).isFalse();
            WebElement fileRow = myShare(owner, "/report.txt");
            assertThat(cell(fileRow, "mode")).isEqualTo("read, password");
            assertThat(cell(fileRow, "left")).isEqualTo("2");
            assertThat(cell(fileRow, "expires")).isNotIn("never", "expired");
            assertThat(fileRow.findElement(By.cssSelector(".share-url")).getAttribute("value")).isEqualTo(fileLink);
            WebElement folderRow = myShare(owner, "/docs");
            assertThat(cell(folderRow, "name")).isEqualTo("/docs/");
            assertThat(cell(folderRow, "expires")).isEqualTo("never");
            assertThat(cell(folderRow, "left")).isEqualTo("no limit");

            try (BrowserChrome visitor = new BrowserChrome(visitorDownloads)) {
                visitor.recordCspViolations();
                visitor.driver.get(fileLink);
                assertThat(visitor.driver.manage().getCookies()).as("a fresh browser").isEmpty();

                // a wrong password first: a clear error, and the visit has not begun
                visitor.visible(By.id("password")).sendKeys("guess");
                visitor.driver.findElement(By.cssSelector("#password-form button")).click();
                visitor.wait.until(ExpectedConditions.attributeContains(By.id("status"), "class", "error"));
                assertThat(visitor.driver.findElement(By.id("status")).getText()).isEqualTo("wrong password");
                assertThat(visitor.driver.findElement(By.id("file")).isDisplayed()).isFalse();
                assertThat(events(visitor, 2)).containsExactly("BeforeShrAuthRequest", "OnShrAuthRequestAllowed");

                visitor.driver.findElement(By.id("password")).sendKeys("open sesame");
                visitor.driver.findElement(By.cssSelector("#password-form button")).click();
                visitor.visible(By.id("file-link"));
                assertThat(visitor.driver.findElement(By.id("title")).getText()).isEqualTo("report.txt");
                assertThat(events(visitor, 3)).containsExactly("BeforeShrAuthRequest", "OnShrAuthRequestAllowed",
                        "OnShrAuthSuccess");

                // two downloads: the two uses
                visitor.driver.findElement(By.id("file-link")).click();
                assertThat(visitor.downloaded("report.txt")).hasContent("the quarterly report");
                Files.delete(visitorDownloads.resolve("report.txt")); // the second one may take the same name
                assertThat(events(visitor, 2)).containsExactly("BeforeShrFileDownload", "AfterShrFileDownload");
                assertThat(events.last().uses()).isEqualTo(1);
                // (a new page: the visit goes on without the password, and the download is no "automatic" second one)
                visitor.driver.navigate().refresh();
                visitor.visible(By.id("file-link")).click();
                assertThat(visitor.downloaded("report.txt")).hasContent("the quarterly report");
                assertThat(events(visitor, 2)).containsExactly("BeforeShrFileDownload", "AfterShrFileDownload");
                assertThat(events.last().uses()).isEqualTo(2);

                // used up: the link shows the page that says so
                visitor.driver.get(fileLink);
                visitor.wait.until(ExpectedConditions.titleIs("This share link has ended"));
                assertThat(visitor.driver.findElement(By.tagName("h1")).getText()).isEqualTo("This share link has ended");
                assertThat(visitor.driver.findElement(By.cssSelector("p.detail")).getText())
                        .contains("used as many times as it may be");

                // the folder: no password, its files listed, the whole of it as a zip
                visitor.driver.get(folderLink);
                visitor.visible(By.id("folder"));
                visitor.wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#entries tbody tr"), 2));
                assertThat(visitor.driver.findElement(By.id("title")).getText()).isEqualTo("docs");
                assertThat(events(visitor, 3)).containsExactly("BeforeShrAuthRequest", "OnShrAuthRequestAllowed",
                        "OnShrAuthSuccess");
                visitor.driver.findElement(By.id("zip-link")).click();
                Map<String, byte[]> zip = new TreeMap<>();
                try (InputStream in = Files.newInputStream(visitor.downloaded("docs.zip"));
                        ZipInputStream z = new ZipInputStream(in)) {
                    for (ZipEntry e; (e = z.getNextEntry()) != null; ) {
                        zip.put(e.getName(), z.readAllBytes());
                    }
                }
                assertThat(zip).containsOnlyKeys("a.txt", "b.bin");
                assertThat(new String(zip.get("a.txt"), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("alpha");
                assertThat(zip.get("b.bin")).isEqualTo(big);
                assertThat(events(visitor, 2)).containsExactly("BeforeShrZipDownload", "AfterShrZipDownload");
                assertThat(events.last().path()).isEqualTo("/docs");

                // the owner sees the spent link, and deletes the folder's link: it is not found any more
                owner.driver.findElement(By.id("shares-back")).click();
                owner.row("report.txt");
                owner.driver.findElement(By.id("my-shares")).click();
                owner.wait.until(ExpectedConditions.textToBe(
                        By.cssSelector("#share-list tr[data-path='/report.txt'] td.left"), "0 (used up)"));
                myShare(owner, "/docs").findElement(By.cssSelector("button.delete")).click();
                assertThat(owner.visible(By.id("dialog-text")).getText()).startsWith("Delete the share link of /docs?");
                owner.answer(null);
                owner.wait.until(ExpectedConditions.numberOfElementsToBe(
                        By.cssSelector("#share-list tr[data-path='/docs']"), 0));
                myShare(owner, "/report.txt");
                visitor.driver.get(folderLink);
                visitor.wait.until(ExpectedConditions.titleIs("No such share link"));
                assertThat(visitor.driver.findElement(By.cssSelector("p.detail")).getText())
                        .isEqualTo("there is no such share link");
                assertThat(events.take()).as("a dead link fires nothing").isEmpty();

                assertThat(visitor.cspViolations()).isEmpty();
                assertThat(visitor.scriptErrors()).isEmpty();
            }
            assertThat(owner.cspViolations()).isEmpty();
            assertThat(owner.scriptErrors()).isEmpty();

            // logging out leaves My shares, and logging in again shows the files
            owner.driver.findElement(By.id("logout")).click();
            owner.visible(By.id("login"));
            assertThat(owner.driver.findElement(By.id("shares")).isDisplayed()).isFalse();
            login(owner, "alice", "pw");
            owner.row("report.txt");
            assertThat(owner.driver.findElement(By.id("shares")).isDisplayed()).isFalse();
        }
    }

    @Test
    void withShareLinksTurnedOffThePageOffersNone() throws Exception {
        try (WebFixture f = WebFixture.start(data, w -> w.shares(false));
                BrowserChrome b = new BrowserChrome(ownerDownloads)) {
            Files.createDirectories(f.home("alice"));
            Files.writeString(f.home("alice").resolve("file.txt"), "x");
            b.driver.get(f.base() + "/");
            login(b, "alice", "pw");
            WebElement row = b.row("file.txt");
            b.wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("my-shares")));
            assertThat(row.findElement(By.cssSelector("button.share")).isDisplayed()).isFalse();
            assertThat(row.findElement(By.cssSelector("button.rename")).isDisplayed()).isTrue();
        }
    }
}
