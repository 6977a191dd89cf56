package dev.termlet.bench.jmh;

import dev.termlet.fileops.internal.core.VirtualRoot;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The file-ops path resolver ({@link VirtualRoot}), which every SFTP, SCP and FTP operation passes: a client
 * path is normalised against the working directory, then looked up on disk: one {@code openat2} call
 * ({@code RESOLVE_NO_SYMLINKS}) on Linux 5.6+ when no link is on the path, else one {@code lstat} per component.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PathResolverBenchmark {
    private Path dir;
    private VirtualRoot root;

    /**
     * Creates a root with {@code projects/termlet/docs/guide.md} in it.
     *
     * @throws IOException if the temporary directory cannot be made
     */
    @Setup
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("termlet-bench-root");
        Files.createDirectories(dir.resolve("projects/termlet/docs"));
        Files.writeString(dir.resolve("projects/termlet/docs/guide.md"), "guide");
        root = new VirtualRoot(dir);
    }

    /**
     * Removes the root.
     *
     * @throws IOException if it cannot be removed
     */
    @TearDown
    public void tearDown() throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }

    /**
     * Normalises a relative path with {@code .} and {@code ..} against a working directory (no file system).
     *
     * @return the virtual path
     * @throws AccessDeniedException never here
     */
    @Benchmark
    public String normalise() throws AccessDeniedException {
        return VirtualRoot.normalise("./docs/../docs/guide.md", "/projects/termlet");
    }

    /**
     * Resolves an existing file four levels down to its real path, checking every component.
     *
     * @return the real path
     * @throws IOException never here
     */
    @Benchmark
    public Path resolveExisting() throws IOException {
        return root.resolve("docs/guide.md", "/projects/termlet");
    }

    /**
     * Resolves a path that does not exist yet (an upload's target).
     *
     * @return the real path
     * @throws IOException never here
     */
    @Benchmark
    public Path resolveNew() throws IOException {
        return root.resolve("/projects/termlet/docs/new-file.txt", "/");
    }

    /**
     * Clamps a hostile path that climbs above the root; it resolves inside the root.
     *
     * @return the real path
     * @throws IOException never here
     */
    @Benchmark
    public Path resolveHostile() throws IOException {
        return root.resolve("../../../../etc/passwd", "/projects");
    }
}
