package dev.termlet.fileops.internal.ftp;

import dev.termlet.fileops.FileEvent;
import dev.termlet.fileops.FileOperation;
import dev.termlet.fileops.internal.core.AtomicUpload;
import dev.termlet.fileops.internal.core.FileGate;
import dev.termlet.fileops.internal.core.FileSession;
import dev.termlet.fileops.internal.core.Quotas;
import dev.termlet.fileops.internal.core.VirtualRoot;

import dev.termlet.auth.FilePermission;
import dev.termlet.spi.ShellWords;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.ftpserver.ftplet.DefaultFtpReply;
import org.apache.ftpserver.ftplet.FtpException;
import org.apache.ftpserver.ftplet.FtpSession;
import org.apache.ftpserver.ftplet.FtpletResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** FTP's {@code COMB}: joins uploaded parts into one file, atomically, within the user's quotas. */
public final class FtpCombine {
    private static final Logger LOG = LoggerFactory.getLogger(FtpEvents.class);

    private final FileGate gate;

    FtpCombine(FileGate gate) {
        this.gate = gate;
    }

    /**
     * {@code COMB target part1 part2 ...} (quoted names allowed): joins the parts, in order, into the target
     * atomically and removes the parts. Needs upload (or overwrite) where the target goes and delete where the
     * parts are. The result as asked for (a part named twice counts twice) must fit the user's quotas, with the
     * parts it removes and the target it replaces taken off (552 and {@code quota-exceeded} otherwise); a part
     * named twice, or the target named as a part, is refused (501). The parts are taken first (renamed to
     * hidden names), so nothing else can use or change them meanwhile, and exactly their bytes are copied.
     */
    FtpletResult run(FtpSession session, FileSession s, String arg) throws IOException, FtpException {
        List<String> names;
        try {
            names = ShellWords.split(arg == null ? "" : arg);
        } catch (ShellWords.SyntaxException ex) {
            session.write(new DefaultFtpReply(501, ex.getMessage()));
            return FtpletResult.SKIP;
        }
        if (names.size() < 2) {
            session.write(new DefaultFtpReply(501, "COMB wants a target and at least one part"));
            return FtpletResult.SKIP;
        }
        if (((FtpView) session.getFileSystemView()).root().objectStore()) {
            session.write(new DefaultFtpReply(502, "COMB is not possible in object storage"));
            return FtpletResult.SKIP;
        }
        FtpView.Entry target = FtpEvents.require(session, names.get(0));
        if (Files.isDirectory(target.real, LinkOption.NOFOLLOW_LINKS)) {
            session.write(new DefaultFtpReply(550, names.get(0) + ": is a directory"));
            return FtpletResult.SKIP;
        }
        Object targetKey = Files.exists(target.real, LinkOption.NOFOLLOW_LINKS) ? fileKey(target.real) : null;
        List<FtpView.Entry> parts = new ArrayList<>();
        Map<Object, FtpView.Entry> distinct = new LinkedHashMap<>();
        long asked = 0;
        String repeated = null;
        for (String n : names.subList(1, names.size())) {
            FtpView.Entry p = FtpEvents.require(session, n);
            if (!Files.isRegularFile(p.real, LinkOption.NOFOLLOW_LINKS)) {
                session.write(new DefaultFtpReply(550, n + ": not a file to combine"));
                return FtpletResult.SKIP;
            }
            Object key = fileKey(p.real);
            if (p.real.equals(target.real) || key.equals(targetKey)) {
                session.write(new DefaultFtpReply(501, n + ": the target cannot be one of its parts"));
                return FtpletResult.SKIP;
            }
            if (distinct.putIfAbsent(key, p) != null && repeated == null) {
                repeated = n;
            }
            parts.add(p);
            asked += Math.max(0, FileGate.sizeOf(p.real));
        }
        FileEvent ev = gate.event(s, target.real, null, "WRITE");
        boolean exists = targetKey != null;
        gate.permit(s, exists ? FilePermission.OVERWRITE : FilePermission.UPLOAD, ev.path());
        for (FtpView.Entry p : parts) {
            gate.permit(s, FilePermission.DELETE_FILES, p.getAbsolutePath());
            gate.notJudged(p.real, false, p.getAbsolutePath());
        }
        long oldSize = exists ? FileGate.sizeOf(target.real) : -1;
        long removed = 0;
        for (FtpView.Entry p : distinct.values()) {
            removed += Math.max(0, FileGate.sizeOf(p.real));
        }
        try {
            gate.quotas().checkChange(s, asked - removed - Math.max(0, oldSize),
                    (exists ? 0 : 1) - distinct.size());
        } catch (Quotas.QuotaExceededException q) {
            gate.quotaExceeded(s, target.real, q);
            session.write(new DefaultFtpReply(552, q.getMessage()));
            gate.end(FileOperation.COMBINE, s, ev, q, System.nanoTime());
            return FtpletResult.SKIP;
        }
        if (repeated != null) {
            session.write(new DefaultFtpReply(501, repeated + ": named more than once"));
            return FtpletResult.SKIP;
        }
        gate.pre(FileOperation.COMBINE.before(), s, ev);
        long start = System.nanoTime();
        VirtualRoot root = ((FtpView) session.getFileSystemView()).root();
        AtomicUpload result = null;
        List<Path[]> taken = new ArrayList<>();
        long total = 0;
        try {
            for (FtpView.Entry p : parts) {
                Path hidden = takenTwin(root, p.real);
                try {
                    root.move(p.real, hidden, false);
                } catch (IOException e) {
                    Files.deleteIfExists(Quotas.takenRecord(hidden));
                    throw e;
                }
                taken.add(new Path[] {p.real, hidden});
            }
            // the whole change was checked against the quota above: the result is written without the write check
            result = AtomicUpload.replacing(gate, s, root, target.real, false);
            for (Path[] t : taken) {
                total += copy(root, t[1], result.unlimited());
            }
            result.commit();
        } catch (IOException ex) {
            if (result != null) {
                result.discard(ex);
            }
            giveBack(root, s, taken);
            LOG.info("COMB into {} failed: {}", s.virtual(target.real), ex.toString());
            session.write(new DefaultFtpReply(451, "COMB failed" + (ex instanceof java.nio.file.AccessDeniedException
                    ? ": permission denied" : "")));
            gate.end(FileOperation.COMBINE, s, ev, ex, start);
            return FtpletResult.SKIP;
        }
        for (Path[] t : taken) {
            long size = FileGate.sizeOf(t[1]);
            try {
                root.delete(t[1]);
                gate.quotas().removed(s, size);
            } catch (java.nio.file.NoSuchFileException gone) {
                // nothing to take out of the quota
            }
            forget(t[1]);
        }
        session.write(new DefaultFtpReply(250, "COMB command successful: " + parts.size() + " parts, " + total
                + " bytes"));
        gate.end(FileOperation.COMBINE, s, gate.event(s, target.real, null, "WRITE"), null, start);
        return FtpletResult.SKIP;
    }

