package dev.termlet.fileops.internal.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The resolver's one-call check ({@link NoLinks}) may only skip the walk one name at a time, never answer otherwise:
 * on random trees of links (inside, outside, dangling, relative with {@code ..}, loops) and files, {@link
 * VirtualRoot#real} and {@link VirtualRoot#walk} give the same path or the same kind of refusal; and nothing is
 * remembered between two resolutions, so a directory swapped for a link between them is judged anew.
 */
class ResolverFastPathTest {
    @TempDir
    Path dir;

    /** A link planted on disk: where it is, and its target as stored. */
    record Link(String dir, String name, String target) {}

    @Provide
    Arbitrary<List<Link>> graphs() {
        Arbitrary<String> dirs = Arbitraries.of("", "d1", "d1/d2", "l0", "l1");
        Arbitrary<String> names = Arbitraries.of("l0", "l1", "l2", "l3", "f2");
        Arbitrary<String> targets = Arbitraries.of("/", "..", "../..", ".", "d1", "d1/d2", "l0", "l1/..", "f",
                "missing", "l2/../..", "OUT", "OUT/secret", "ROOT", "ROOT/d1", "ROOT/..", "ROOT/missing", "l3");
        return Combinators.combine(dirs, names, targets).as(Link::new).list().ofMaxSize(6);
    }

    @Provide
    Arbitrary<List<String>> paths() {
        Arbitrary<String> part = Arbitraries.of("l0", "l1", "l2", "l3", "d1", "d2", "f", "f2", "new", "secret", "..",
                ".");
        return part.list().ofMinSize(1).ofMaxSize(5).map(l -> "/" + String.join("/", l)).list().ofMinSize(1)
                .ofMaxSize(10);
    }

    @Property(tries = 300)
    void theOneCallCheckAnswersAsTheWalk(@ForAll("graphs") List<Link> links, @ForAll("paths") List<String> paths)
            throws Exception {
        Path base = Files.createTempDirectory("fastpath");
        try {
            Path outside = Files.createDirectories(base.resolve("outside"));
            Files.writeString(outside.resolve("secret"), "x");
            Files.createDirectories(base.resolve("home/u/d1/d2"));
            Path rootDir = base.resolve("home/u");
            Files.writeString(rootDir.resolve("f"), "mine");
            Files.writeString(rootDir.resolve("d1/d2/f"), "mine");
            VirtualRoot root = new VirtualRoot(rootDir);
            for (Link l : links) {
                String t = l.target().replace("OUT", outside.toString()).replace("ROOT", root.root().toString());
                try {
                    Path d = l.dir().isEmpty() ? root.root() : root.root().resolve(l.dir());
                    Files.createSymbolicLink(d.resolve(l.name()), Path.of(t));
                } catch (IOException | RuntimeException ignored) {
                    // a link in a place that is not a directory, or already there: the graph is what it is
                }
            }
            for (String p : paths) {
                String clean = VirtualRoot.normalise(p, "/");
                if (clean.equals("/")) {
                    continue;
                }
                for (boolean follow : new boolean[] {true, false}) {
                    assertThat(outcome(() -> root.real(clean, follow)))
                            .as("%s follow=%s links=%s", clean, follow, links)
                            .isEqualTo(outcome(() -> root.walk(clean, follow)));
                }
            }
        } finally {
            delete(base);
        }
    }

    @Test
    void aDirectorySwappedForALinkBetweenTwoResolutionsIsJudgedAnew() throws Exception {
        VirtualRoot root = new VirtualRoot(dir.resolve("home/u"));
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.writeString(outside.resolve("passwd"), "secret");
        Files.createDirectories(root.root().resolve("docs"));
        Files.writeString(root.root().resolve("docs/passwd"), "mine");
        // the first resolution passes the one-call check (no link anywhere)
        assertThat(root.resolve("/docs/passwd", "/")).isEqualTo(root.root().resolve("docs/passwd"));
        assertThat(root.resolve("/docs/new.txt", "/")).isEqualTo(root.root().resolve("docs/new.txt"));
        // then, as a client could through SFTP (rename, symlink), the directory becomes a link to outside
        Files.move(root.root().resolve("docs"), root.root().resolve("old"));
        Files.createSymbolicLink(root.root().resolve("docs"), outside);
        assertThatThrownBy(() -> root.resolve("/docs/passwd", "/")).isInstanceOf(AccessDeniedException.class);
        assertThatThrownBy(() -> root.resolve("/docs/new.txt", "/")).isInstanceOf(AccessDeniedException.class);
        // and a link in the last place is judged too
        Files.createSymbolicLink(root.root().resolve("old/passwd2"), outside.resolve("passwd"));
        assertThatThrownBy(() -> root.resolve("/old/passwd2", "/")).isInstanceOf(AccessDeniedException.class);
        assertThat(root.real("/old/passwd2", false)).isEqualTo(root.root().resolve("old/passwd2"));
    }

    @Test
    void theOneCallCheckIsThereOnLinux() {
        Assumptions.assumeTrue(System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT).contains("linux"));
        Assumptions.assumeTrue(new java.io.File("/proc/sys/kernel/osrelease").canRead());
        // the without-openat2 run (fileops' pom) turns it off on purpose
        Assumptions.assumeFalse(Boolean.getBoolean("termlet.fileops.noOpenat2"));
        // openat2 came with Linux 5.6; below it (or under a seccomp filter that refuses it) the walk does all
        String release = readRelease();
        String[] v = release.split("[.-]");
        int major = Integer.parseInt(v[0]);
        int minor = Integer.parseInt(v[1]);
        Assumptions.assumeTrue(major > 5 || (major == 5 && minor >= 6), release);
        assertThat(NoLinks.available()).isTrue();
        assertThat(NoLinks.check(dir.toString())).isEqualTo(NoLinks.WHOLE);
        assertThat(NoLinks.check(dir.resolve("nothing/here").toString())).isEqualTo(NoLinks.MISSING);
    }

    @Test
    void aLinkAnywhereIsLeftToTheWalk() throws Exception {
        Assumptions.assumeTrue(NoLinks.available());
        Path real = Files.createDirectories(dir.resolve("real/sub"));
        Files.createSymbolicLink(dir.resolve("link"), real);
        Files.createSymbolicLink(dir.resolve("dangling"), dir.resolve("nowhere"));
        assertThat(NoLinks.check(dir.resolve("link").toString())).isEqualTo(NoLinks.UNKNOWN);
        assertThat(NoLinks.check(dir.resolve("link/sub").toString())).isEqualTo(NoLinks.UNKNOWN);
        assertThat(NoLinks.check(dir.resolve("link/missing").toString())).isEqualTo(NoLinks.UNKNOWN);
        assertThat(NoLinks.check(dir.resolve("dangling").toString())).isEqualTo(NoLinks.UNKNOWN);
        assertThat(NoLinks.check(dir.resolve("dangling/x").toString())).isEqualTo(NoLinks.UNKNOWN);
        assertThat(NoLinks.check(dir.resolve("real/sub").toString())).isEqualTo(NoLinks.WHOLE);
        Files.writeString(dir.resolve("file"), "x");
        assertThat(NoLinks.check(dir.resolve("file/below").toString())).isEqualTo(NoLinks.UNKNOWN);
    }

    /**
     * A directory below the root is opened in one call only when no name on its way is a link and every name is plain;
     * the handle is of that very directory. Everything else answers -1 and is left to the walk, which decides.
     */
    @Test
    void aDirectoryIsOpenedInOneCallOnlyWithoutLinks() throws Exception {
        Assumptions.assumeTrue(NoLinks.available());
        Path root = Files.createDirectories(dir.resolve("root"));
        Path deep = Files.createDirectories(root.resolve("a/b/c"));
        Path outside = Files.createDirectories(dir.resolve("outside/b"));
        Files.createSymbolicLink(root.resolve("out"), outside.getParent());
        Files.createSymbolicLink(root.resolve("a/in"), root.resolve("a/b"));
        Files.writeString(root.resolve("file"), "x");
        for (Path d : new Path[] {root.resolve("a"), deep}) {
            int fd = NoLinks.directoryBelow(root, d);
            assertThat(fd).as(d.toString()).isNotNegative();
            try {
                assertThat(Files.isSameFile(Path.of("/proc/self/fd/" + fd), d)).isTrue();
            } finally {
                NoLinks.closeHandle(fd);
            }
        }
        assertThat(NoLinks.directoryBelow(root, root.resolve("file"))).isEqualTo(NoLinks.NOT_A_DIRECTORY);
        assertThat(NoLinks.directoryBelow(root, root.resolve("file/below"))).isEqualTo(NoLinks.NOT_A_DIRECTORY);
        for (Path d : new Path[] {root, root.resolve("out"), root.resolve("out/b"), root.resolve("a/in"),
            root.resolve("a/in/c"), root.resolve("missing"), root.resolve("a/b/../b"),
            root.resolve("a/./b"), root.resolve("a/b\uFFFD"), dir.resolve("outside/b")}) {
            assertThat(NoLinks.directoryBelow(root, d)).as(d.toString()).isEqualTo(-1);
        }
        // a directory swapped for a link to outside after it was used once is not opened through the link
        int fd = NoLinks.directoryBelow(root, deep);
        NoLinks.closeHandle(fd);
        Files.move(root.resolve("a/b"), dir.resolve("moved"));
        Files.createSymbolicLink(root.resolve("a/b"), outside);
        Files.createDirectories(outside.resolve("c"));
        assertThat(NoLinks.directoryBelow(root, deep)).isEqualTo(-1);
        VirtualRoot vr = new VirtualRoot(root);
        assertThatThrownBy(() -> vr.open(deep.resolve("new"), java.util.Set.of(java.nio.file.StandardOpenOption.WRITE,
                java.nio.file.StandardOpenOption.CREATE_NEW))).isInstanceOf(AccessDeniedException.class);
        assertThat(outside.resolve("c/new")).doesNotExist();
    }

    /**
     * A root whose name on disk is not valid in the file-name encoding (a directory named in Latin-1 under a UTF-8
     * locale) has U+FFFD in its text, which names another directory: the one-call check must not look that one up
     * (it answered ENOENT, so every path, links that lead out and a FIFO in a directory's place included, passed
     * as its own real path).
     */
    @Test
    void aRootWhoseNameIsNotTextIsWalked() throws Exception {
        Assumptions.assumeTrue(NoLinks.available());
        Path base = undecodable(dir, "X");
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.writeString(outside.resolve("secret"), "x");
        Path home = Files.createDirectories(base.resolve("home/u/sub")).getParent();
        Files.writeString(home.resolve("sub/f"), "mine");
        Files.createSymbolicLink(home.resolve("out"), outside);
        Files.createSymbolicLink(home.resolve("in"), home.resolve("sub"));
        sh(dir, "mkfifo \"$(printf 'X\\377')/home/u/fifo\"");
        VirtualRoot root = new VirtualRoot(home);
        assertThat(root.root().toString()).contains("\ufffd");
        for (String p : new String[] {"/out", "/out/secret", "/out/new", "/in/f", "/in/new", "/fifo/x", "/sub/f",
            "/missing/x"}) {
            for (boolean follow : new boolean[] {true, false}) {
                assertThat(outcome(() -> root.real(p, follow))).as("%s follow=%s", p, follow)
                        .isEqualTo(outcome(() -> root.walk(p, follow)));
            }
        }
        assertThatThrownBy(() -> root.resolve("/out/secret", "/")).isInstanceOf(AccessDeniedException.class);
        assertThatThrownBy(() -> root.resolve("/fifo/x", "/")).isInstanceOf(java.nio.file.NotDirectoryException.class);
        // a root whose text is its name still takes the one call
        assertThat(NoLinks.names(dir.toRealPath().toString(), dir.toRealPath())).isTrue();
        assertThat(NoLinks.names(root.root().toString(), root.root())).isFalse();
    }

    /** A directory named {@code prefix} and the byte 0xFF (not UTF-8), made by the shell; skipped where it cannot be. */
    static Path undecodable(Path in, String prefix) throws Exception {
        Assumptions.assumeTrue("UTF-8".equalsIgnoreCase(System.getProperty("sun.jnu.encoding")));
        sh(in, "mkdir \"$(printf '" + prefix + "\\377')\"");
        try (var s = Files.newDirectoryStream(in, e -> e.getFileName().toString().equals(prefix + "\ufffd"))) {
            // a listed path keeps the bytes on disk, which its text cannot
            return s.iterator().next();
        }
    }

    /** Runs a shell command in a directory (one whose name is text); skipped where it fails. */
    static void sh(Path cwd, String command) throws Exception {
        Process p = new ProcessBuilder("sh", "-c", command).directory(cwd.toFile()).redirectErrorStream(true).start();
        Assumptions.assumeTrue(p.waitFor() == 0, command);
    }

    private static String readRelease() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim();
        } catch (IOException e) {
            return "0.0";
        }
    }

    /** What resolving does: the path, or the kind of exception. */
    private static String outcome(Resolution r) {
        try {
            return "path " + r.run();
        } catch (IOException e) {
            return "refused " + e.getClass().getSimpleName();
        }
    }

    @FunctionalInterface
    private interface Resolution {
        Path run() throws IOException;
    }

    private static void delete(Path base) throws IOException {
        try (var walk = Files.walk(base)) {
            for (Path p : (Iterable<Path>) walk.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
