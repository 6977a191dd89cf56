package dev.termlet.fileops;

import dev.termlet.fileops.internal.core.VirtualRoot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.termlet.event.EventRegistry;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VirtualRootTest {
    @TempDir
    Path dir;

    @Test
    void traversalInEveryFormStaysInside() throws Exception {
        Path rootDir = dir.resolve("home/alice");
        VirtualRoot root = new VirtualRoot(rootDir);
        Path real = root.root();
        for (String p : new String[] {"../../etc/passwd", "/../../etc/passwd", "a/../../..//etc/passwd",
            "..\\..\\etc\\passwd", "/./././..", "....//....//etc", "%2e%2e/%2e%2e/etc"}) {
            Path r = root.resolve(p, "/");
            assertThat(r.normalize().startsWith(real)).as(p).isTrue();
        }
        assertThat(root.resolve("../../etc/passwd", "/docs")).isEqualTo(real.resolve("etc/passwd"));
        assertThat(VirtualRoot.normalise("a/./b/../c/", "/x")).isEqualTo("/x/a/c");
        assertThat(VirtualRoot.normalise("/", "/x")).isEqualTo("/");
    }

    @Test
    void controlCharactersAndOverLongNamesAreRefused() {
        assertThatThrownBy(() -> VirtualRoot.normalise("a\u0000b", "/")).isInstanceOf(AccessDeniedException.class)
                .hasMessageContaining("control characters");
        assertThatThrownBy(() -> VirtualRoot.normalise("a\nb", "/")).isInstanceOf(AccessDeniedException.class);
        assertThatThrownBy(() -> VirtualRoot.normalise("x".repeat(256), "/")).hasMessageContaining("name too long");
        assertThatThrownBy(() -> VirtualRoot.normalise("a/".repeat(3000), "/")).hasMessageContaining("path too long");
    }

    @Test
    void linksLeadingOutsideAreRefusedAndLinksInsideAllowed() throws Exception {
        VirtualRoot root = new VirtualRoot(dir.resolve("home/bob"));
        Path outside = Files.createDirectories(dir.resolve("secret"));
        Files.writeString(outside.resolve("key"), "x");
        Files.createSymbolicLink(root.root().resolve("escape"), outside);
        Files.createSymbolicLink(root.root().resolve("dangling"), dir.resolve("nowhere"));
        Files.createDirectories(root.root().resolve("real"));
        Files.createSymbolicLink(root.root().resolve("inside"), root.root().resolve("real"));
        assertThatThrownBy(() -> root.resolve("/escape/key", "/")).isInstanceOf(AccessDeniedException.class)
                .hasMessageContaining("outside the root");
        assertThatThrownBy(() -> root.resolve("escape", "/")).isInstanceOf(AccessDeniedException.class);
        assertThatThrownBy(() -> root.resolve("/dangling/x", "/")).isInstanceOf(AccessDeniedException.class);
        assertThat(root.resolve("/inside/file", "/")).isEqualTo(root.root().resolve("real/file"));
        assertThat(root.virtualPath(root.root().resolve("real/a.txt"))).isEqualTo("/real/a.txt");
        assertThatThrownBy(() -> root.virtualPath(outside)).isInstanceOf(AccessDeniedException.class);
    }

    @Provide
    Arbitrary<String> hostilePaths() {
        return Arbitraries.of("..", ".", "/", "//", "\\", "a", "b", "..\\", "%2e", "\u0000", "~", "日本", " ", "...")
                .list().ofMaxSize(20).map(l -> String.join("", l));
    }

    @Property
    void noPathEverResolvesOutsideTheRoot(@ForAll("hostilePaths") String path) throws Exception {
        VirtualRoot root = new VirtualRoot(Files.createTempDirectory("vroot"));
        try {
            Path r = root.resolve(path, "/");
            assertThat(r.normalize().startsWith(root.root())).as(path).isTrue();
        } catch (AccessDeniedException e) {
            assertThat(e.getReason()).isNotBlank();
        }
    }

    @Test
    void fileEventsJoinTheRegistryWithTheirAliases() {
        EventRegistry r = EventRegistry.standard();
        assertThat(r.find("pre-upload")).contains(FileEvents.PRE_UPLOAD);
        assertThat(r.find("BeforeFileUpload")).contains(FileEvents.PRE_UPLOAD);
        assertThat(r.find("AfterFileUpload")).contains(FileEvents.UPLOAD);
        assertThat(r.find("ssh_cmd")).contains(FileEvents.SSH_CMD);
        assertThat(r.find("OnQuotaExceeded")).contains(FileEvents.QUOTA_EXCEEDED);
        assertThat(r.find("connectsftp")).isPresent();
    }
}
