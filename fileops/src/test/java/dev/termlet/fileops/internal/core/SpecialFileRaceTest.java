package dev.termlet.fileops.internal.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link VirtualRoot#open} never opens anything but a regular file, even when the file a path resolved to is swapped
 * for a FIFO between the resolution and the open, or while the open runs: the type is read from the very handle that
 * is then reopened, so no check can be beaten. A FIFO whose open waited for a writer would hang the opener; the
 * openers are given up after a while so that the test fails instead (no figure of time is asserted).
 */
class SpecialFileRaceTest {
    @TempDir
    Path dir;

    private static void mkfifo(Path p) throws Exception {
        Process mk = new ProcessBuilder("mkfifo", p.toString()).inheritIO().start();
        assertThat(mk.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(mk.exitValue()).isZero();
    }

    /** Opens a FIFO for reading and writing at once: Linux never waits for that, and it ends waits of others. */
    private static void release(Path fifo) {
        try (FileChannel ch = FileChannel.open(fifo, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[1]));
        } catch (IOException | RuntimeException ignored) {
            // gone
        }
    }

    @Test
    void onLinuxTheOpenIsRaceFree() {
        Assumptions.assumeTrue(System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT).contains("linux"));
        assertThat(NativeDirs.reopens()).as("O_PATH, statx and /proc/self/fd are used").isTrue();
    }

    @Test
    void aFileSwappedForAFifoAfterItWasResolvedIsRefused() throws Exception {
        VirtualRoot root = new VirtualRoot(dir.resolve("root"));
        Path f = Files.writeString(root.root().resolve("f"), "data");
        Path real = root.real("/f", true);
        Files.delete(f);
        mkfifo(f);
        try {
            assertThatThrownBy(() -> root.open(real, Set.of(StandardOpenOption.READ)))
                    .isInstanceOf(VirtualRoot.NotRegularFileException.class).hasMessageContaining("not a regular file");
            assertThatThrownBy(() -> root.open(real, Set.of(StandardOpenOption.WRITE, StandardOpenOption.CREATE)))
                    .isInstanceOf(VirtualRoot.NotRegularFileException.class);
            assertThatThrownBy(() -> root.open(real, Set.of(StandardOpenOption.WRITE, StandardOpenOption.APPEND)))
                    .isInstanceOf(VirtualRoot.NotRegularFileException.class);
            assertThatThrownBy(() -> root.checkWriteTarget(real)).isInstanceOf(VirtualRoot.NotRegularFileException.class);
            // a new file cannot be made at the name either, and nothing waits
            assertThatThrownBy(() -> root.open(real, Set.of(StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW)))
                    .isInstanceOf(java.nio.file.FileAlreadyExistsException.class);
            assertThat(Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)).isFalse();
        } finally {
            release(f);
        }
    }

    @Test
    void openingWhileTheNameFlipsBetweenAFileAndAFifoNeverWaits() throws Exception {
        VirtualRoot root = new VirtualRoot(dir.resolve("root"));
        Path f = Files.writeString(root.root().resolve("f"), "data");
        Path fifo = dir.resolve("fifo");
        mkfifo(fifo);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger regular = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            // the name is replaced in one step, over and over, by a new regular file or by a hard link of the FIFO
            Future<?> flipper = pool.submit(() -> {
                int i = 0;
                while (!stop.get()) {
                    Path tmp = root.root().resolve("tmp" + (i++ & 1));
                    if ((i & 1) == 0) {
                        Files.createLink(tmp, fifo);
                    } else {
                        Files.writeString(tmp, "data");
                    }
                    Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                }
                return null;
            });
            Future<?> reader = pool.submit(() -> openAll(root, regular, refused, StandardOpenOption.READ));
            Future<?> writer = pool.submit(() -> openAll(root, regular, refused, StandardOpenOption.WRITE));
            try {
                reader.get(120, TimeUnit.SECONDS);
                writer.get(120, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                throw new AssertionError("an open waits on the FIFO");
            } finally {
                stop.set(true);
            }
            flipper.get(30, TimeUnit.SECONDS);
            // both kinds were met (the race really ran) and each was answered as it is
            assertThat(regular.get()).isPositive();
            assertThat(refused.get()).isPositive();
        } finally {
            stop.set(true);
            release(fifo);
            pool.shutdownNow();
        }
    }

    /**
     * A name whose text holds U+FFFD, as any client may choose (its bytes on disk are that character's UTF-8), and a
     * name whose bytes are not valid UTF-8 (read from a listing, where U+FFFD stands for them) are opened race-free
     * too: they once fell back to the check by name, which a swap between the check and the open beats, leaving the
     * opener waiting on the FIFO.
     */
    @Test
    void namesWithUnreadableBytesAreOpenedRaceFreeToo() throws Exception {
        Assumptions.assumeTrue(NativeDirs.reopens() && "UTF-8".equalsIgnoreCase(System.getProperty("sun.jnu.encoding")));
        VirtualRoot root = new VirtualRoot(dir.resolve("root"));
        Path chosen = Files.writeString(root.root().resolve("f\uFFFD"), "data");
        flipWhileOpening(root, chosen, () -> root.real("/f\uFFFD", true));
        Process p = new ProcessBuilder("sh", "-c", "printf data > \"$(printf 'g\\377')\"").directory(
                root.root().toFile()).start();
        Assumptions.assumeTrue(p.waitFor() == 0, "a file with a name that is not UTF-8");
        Path raw;
        try (var s = Files.newDirectoryStream(root.root(), e -> e.getFileName().toString().startsWith("g"))) {
            raw = s.iterator().next();
        }
        assertThat(raw.getFileName().toString()).isEqualTo("g\uFFFD");
        assertThat(Files.exists(root.root().resolve("g\uFFFD"))).as("its text names another file").isFalse();
        try (FileChannel ch = root.open(raw, Set.of(StandardOpenOption.READ))) {
            assertThat(ch.size()).isEqualTo(4);
        }
        flipWhileOpening(root, raw, () -> raw);
    }

    private void flipWhileOpening(VirtualRoot root, Path f, java.util.concurrent.Callable<Path> resolve)
            throws Exception {
        Path fifo = dir.resolve("fifo");
        Files.deleteIfExists(fifo);
        mkfifo(fifo);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger regular = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<?> flipper = pool.submit(() -> {
                int i = 0;
                while (!stop.get()) {
                    Path tmp = root.root().resolve("tmp" + (i++ & 1));
                    if ((i & 1) == 0) {
                        Files.createLink(tmp, fifo);
                    } else {
                        Files.writeString(tmp, "data");
                    }
                    Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                }
                return null;
            });
            Future<?> reader = pool.submit(() -> {
                // at least 2000 opens, and on until each kind has been met: a busy machine may not switch to the
                // flipping thread within the first 2000 (the timeout below still bounds the whole)
                for (int i = 0; i < 2000 || regular.get() == 0 || refused.get() == 0; i++) {
                    try (FileChannel ch = root.open(resolve.call(), Set.of(StandardOpenOption.READ))) {
                        regular.incrementAndGet();
                    } catch (VirtualRoot.NotRegularFileException e) {
                        refused.incrementAndGet();
                    }
                }
                return null;
            });
            try {
                reader.get(120, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                throw new AssertionError("an open of " + f.getFileName() + " waits on the FIFO");
            } finally {
                stop.set(true);
            }
            flipper.get(30, TimeUnit.SECONDS);
            assertThat(regular.get()).isPositive();
            assertThat(refused.get()).isPositive();
        } finally {
            stop.set(true);
            release(fifo);
            pool.shutdownNow();
        }
    }

    /**
     * Where the race-free open cannot be used (here: a root whose name is not valid UTF-8, so that its text names
     * another directory), the type is checked by name before the open: a FIFO is still refused, a file still opened.
     */
    @Test
    void theCheckByNameRefusesAFifoToo() throws Exception {
        Assumptions.assumeTrue("UTF-8".equalsIgnoreCase(System.getProperty("sun.jnu.encoding")));
        Process p = new ProcessBuilder("sh", "-c", "mkdir \"$(printf 'root\\377')\"").directory(dir.toFile()).start();
        Assumptions.assumeTrue(p.waitFor() == 0, "a directory with a name that is not UTF-8");
        Path odd;
        try (var s = Files.newDirectoryStream(dir, e -> e.getFileName().toString().startsWith("root"))) {
            odd = s.iterator().next();
        }
        VirtualRoot root = new VirtualRoot(odd);
        Files.writeString(root.root().resolve("f"), "data");
        Path fifo = root.root().resolve("pipe");
        // the name's bytes reach mkfifo through the shell (a Java string of it would name another directory)
        Process mk = new ProcessBuilder("sh", "-c", "mkfifo \"$(printf 'root\\377')/pipe\"").directory(dir.toFile())
                .start();
        assertThat(mk.waitFor(30, TimeUnit.SECONDS) && mk.exitValue() == 0).isTrue();
        assertThat(Files.exists(fifo, LinkOption.NOFOLLOW_LINKS)).isTrue();
        try {
            assertThatThrownBy(() -> root.open(root.real("/pipe", true), Set.of(StandardOpenOption.READ)))
                    .isInstanceOf(VirtualRoot.NotRegularFileException.class);
            try (FileChannel ch = root.open(root.real("/f", true), Set.of(StandardOpenOption.READ))) {
                assertThat(ch.size()).isEqualTo(4);
            }
        } finally {
            release(fifo);
        }
    }

    private static Void openAll(VirtualRoot root, AtomicInteger regular, AtomicInteger refused,
            StandardOpenOption mode) throws IOException {
        // at least 2000 opens, and on until each kind has been met: on a busy machine the flipping thread may not run
        // at all during the first 2000 (CI once saw 4000 refusals and no regular file); the caller's timeout bounds it
        for (int i = 0; i < 2000 || regular.get() == 0 || refused.get() == 0; i++) {
            Path real = root.real("/f", true);
            try (FileChannel ch = root.open(real, Set.of(mode))) {
                if (mode == StandardOpenOption.READ) {
                    ByteBuffer b = ByteBuffer.allocate(16);
                    ch.read(b);
                    assertThat(new String(b.array(), 0, b.position(), StandardCharsets.UTF_8)).isIn("data", "");
                }
                regular.incrementAndGet();
            } catch (VirtualRoot.NotRegularFileException e) {
                refused.incrementAndGet();
            }
        }
        return null;
    }
}
