package dev.termlet.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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

/** The browser file client in Debian's headless Chromium: everything a user does, and no CSP violation. */
class BrowserClientTest {
    @TempDir
    Path data;
    @TempDir
    Path downloads;
    @TempDir
    Path local;

    @BeforeAll
    static void chromium() {
        BrowserChrome.assumeInstalled();
    }

    private static void login(BrowserChrome b, String user, String password) {
        WebElement u = b.visible(By.id("login-user"));
        u.clear();
        u.sendKeys(user);
        WebElement p = b.driver.findElement(By.id("login-password"));
        p.clear();
        p.sendKeys(password);
        b.driver.findElement(By.cssSelector("#login button[type=submit]")).click();
    }

    @Test
    void aUserLogsInBrowsesUploadsRenamesDownloadsZipsDeletesAndLogsOut() throws Exception {
        Path a = Files.writeString(local.resolve("a.txt"), "first file");
        Path b2 = Files.writeString(local.resolve("b ü.txt"), "second file");
        byte[] big = new byte[3 * 1024 * 1024 + 7];
        new java.util.Random(19).nextBytes(big);
        Path c = Files.write(local.resolve("c.bin"), big);
        try (WebFixture f = WebFixture.start(data, w -> w); BrowserChrome b = new BrowserChrome(downloads)) {
            Path home = f.home("alice");
            b.driver.get(f.base() + "/");
            assertThat(b.driver.getTitle()).isEqualTo("Files");

            // a wrong password: the problem's text is shown
            login(b, "alice", "wrong");
            assertThat(b.visible(By.id("error")).getText()).contains("wrong user name or password");
            login(b, "alice", "pw");
            b.visible(By.id("files"));
            assertThat(b.driver.findElement(By.id("user-name")).getText()).isEqualTo("alice");
            assertThat(b.driver.findElement(By.id("error")).isDisplayed()).isFalse();
            b.visible(By.id("empty"));

            // a new folder, and into it
            b.driver.findElement(By.id("new-folder")).click();
            b.answer("docs");
            b.row("docs").findElement(By.cssSelector("a.dir")).click();
            b.wait.until(ExpectedConditions.textToBe(By.cssSelector("#crumbs [aria-current]"), "docs"));
            assertThat(Files.isDirectory(home.resolve("docs"))).isTrue();
            assertThat(b.driver.getCurrentUrl()).endsWith("#/docs");

            // several files through the file input, each with its progress bar
            b.driver.findElement(By.id("upload-input")).sendKeys(a + "\n" + b2 + "\n" + c);
            b.row("a.txt");
            b.row("b ü.txt");
            b.row("c.bin");
            b.wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#uploads li.done"), 3));
            for (WebElement bar : b.driver.findElements(By.cssSelector("#uploads li progress"))) {
                assertThat(bar.getAttribute("value")).isEqualTo(bar.getAttribute("max"));
            }
            assertThat(b.driver.findElement(By.cssSelector("#uploads li[data-name='c.bin'] progress"))
                    .getAttribute("max")).isEqualTo(String.valueOf(big.length));
            assertThat(home.resolve("docs/a.txt")).hasContent("first file");
            assertThat(home.resolve("docs/b ü.txt")).hasContent("second file");
            assertThat(Files.readAllBytes(home.resolve("docs/c.bin"))).isEqualTo(big);

            // one more dropped onto the page (a drop event with a DataTransfer, as a drag from the desktop makes)
            b.driver.executeScript("const t = new DataTransfer();"
                    + "t.items.add(new File(['dropped in'], 'dropped.txt', {type: 'text/plain'}));"
                    + "document.querySelector('main').dispatchEvent(new DragEvent('drop',"
                    + " {dataTransfer: t, bubbles: true, cancelable: true}));");
            b.row("dropped.txt");
            assertThat(home.resolve("docs/dropped.txt")).hasContent("dropped in");

            // a folder that is there already: the problem's text is shown
            b.driver.findElement(By.id("new-folder")).click();
            b.answer("dropped.txt");
            assertThat(b.visible(By.id("error")).getText()).contains("Precondition failed");

            // rename
            b.row("a.txt").findElement(By.cssSelector("button.rename")).click();
            b.answer("renamed.txt");
            b.row("renamed.txt");
            b.gone("a.txt");
            assertThat(home.resolve("docs/renamed.txt")).hasContent("first file");
            assertThat(home.resolve("docs/a.txt")).doesNotExist();
            assertThat(b.driver.findElement(By.id("error")).isDisplayed()).isFalse();

            // download one file, then the folder as a zip
            b.row("b ü.txt").findElement(By.cssSelector("a.download")).click();
            assertThat(b.downloaded("b ü.txt")).hasContent("second file");
            b.driver.findElement(By.id("zip-folder")).click();
            Map<String, byte[]> zip = new TreeMap<>();
            try (InputStream in = Files.newInputStream(b.downloaded("docs.zip"));
                    ZipInputStream z = new ZipInputStream(in)) {
                for (ZipEntry e; (e = z.getNextEntry()) != null; ) {
                    zip.put(e.getName(), z.readAllBytes());
                }
            }
            assertThat(zip).containsOnlyKeys("docs/", "docs/renamed.txt", "docs/b ü.txt", "docs/c.bin",
                    "docs/dropped.txt");
            assertThat(zip.get("docs/c.bin")).isEqualTo(big);

            // delete, after saying yes
            b.row("dropped.txt").findElement(By.cssSelector("button.delete")).click();
            assertThat(b.visible(By.id("dialog-text")).getText()).isEqualTo("Delete dropped.txt?");
            b.answer(null);
            b.gone("dropped.txt");
            assertThat(home.resolve("docs/dropped.txt")).doesNotExist();

            // back up through the breadcrumb; the folder as a zip from its row
            b.driver.findElement(By.cssSelector("#crumbs a[href='#/']")).click();
            b.row("docs").findElement(By.cssSelector("a.zip"));
            b.wait.until(ExpectedConditions.textToBe(By.cssSelector("#crumbs [aria-current]"), "alice"));

            // log out: the login form again, and the session is over even after a reload
            b.driver.findElement(By.id("logout")).click();
            b.visible(By.id("login"));
            assertThat(b.driver.findElement(By.id("files")).isDisplayed()).isFalse();
            b.driver.navigate().refresh();
            b.visible(By.id("login"));
            Object status = b.driver.executeAsyncScript("const done = arguments[arguments.length - 1];"
                    + "fetch('/api/files/list?path=/').then(r => done(r.status), e => done(String(e)));");
            assertThat(status).isEqualTo(401L);
            assertThat(b.scriptErrors()).isEmpty();
        }
    }

