package dev.termlet.fileops;

import dev.termlet.fileops.internal.core.AtomicUpload;
import dev.termlet.fileops.internal.core.JailFileSystem;
import dev.termlet.fileops.internal.core.NativeDirs;
import dev.termlet.fileops.internal.core.VirtualRoot;
import dev.termlet.fileops.internal.ftp.FtpView;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random graphs of links (absolute, relative, {@code ..}, chains, loops, links to outside) planted in a user's root,
 * then random operations through each protocol's entry point: the jailed file system that SFTP, SCP and the hash
 * commands use, and the FTP view. No operation may read, change, create or remove anything outside the root.
 */
class JailPropertyTest {
    private static final String CANARY = "CANARY-outside-the-root";

    /** A link planted on disk: where it is, and its target as stored. */
    record Link(String dir, String name, String target) {}

    /** One operation: what, on which path, with which second path. */
    record Op(String kind, String path, String other) {}

    @Provide
    Arbitrary<List<Link>> graphs() {
        Arbitrary<String> dirs = Arbitraries.of("", "d1", "d1/d2", "l0", "l1");
        Arbitrary<String> names = Arbitraries.of("l0", "l1", "l2", "l3", "l4");
        Arbitrary<String> targets = Arbitraries.of("/", "..", "../..", "../../..", ".", "d1", "d1/d2", "l0", "l1/..",
                "l2/../..", "l0/l1", "OUT", "OUT/secret", "ROOT", "ROOT/..", "ROOT/d1/../..", "ROOT/l0/..",
                "d1/d2/../../..", "l3", "l4/l4", "HOMES/other", "/etc");
        return Combinators.combine(dirs, names, targets).as(Link::new).list().ofMaxSize(8);
    }

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<String> part = Arbitraries.of("l0", "l1", "l2", "l3", "l4", "d1", "d2", "..", ".", "f", "secret",
                "other", "new");
        Arbitrary<String> paths = part.list().ofMinSize(1).ofMaxSize(5).map(l -> "/" + String.join("/", l));
        Arbitrary<String> kinds = Arbitraries.of("read", "write", "append", "stat", "lstat", "list", "mkdir", "delete",
                "rename", "symlink", "hardlink", "chmod", "touch", "copy", "copylink", "readlink");
        Arbitrary<String> others = Arbitraries.oneOf(paths, Arbitraries.of("..", "../..", "/", "l0/..", "secret"));
        return Combinators.combine(kinds, paths, others).as(Op::new).list().ofMinSize(1).ofMaxSize(12);
    }

    /** The layout: base/outside (canaries), base/homes/u (the root), base/homes/other (another user). */
    private static Path layout() throws IOException {
        Path base = Files.createTempDirectory("jail");
        Path outside = Files.createDirectories(base.resolve("outside"));
        Files.writeString(outside.resolve("secret"), CANARY);
        Files.writeString(outside.resolve("zz-canary"), CANARY);
        Files.createDirectories(outside.resolve("d1/d2"));
        Files.writeString(outside.resolve("d1/d2/f"), CANARY);
        Path other = Files.createDirectories(base.resolve("homes/other"));
        Files.writeString(other.resolve("secret"), CANARY);
        Files.writeString(other.resolve("f"), CANARY);
        Files.writeString(other.resolve("zz-canary"), CANARY);
        Path root = Files.createDirectories(base.resolve("homes/u"));
        Files.createDirectories(root.resolve("d1/d2"));
        Files.writeString(root.resolve("f"), "mine");
        Files.writeString(root.resolve("d1/f"), "mine");
        return base;
    }

    private static java.util.Set<String> plant(Path base, List<Link> links) {
        java.util.Set<String> targets = new java.util.HashSet<>();
        Path root = base.resolve("homes/u");
        for (Link l : links) {
            String t = l.target().replace("OUT", base.resolve("outside").toString())
                    .replace("ROOT", root.toString()).replace("HOMES", base.resolve("homes").toString());
            targets.add(t);
            try {
                Path dir = l.dir().isEmpty() ? root : root.resolve(l.dir());
                Files.createSymbolicLink(dir.resolve(l.name()), Path.of(t));
            } catch (IOException | RuntimeException ignored) {
                // a link in a place that is not a directory, or already there: the graph is what it is
            }
        }
        return targets;
    }

    /** Everything outside the root as it is: each entry's kind, mode, size, time and content. */
    private static Map<String, String> snapshot(Path base) throws IOException {
        Map<String, String> out = new TreeMap<>();
        Path root = base.resolve("homes/u");
        try (Stream<Path> all = Files.walk(base)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                if (p.startsWith(root)) {
                    continue;
                }
                var a = Files.readAttributes(p, java.nio.file.attribute.PosixFileAttributes.class,
                        LinkOption.NOFOLLOW_LINKS);
                String content = a.isRegularFile() ? Files.readString(p) : "";
                out.put(base.relativize(p).toString(), (a.isDirectory() ? "d" : a.isSymbolicLink() ? "l" : "f")
                        + PosixFilePermissions.toString(a.permissions()) + a.size() + "@"
                        + a.lastModifiedTime().toMillis() + ":" + content + ":" + a.fileKey());
            }
        }
        return out;
    }

    @Property(tries = 300)
    void theJailedFileSystemNeverTouchesAnythingOutside(@ForAll("graphs") List<Link> links,
            @ForAll("ops") List<Op> ops) throws Exception {
        Path base = layout();
        java.util.Set<String> planted = plant(base, links);
        Map<String, String> before = snapshot(base);
        FileSystem fs = JailFileSystem.of(new VirtualRoot(base.resolve("homes/u")));
        for (Op op : ops) {
            Path p = fs.getPath(op.path());
            Path q = fs.getPath(op.other().startsWith("/") ? op.other() : op.path() + "/" + op.other());
            try {
                switch (op.kind()) {
                    case "read" -> {
                        try (InputStream in = Files.newInputStream(p)) {
                            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).as(op.toString())
                                    .doesNotContain(CANARY);
                        }
                    }
                    case "write" -> Files.writeString(p, "written");
                    case "append" -> Files.writeString(p, "more", StandardOpenOption.APPEND);
                    case "stat" -> Files.readAttributes(p, "posix:*");
                    case "lstat" -> Files.readAttributes(p, "posix:*", LinkOption.NOFOLLOW_LINKS);
                    case "list" -> {
                        try (DirectoryStream<Path> d = Files.newDirectoryStream(p)) {
                            for (Path e : d) {
                                assertThat(e.getFileName().toString()).isNotEqualTo("zz-canary");
                            }
                        }
                    }
                    case "mkdir" -> Files.createDirectory(p);
                    case "delete" -> Files.delete(p);
                    case "rename" -> Files.move(p, q, StandardCopyOption.REPLACE_EXISTING);
                    case "symlink" -> Files.createSymbolicLink(p, fs.getPath(op.other()));
                    case "hardlink" -> Files.createLink(p, q);
                    case "chmod" -> Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxrwxrwx"));
                    case "touch" -> Files.setLastModifiedTime(p, FileTime.fromMillis(0));
                    case "copy" -> Files.copy(p, q, StandardCopyOption.REPLACE_EXISTING);
                    case "copylink" -> Files.copy(p, q, LinkOption.NOFOLLOW_LINKS, StandardCopyOption.REPLACE_EXISTING);
                    case "readlink" -> assertThat(Files.readSymbolicLink(p).toString()).doesNotContain("outside");
                    default -> throw new IllegalStateException(op.kind());
                }
            } catch (IOException | UnsupportedOperationException | java.nio.file.InvalidPathException
                    | java.io.UncheckedIOException e) {
                // refused or impossible: what matters is what it did not touch
            }
        }
        assertThat(snapshot(base)).as("outside the root after %s with links %s", ops, links).isEqualTo(before);
        // every link the jail made leads inside the root, wherever it is moved later
        try (Stream<Path> all = Files.walk(base.resolve("homes/u"))) {
            for (Path p : (Iterable<Path>) all::iterator) {
                if (Files.isSymbolicLink(p) && Files.readSymbolicLink(p).isAbsolute()
                        && !planted.contains(Files.readSymbolicLink(p).toString())) {
                    assertThat(Files.readSymbolicLink(p).normalize().startsWith(base.resolve("homes/u"))).isTrue();
                }
            }
        }
    }

    @Property(tries = 200)
    void theFtpViewNeverTouchesAnythingOutside(@ForAll("graphs") List<Link> links, @ForAll("ops") List<Op> ops)
            throws Exception {
        Path base = layout();
        plant(base, links);
        Map<String, String> before = snapshot(base);
        FtpView view = new FtpView(new VirtualRoot(base.resolve("homes/u")), null);
        for (Op op : ops) {
            FtpView.Entry e = (FtpView.Entry) view.getFile(op.path());
            try {
                switch (op.kind()) {
                    case "read" -> {
                        try (InputStream in = e.createInputStream(0)) {
                            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).doesNotContain(CANARY);
                        }
                    }
                    case "write", "append" -> {
                        try (var out = e.createOutputStream(op.kind().equals("write") ? 0 : 1)) {
                            out.write("written".getBytes(StandardCharsets.UTF_8));
                        }
                        AtomicUpload u = view.takeUpload();
                        if (u != null) {
                            u.commit();
                        }
                    }
                    case "list" -> {
                        var files = e.listFiles();
                        if (files != null) {
                            files.forEach(f -> assertThat(f.getName()).isNotEqualTo("zz-canary"));
                        }
                    }
                    case "mkdir" -> e.mkdir();
                    case "delete" -> e.delete();
                    case "rename" -> e.move(view.getFile(op.other()));
                    case "touch" -> e.setLastModified(0);
                    case "stat", "lstat" -> {
                        e.getSize();
                        e.isDirectory();
                        e.getLastModified();
                    }
                    default -> {
                        // links, modes and copies are not FTP commands
                    }
                }
            } catch (IOException | RuntimeException ex) {
                // refused
            }
        }
        assertThat(snapshot(base)).as("outside the root after %s with links %s", ops, links).isEqualTo(before);
    }

    /** The channels the jail hands out are real file channels; on Linux the directory-relative calls are there. */
    @net.jqwik.api.Example
    void jailedChannelsAreFileChannels() throws Exception {
        if (System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT).contains("linux")) {
            assertThat(NativeDirs.available()).as("mkdirat, symlinkat and linkat through JNA").isTrue();
        }
        Path base = layout();
        FileSystem fs = JailFileSystem.of(new VirtualRoot(base.resolve("homes/u")));
        try (var ch = Files.newByteChannel(fs.getPath("/f"), Set.of(StandardOpenOption.READ))) {
            assertThat(ch).isInstanceOf(FileChannel.class);
        }
    }
}
