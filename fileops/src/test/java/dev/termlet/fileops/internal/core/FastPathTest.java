package dev.termlet.fileops.internal.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jail's one-call directory open ({@link NoLinks#directoryBelow}, used by {@link VirtualRoot}'s directory walks
 * and by {@link NativeDirs}) leaks no handle, never leads outside while a directory on the way is flipped for a link,
 * and refuses a FIFO on the way without waiting on it; new directories and links stay inside a root whose name is
 * not valid UTF-8. (Written in the review of the one-call open.) The same for reads in one look
 * ({@link VirtualRoot#readInOneLook}) and the one-call handle on a file that is opened ({@link NoLinks#entryBelow}).
 */
class FastPathTest {
    @TempDir
    Path dir;

    /** Work that may fail. */
    @FunctionalInterface
    private interface Work {
        void run() throws Exception;
    }

    /** How {@code work} ended: "ok" or the simple name of what it threw. */
    private static String attempt(Work work) {
        return outcome(() -> {
            work.run();
            return null;
        });
    }

    private static String outcome(Callable<?> c) {
        try {
            c.call();
            return "ok";
        } catch (Exception e) {
            return e.getClass().getSimpleName();
        }
    }

    /** The {@code without-openat2} run (fileops' pom) really runs the jail without openat2. */
    @Test
    void theRunWithoutOpenat2HasNone() {
        Assumptions.assumeTrue(Boolean.getBoolean("termlet.fileops.noOpenat2"));
        assertThat(NoLinks.available()).isFalse();
    }

    @Test
    void noHandleLeaks() throws Exception {
        Assumptions.assumeTrue(NativeDirs.reopens()); // with openat2, and without it in the without-openat2 run
        Path home = Files.createDirectories(dir.resolve("home"));
        Files.createDirectories(home.resolve("a/b/c"));
        Path outside = Files.createDirectories(dir.resolve("outside/b"));
        Files.createSymbolicLink(home.resolve("out"), outside.getParent());
        Files.writeString(home.resolve("a/b/c/f"), "x");
        VirtualRoot vr = new VirtualRoot(home);
        Runnable ops = () -> {
            for (String p : new String[] {"/a/b/c/f", "/a/b/c/missing/x", "/a/b/c/f/x", "/a/missing/c/x",
                "/out/b/x"}) {
                outcome(() -> vr.withView(home.resolve(p.substring(1)),
                        java.nio.file.attribute.BasicFileAttributeView.class, v -> v.readAttributes()));
                outcome(() -> vr.readInOneLook(p, h -> Files.size(h)));
                outcome(() -> vr.readInOneLook(home.resolve(p.substring(1)), h -> Files.size(h)));
                outcome(() -> vr.readInOneLook(p, h -> {
                    throw new java.io.IOException("the read fails");
                }));
                attempt(() -> vr.list(home.resolve(p.substring(1)).getParent(), e -> true).close());
                attempt(() -> {
                    vr.mkdir(home.resolve(p.substring(1)).resolveSibling("d"));
                    vr.delete(home.resolve(p.substring(1)).resolveSibling("d"));
                });
                attempt(() -> vr.open(home.resolve(p.substring(1)), Set.of(StandardOpenOption.READ)).close());
                attempt(() -> vr.replaceWith(home.resolve(p.substring(1)), home.resolve(p.substring(1) + "x")));
                attempt(() -> vr.replaceWith(home.resolve(p.substring(1) + "x"), home.resolve(p.substring(1))));
            }
        };
        ops.run();
        long before = openHandles();
        for (int i = 0; i < 200; i++) {
            ops.run();
        }
        assertThat(openHandles()).isLessThanOrEqualTo(before + 5);
    }

    private static long openHandles() throws java.io.IOException {
        try (var s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        }
    }

    /**
     * A directory on the way flipped between the real one and a link to outside while uploads, mkdirs, links and lists
     * run below it: nothing may ever be made or read outside.
     */
    @Test
    void aDirectoryFlippedForALinkNeverLeadsOutside() throws Exception {
        Assumptions.assumeTrue(NativeDirs.reopens()); // with openat2, and without it in the without-openat2 run
        Path home = Files.createDirectories(dir.resolve("home"));
        Files.createDirectories(home.resolve("a/b/c"));
        Path outside = Files.createDirectories(dir.resolve("outside/b/c"));
        Files.writeString(outside.resolve("secret"), "s");
        Files.writeString(outside.resolve("bait"), "b");
        Files.writeString(home.resolve("a/b/c/secret"), "mine");
        VirtualRoot vr = new VirtualRoot(home);
        java.nio.file.FileSystem jailed = JailFileSystem.of(vr);
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        Thread flipper = new Thread(() -> {
            Path b = home.resolve("a/b");
            Path parked = home.resolve("a/parked");
            while (!stop.get()) {
                try {
                    Files.move(b, parked);
                    Files.createSymbolicLink(b, outside.getParent());
                    Thread.onSpinWait();
                    Files.delete(b);
                    Files.move(parked, b);
                } catch (Exception e) {
                    // keep flipping
                }
            }
        });
        flipper.start();
        int read = 0;
        int looked = 0;
        try {
            long end = System.nanoTime() + 2_000_000_000L;
            for (int i = 0; System.nanoTime() < end; i++) {
                Path c = home.resolve("a/b/c");
                int n = i;
                outcome(() -> {
                    vr.open(c.resolve("up" + n), Set.of(StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW))
                            .close();
                    // an upload put in place: renamed in its directory reached without links
                    vr.replaceWith(c.resolve("up" + n), c.resolve("put" + n));
                    return null;
                });
                // there is no "bait" inside: a rename that followed the flipped directory would move the one outside
                attempt(() -> vr.replaceWith(c.resolve("bait"), c.resolve("moved" + n)));
                attempt(() -> vr.mkdir(c.resolve("d" + n)));
                attempt(() -> vr.symlink(c.resolve("l" + n), home.resolve("a")));
                String got = "";
                try (var ch = vr.open(c.resolve("secret"), Set.of(StandardOpenOption.READ))) {
                    java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(16);
                    ch.read(buf);
                    got = new String(buf.array(), 0, buf.position());
                    read++;
                } catch (Exception e) {
                    // refused
                }
                assertThat(got).isNotEqualTo("s");
                // attributes read in one look are never the outside file's (1 byte; the one inside has 4)
                for (Callable<Long> size : List.<Callable<Long>>of(
                        () -> vr.readInOneLook("/a/b/c/secret", h -> Files.size(h)),
                        () -> vr.readInOneLook(c.resolve("secret"), h -> Files.size(h)),
                        // through the jailed file system: one look, else resolved and read through a handle
                        () -> Files.size(jailed.getPath("/a/b/c/secret")),
                        () -> (Long) Files.readAttributes(jailed.getPath("/a/b/c/secret"), "unix:*").get("size"),
                        () -> Files.readAttributes(jailed.getPath("/a/b/c/secret"),
                                java.nio.file.attribute.PosixFileAttributes.class,
                                java.nio.file.LinkOption.NOFOLLOW_LINKS).size())) {
                    Long got4 = null;
                    try {
                        got4 = size.call();
                    } catch (Exception e) {
                        // refused or missing while flipped
                    }
                    if (got4 != null) {
                        looked++;
                        assertThat(got4).isEqualTo(4L);
                    }
                }
                try (var ds = vr.list(c, e -> true)) {
                    for (Path e : ds) {
                        assertThat(e.getFileName().toString()).isNotEqualTo("secret-outside");
                    }
                } catch (Exception e) {
                    // refused
                }
            }
        } finally {
            stop.set(true);
            flipper.join();
        }
        try (var s = Files.list(outside)) {
            assertThat(s.map(x -> x.getFileName().toString())).containsExactlyInAnyOrder("secret", "bait");
        }
        assertThat(read).as("reads of the file inside that succeeded").isPositive();
        assertThat(looked).as("looks at the file inside that succeeded").isPositive();
    }

    /**
     * A read in one look answers as the resolver and a read by path would: the attributes of a plain file and a
     * directory, a missing file's NoSuchFileException naming the same path, and null (read the other way) for a link
     * anywhere on the path, for the root, and where openat2 is not used.
     */
    @Test
    void aReadInOneLookAgreesWithTheResolver() throws Exception {
        Assumptions.assumeTrue(NoLinks.available() && NativeDirs.reopens());
        Path home = Files.createDirectories(dir.resolve("home"));
        Files.createDirectories(home.resolve("a/b"));
        Files.writeString(home.resolve("a/b/f"), "four");
        Files.createSymbolicLink(home.resolve("a/l"), home.resolve("a/b"));
        Files.createSymbolicLink(home.resolve("a/b/fl"), home.resolve("a/b/f"));
        VirtualRoot vr = new VirtualRoot(home);
        for (String p : new String[] {"/a/b/f", "/a/b", "/a/./b/../b/f"}) {
            var one = vr.readInOneLook(p, h -> Files.readAttributes(h,
                    java.nio.file.attribute.PosixFileAttributes.class));
            var byPath = Files.readAttributes(vr.real(p, false), java.nio.file.attribute.PosixFileAttributes.class,
                    java.nio.file.LinkOption.NOFOLLOW_LINKS);
            assertThat(one.fileKey()).as(p).isEqualTo(byPath.fileKey());
            assertThat(one.size()).as(p).isEqualTo(byPath.size());
            assertThat(one.permissions()).as(p).isEqualTo(byPath.permissions());
            assertThat(one.isDirectory()).as(p).isEqualTo(byPath.isDirectory());
            Long size = vr.readInOneLook(vr.real(p, false), h -> Files.size(h));
            assertThat(size).isEqualTo(byPath.size());
        }
        for (String p : new String[] {"/a/l/f", "/a/b/fl", "/", "/a/l/missing"}) {
            Long size = vr.readInOneLook(p, h -> Files.size(h));
            assertThat(size).as(p).isNull();
        }
        Long throughLink = vr.readInOneLook(home.resolve("a/l/f"), h -> Files.size(h));
        assertThat(throughLink).isNull();
        // a missing file is named as the client named it, never by its path on the host
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> vr.readInOneLook("/a/b/missing",
                h -> Files.size(h)))).isInstanceOf(java.nio.file.NoSuchFileException.class).hasMessage("/a/b/missing");
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> vr.readInOneLook("/a/missing/x",
                h -> Files.size(h)))).isInstanceOf(java.nio.file.NoSuchFileException.class);
    }

    /**
     * A root whose name is not valid UTF-8: its text, in which U+FFFD stands for the byte, names a sibling directory
     * that really is named with U+FFFD. NativeDirs' walk opened the root by that text, so mkdir and symlink made their
     * entries there, outside the root. Under such a root new directories and links are now refused (made by path after
     * the check, they would leave a window for a swapped directory).
     */
    @Test
    void newDirectoriesAndLinksUnderARootWithAnUndecodableNameAreRefused() throws Exception {
        Assumptions.assumeTrue("UTF-8".equalsIgnoreCase(System.getProperty("sun.jnu.encoding")));
        Assumptions.assumeTrue(NativeDirs.available());
        Process p = new ProcessBuilder("sh", "-c", "mkdir \"$(printf 'data\\377')\"").directory(dir.toFile()).start();
        assertThat(p.waitFor()).isZero();
        Path data;
        try (var s = Files.newDirectoryStream(dir, e -> e.getFileName().toString().equals("data\ufffd"))) {
            data = s.iterator().next();
        }
        Path home = Files.createDirectories(data.resolve("home/alice"));
        // someone else's directory whose name really is "data" U+FFFD (bytes EF BF BD)
        Path decoy = Files.createDirectories(dir.resolve("data\ufffd/home/alice"));
        VirtualRoot vr = new VirtualRoot(home);
        Path root = vr.root();
        assertThat(attempt(() -> vr.mkdir(root.resolve("made")))).isEqualTo("AccessDeniedException");
        assertThat(attempt(() -> vr.symlink(root.resolve("link"), root.resolve("x"))))
                .isEqualTo("AccessDeniedException");
        try (var s = Files.list(decoy)) {
            assertThat(s.map(x -> x.getFileName().toString())).as("entries made outside the root").isEmpty();
        }
        try (var s = Files.list(root)) {
            assertThat(s.count()).isZero();
        }
    }

    /**
     * A name with U+FFFD in it, as any client may choose, is made from its directory reached without links like any
     * other: a directory on the way swapped for a link to outside after the path was resolved refuses the new link
     * and the new directory (they were once made by path, through the link).
     */
    @Test
    void aNameWithTheReplacementCharacterIsMadeWithoutFollowingASwappedDirectory() throws Exception {
        Assumptions.assumeTrue(NativeDirs.available() && NoLinks.available());
        Path home = Files.createDirectories(dir.resolve("home"));
        Files.createDirectories(home.resolve("d"));
        Path outside = Files.createDirectories(dir.resolve("outside"));
        VirtualRoot vr = new VirtualRoot(home);
        Path link = vr.real("/d/x\uFFFDl", false);
        Path target = vr.linkTarget("/d/x\uFFFDl", "/d");
        Path made = vr.real("/d/m\uFFFD", false);
        Files.delete(home.resolve("d"));
        Files.createSymbolicLink(home.resolve("d"), outside);
        assertThat(attempt(() -> vr.symlink(link, target))).isEqualTo("AccessDeniedException");
        assertThat(attempt(() -> vr.mkdir(made))).isEqualTo("AccessDeniedException");
        try (var s = Files.list(outside)) {
            assertThat(s.count()).as("entries made outside the root").isZero();
        }
        // with the directory back, both are made inside
        Files.delete(home.resolve("d"));
        Files.createDirectories(home.resolve("d"));
        vr.symlink(link, target);
        vr.mkdir(made);
        assertThat(Files.isSymbolicLink(home.resolve("d/x\uFFFDl"))).isTrue();
        assertThat(Files.isDirectory(home.resolve("d/m\uFFFD"))).isTrue();
    }

    /**
     * A FIFO where a directory on the way was resolved (swapped in after real()): the JDK's walk opened it O_RDONLY
     * without O_DIRECTORY (SecureDirectoryStream.newDirectoryStream) and waited for a writer; the one call, and where
     * Linux lacks {@code openat2} the walk by handles that open nothing (the {@code without-openat2} run), now find
     * it is not a directory and the operation is refused at once. The opener is given up after a while so that a wait
     * fails the test (no figure of time is asserted).
     */
    @Test
    void aFifoOnTheWayDoesNotHangTheWalk() throws Exception {
        Assumptions.assumeTrue(NativeDirs.reopens());
        Path home = Files.createDirectories(dir.resolve("home"));
        VirtualRoot vr = new VirtualRoot(home);
        Path resolved = vr.real("/a/b/x", false); // resolved while a and b were missing
        Files.createDirectories(home.resolve("a"));
        assertThat(refusedWithoutWaiting(home.resolve("a/b"), () -> vr.delete(resolved)))
                .isEqualTo("AccessDeniedException");
        // a directory that is listed, swapped for a FIFO after it was resolved (review of the walk by handles)
        Files.createDirectories(home.resolve("c"));
        Path listed = vr.real("/c", true);
        Files.delete(home.resolve("c"));
        assertThat(refusedWithoutWaiting(home.resolve("c"), () -> vr.list(listed, e -> true).close()))
                .isEqualTo("AccessDeniedException");
        // below a name with U+FFFD in its text (a client can make one), walked by the bytes of its names
        Assumptions.assumeTrue("UTF-8".equalsIgnoreCase(System.getProperty("sun.jnu.encoding")));
        Files.createDirectories(home.resolve("d\uFFFD"));
        Path below = vr.real("/d\uFFFD/e/x", false);
        assertThat(refusedWithoutWaiting(home.resolve("d\uFFFD/e"), () -> vr.delete(below)))
                .isEqualTo("AccessDeniedException");
        assertThat(refusedWithoutWaiting(home.resolve("d\uFFFD/e"), () -> vr.list(below.getParent(), e -> true)
                .close())).isEqualTo("AccessDeniedException");
    }

    /**
     * Makes a FIFO at {@code fifo} (unless one is there) and runs {@code work}, giving it up after a minute so that a wait fails the test
     * (no figure of time is asserted); then releases any waiting open.
     *
     * @return how the work ended
     */
    private static String refusedWithoutWaiting(Path fifo, Work work) throws Exception {
        if (!Files.exists(fifo, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            Process p = new ProcessBuilder("mkfifo", fifo.toString()).start();
            assertThat(p.waitFor()).isZero();
        }
        java.util.concurrent.CompletableFuture<String> f = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> attempt(work));
        try {
            return f.get(60, java.util.concurrent.TimeUnit.SECONDS);
        } finally {
            // release a waiting open: opening a FIFO for reading and writing at once never waits on Linux
            try (var ch = java.nio.channels.FileChannel.open(fifo, StandardOpenOption.READ,
                    StandardOpenOption.WRITE)) {
                ch.write(java.nio.ByteBuffer.wrap(new byte[1]));
            } catch (Exception e) {
                // nothing waits
            }
        }
    }
}