    @Test
    void thePageCausesNoCspViolation() throws Exception {
        try (WebFixture f = WebFixture.start(data, w -> w); BrowserChrome b = new BrowserChrome(downloads)) {
            Files.createDirectories(f.home("alice").resolve("dir"));
            Files.writeString(f.home("alice").resolve("file.txt"), "x");
            b.recordCspViolations();
            b.driver.get(f.base() + "/");
            login(b, "alice", "pw");
            b.row("file.txt");
            b.row("dir").findElement(By.cssSelector("a.dir")).click();
            b.visible(By.id("empty"));
            b.driver.findElement(By.id("new-folder")).click();
            b.visible(By.id("dialog-input"));
            b.driver.findElement(By.id("dialog-cancel")).click();
            b.driver.findElement(By.id("upload-input")).sendKeys(
                    Files.writeString(local.resolve("u.txt"), "u").toString());
            b.row("u.txt");
            b.driver.executeScript("document.body.dispatchEvent(new DragEvent('dragover', {bubbles: true,"
                    + " cancelable: true, dataTransfer: new DataTransfer()}));");

            // the stylesheet applied (a blocked one would leave the hidden parts of the page showing)
            assertThat(b.driver.findElement(By.id("upload-input")).getCssValue("position")).isEqualTo("absolute");
            List<String> console = new ArrayList<>(b.console());
            assertThat(b.cspViolations()).isEmpty();
            assertThat(console).noneMatch(l -> l.contains("Content Security Policy") || l.contains("Refused to"));
            assertThat(console).noneMatch(l -> l.startsWith("SEVERE") && !(l.contains("/api/session")
                    && l.contains("401")));

            // the recorder works: what the CSP forbids is blocked and recorded
            b.driver.executeScript("document.body.insertAdjacentHTML('beforeend', '<p style=\"color: red\">x</p>');"
                    + "const s = document.createElement('script'); s.textContent = 'window.__ran = true';"
                    + "document.body.append(s);");
            b.wait.until(d -> b.cspViolations().size() >= 2);
            assertThat(b.driver.executeScript("return window.__ran === true;")).isEqualTo(false);
            assertThat(String.join("\n", b.console())).contains("Content Security Policy");
        }
    }
}