    /** What identifies a file on disk (device and inode where there are such), so two names of one file match. */
    private static Object fileKey(Path file) throws IOException {
        Object key = Files.readAttributes(file, BasicFileAttributes.class,
                LinkOption.NOFOLLOW_LINKS).fileKey();
        return key != null ? key : file.toRealPath(LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * A hidden name for a part that a COMB in progress takes, of the form the listings and the quota count leave out
     * ({@link Quotas#temporaryName}); the part's own name, which a long name's cut form does not carry whole, is first
     * recorded beside it (written through to the disk), so that the sweep at start gives it back after a crash.
     */
    private static Path takenTwin(VirtualRoot root, Path file) throws IOException {
        String name = file.getFileName().toString();
        Path taken = file.resolveSibling(Quotas.temporaryName(name, "taken"));
        Path record = Quotas.takenRecord(taken);
        try (FileChannel out = root.open(record,
                java.util.Set.of(StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW))) {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            while (b.hasRemaining()) {
                out.write(b);
            }
            out.force(true);
        } catch (IOException e) {
            Files.deleteIfExists(record);
            throw e;
        }
        return taken;
    }

    /** Removes the record of a taken part's name, once the part is given back or used up. */
    private static void forget(Path taken) {
        try {
            Files.deleteIfExists(Quotas.takenRecord(taken));
        } catch (IOException e) {
            LOG.warn("could not remove the record of a COMB part (the sweep at start will): {}", e.toString());
        }
    }

    /** Appends exactly one taken part (a regular file, not followed through a link) and returns its size. */
    private static long copy(VirtualRoot root, Path part, FileChannel out) throws IOException {
        try (FileChannel in = root.open(part, java.util.Set.of(StandardOpenOption.READ))) {
            if (!Files.isRegularFile(part, LinkOption.NOFOLLOW_LINKS)) {
                throw new IOException("a part is no longer a regular file");
            }
            long size = in.size();
            for (long done = 0; done < size;) {
                long n = in.transferTo(done, size - done, out);
                if (n <= 0) {
                    throw new IOException("a part changed during COMB");
                }
                done += n;
            }
            return size;
        }
    }

    /** Puts taken parts back under their names (beside them, if a name was taken meanwhile). */
    private static void giveBack(VirtualRoot root, FileSession s, List<Path[]> taken) {
        for (Path[] t : taken) {
            try {
                root.move(t[1], t[0], false);
                forget(t[1]);
            } catch (IOException e) {
                Path aside = t[0].resolveSibling(Quotas.asideName(t[0].getFileName().toString()));
                try {
                    root.move(t[1], aside, false);
                    forget(t[1]);
                    LOG.warn("COMB part {} given back as {}: its name was taken meanwhile", s.virtual(t[0]),
                            s.virtual(aside));
                } catch (IOException again) {
                    // left taken, with its record: the sweep at the next start gives it back
                    LOG.warn("COMB part {} could not be given back: {}", s.virtual(t[0]), again.toString());
                }
            }
        }
    }
}
