package dev.termlet.web.internal;

import dev.termlet.auth.FilePermission;
import dev.termlet.fileops.FileEvent;
import dev.termlet.fileops.FileOperation;
import dev.termlet.fileops.internal.core.AtomicUpload;
import dev.termlet.fileops.internal.core.FileGate;
import dev.termlet.fileops.internal.core.FileSession;
import dev.termlet.fileops.internal.core.Quotas;
import dev.termlet.fileops.internal.core.VirtualRoot;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The file operations of the web side (the browser client, share links, WebDAV), each through the same pipeline as
 * SFTP, SCP and FTP: the path through the user's {@link VirtualRoot} (no {@code ..} above the root, no link leading
 * out, no control characters), the account's permission, the quota, the {@code pre-*} event (a refusal is an
 * {@link AccessDeniedException}), the operation, and its event after with the outcome. Uploads are atomic.
 *
 * <p>Failures are {@link IOException}s that {@link #status(IOException)} maps to HTTP statuses.
 */
public final class WebFiles {
    private static final Logger LOG = LoggerFactory.getLogger(WebFiles.class);

    private final FileGate gate;

    /** @param gate the file gate */
    public WebFiles(FileGate gate) {
        this.gate = gate;
    }

    /** @return the file gate */
    public FileGate gate() {
        return gate;
    }

    /**
     * A file or directory as a client sees it.
     *
     * @param path its virtual path, {@code /} for the root
     * @param name its name ({@code /} for the root)
     * @param directory whether it is a directory (a link inside the root is followed)
     * @param size its size in bytes (0 for a directory)
     * @param modified when it was last modified
     * @param created when it was created, where the file system knows
     */
    public record Entry(String path, String name, boolean directory, long size, Instant modified, Instant created) {}

    /** A parent directory that does not exist (WebDAV answers 409 Conflict). */
    public static final class MissingParentException extends IOException {
        private static final long serialVersionUID = 1L;

        /** @param path the path whose parent is missing */
        public MissingParentException(String path) {
            super("no such directory: " + parentOf(path));
        }
    }

    /** A path, resolved. */
    private record Resolved(String virtual, Path real, Path self) {}

    private static Resolved resolve(Login l, String clientPath) throws IOException {
        String p = clientPath == null || clientPath.isEmpty() ? "/" : clientPath;
        VirtualRoot.checkClientPath(p);
        String virtual = VirtualRoot.normalise(p, "/");
        if (Quotas.TEMP.matcher(nameOf(virtual)).matches()) {
            throw new NoSuchFileException(virtual);
        }
        return new Resolved(virtual, l.root().real(virtual, true), l.root().real(virtual, false));
    }

    /**
     * Normalises a client path as every operation does.
     *
     * @param clientPath the path
     * @return the virtual path
     * @throws AccessDeniedException if it is refused
     */
    public static String normalise(String clientPath) throws AccessDeniedException {
        String p = clientPath == null || clientPath.isEmpty() ? "/" : clientPath;
        VirtualRoot.checkClientPath(p);
        return VirtualRoot.normalise(p, "/");
    }

    /**
     * @param l the login
     * @param path the path
     * @return the entry
     * @throws NoSuchFileException if there is none
     */
    public Entry stat(Login l, String path) throws IOException {
        Resolved r = resolve(l, path);
        refuseRevoked(l.session(), r.virtual);
        return entry(r.virtual, r.real);
    }

    /**
     * @param l the login
     * @param path the path
     * @return whether something is there (a link that leads out counts as nothing)
     */
    public boolean exists(Login l, String path) {
        try {
            Resolved r = resolve(l, path);
            return Files.exists(r.self, LinkOption.NOFOLLOW_LINKS) && Files.exists(r.real);
        } catch (IOException e) {
            return false;
        }
    }

    private static Entry entry(String virtual, Path real) throws IOException {
        BasicFileAttributes a = Files.readAttributes(real, BasicFileAttributes.class);
        return new Entry(virtual, nameOf(virtual), a.isDirectory(), a.isDirectory() ? 0 : a.size(),
                a.lastModifiedTime().toInstant(), a.creationTime().toInstant());
    }

    /**
     * Lists a directory: the list permission in it, {@code pre-list}, {@code list-send} (handlers may hide names)
     * and {@code list}. Unfinished uploads are never listed; a link that leads outside the root is left out.
     *
     * @param l the login
     * @param path the directory
     * @return its entries, by name
     */
    public List<Entry> list(Login l, String path) throws IOException {
        FileSession s = l.session();
        Resolved r = resolve(l, path);
        if (!Files.exists(r.real)) {
            throw new NoSuchFileException(r.virtual);
        }
        if (!Files.isDirectory(r.real)) {
            throw new NotDirectoryException(r.virtual);
        }
        FileEvent e = gate.event(s, r.real, null, null);
        gate.permit(s, FilePermission.LIST, r.virtual);
        gate.pre(FileOperation.LIST.before(), s, e);
        long start = System.nanoTime();
        try {
            Map<String, Path> byName = new HashMap<>();
            try (DirectoryStream<Path> d = l.root().list(r.real, null)) {
                for (Path p : d) {
                    String n = p.getFileName().toString();
                    if (!Quotas.TEMP.matcher(n).matches()) {
                        byName.put(n, p);
                    }
                }
            }
            List<String> names = new ArrayList<>(byName.keySet());
            Collections.sort(names);
            names = gate.listSend(s, r.real, names);
            String base = r.virtual.equals("/") ? "" : r.virtual;
            List<Entry> out = new ArrayList<>();
            for (String n : names) {
                try {
                    out.add(entry(base + "/" + n, l.root().real(base + "/" + n, true)));
                } catch (IOException x) {
                    // a link that leads outside, or a file gone since: not listed
                }
            }
            gate.end(FileOperation.LIST, s, e, null, start);
            return out;
        } catch (IOException | RuntimeException x) {
            gate.end(FileOperation.LIST, s, e, x, start);
            throw x;
        }
    }

    /**
     * Sends a file, or a range of it: the download permission, {@code pre-download}, then {@code download} (or
     * {@code download-failed} when the client leaves before the end), at the user's download bandwidth.
     *
     * @param l the login
     * @param path the file
     * @param offset where to start
     * @param length how many bytes, -1 for all the rest
     * @param out where to write
     * @return the bytes sent
     */
    public long download(Login l, String path, long offset, long length, OutputStream out) throws IOException {
        FileSession s = l.session();
        Resolved r = resolve(l, path);
        Opened o = openForDownload(l, s, r);
        long start = System.nanoTime();
        long sent = 0;
        try (FileChannel ch = o.channel; InputStream in = gate.throttle(s.user(), false).input(
                Channels.newInputStream(ch.position(offset)))) {
            byte[] buf = new byte[64 * 1024];
            long left = length < 0 ? Long.MAX_VALUE : length;
            while (left > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                if (n < 0) {
                    break;
                }
                out.write(buf, 0, n);
                sent += n;
                left -= n;
            }
            out.flush();
        } catch (IOException | RuntimeException x) {
            gate.end(FileOperation.DOWNLOAD, s, o.event, x, start);
            throw x;
        }
        gate.end(FileOperation.DOWNLOAD, s, o.event.withSize(sent), null, start);
        return sent;
    }

    private record Opened(FileChannel channel, FileEvent event) {}

    private Opened openForDownload(Login l, FileSession s, Resolved r) throws IOException {
        FileEvent e = gate.event(s, r.real, null, "READ");
        gate.begin(FileOperation.DOWNLOAD, s, e, false);
        if (Files.isDirectory(r.real)) {
            IOException x = new IOException(r.virtual + " is a directory");
            gate.end(FileOperation.DOWNLOAD, s, e, x, 0);
            throw x;
        }
        try {
            if (!Files.exists(r.real)) {
                throw new NoSuchFileException(r.virtual);
            }
            return new Opened(l.root().open(r.real, Set.of(StandardOpenOption.READ)), e);
        } catch (IOException x) {
            gate.end(FileOperation.DOWNLOAD, s, e, x, 0);
            throw x;
        }
    }

    /**
     * Writes a whole file from a stream (a new file, or one replaced): the upload permission (overwrite for an
     * existing file), the file quota, {@code pre-upload}; the data goes to a temporary file that is put in place
     * only when all of it has come, then {@code upload} fires (a synchronous handler that refuses it has it removed,
     * and this throws {@link AccessDeniedException}), or {@code upload-failed} and nothing is kept.
     *
     * @param l the login
     * @param path the file
     * @param in the data
     * @return true if the file is new, false if it replaced one
     */
    public boolean upload(Login l, String path, InputStream in) throws IOException {
        return upload(l, path, in, false);
    }

    /**
     * Writes a whole file as {@link #upload(Login, String, InputStream)} does; with {@code keepExisting} a file of
     * that name is never replaced, not even one that appears while the data comes ({@link FileAlreadyExistsException}).
     *
     * @param l the login
     * @param path the file
     * @param in the data
     * @param keepExisting true to refuse replacing a file
     * @return true if the file is new, false if it replaced one
     */
    public boolean upload(Login l, String path, InputStream in, boolean keepExisting) throws IOException {
        FileSession s = l.session();
        Resolved r = resolve(l, path);
        if (r.virtual.equals("/")) {
            throw new AccessDeniedException("/", null, "the root is a directory");
        }
        if (!Files.isDirectory(r.real.getParent(), LinkOption.NOFOLLOW_LINKS)) {
            throw new MissingParentException(r.virtual);
        }
        if (Files.isDirectory(r.real)) {
            throw new FileAlreadyExistsException(r.virtual, null, "a directory is there");
        }
        boolean exists = Files.exists(r.real, LinkOption.NOFOLLOW_LINKS);
        if (exists && keepExisting) {
            throw new FileAlreadyExistsException(r.virtual);
        }
        FileEvent e = gate.event(s, r.real, null, "WRITE");
        try {
            gate.begin(FileOperation.UPLOAD, s, e, exists, () -> {
                if (!exists) {
                    gate.quotas().checkNewFile(s);
                }
            });
        } catch (Quotas.QuotaExceededException q) {
            gate.quotaExceeded(s, r.real, q);
            throw q;
        }
        AtomicUpload u = AtomicUpload.replacing(gate, s, l.root(), r.real, false);
        if (keepExisting) {
            u.keepExisting();
        }
        IOException transfer = null;
        try (OutputStream out = gate.throttle(s.user(), true).output(u.stream(Quotas.QuotaExceededException::new))) {
            in.transferTo(out);
        } catch (IOException x) {
            transfer = x;
        } catch (RuntimeException x) {
            transfer = new IOException(x);
        }
        AtomicUpload.Settled end = u.settle(FileOperation.UPLOAD, "WRITE", transfer);
        switch (end.how()) {
            case COMMITTED:
                return !exists;
            case REFUSED:
                throw new AccessDeniedException(r.virtual, null, "the upload was refused");
            default:
                throw end.failure() != null ? end.failure() : new IOException("the upload failed");
        }
    }

    /**
     * Makes a directory: the create-dirs permission, {@code pre-mkdir}, {@code mkdir}.
     *
     * @param l the login
     * @param path the directory
     * @throws FileAlreadyExistsException if something is there
     * @throws MissingParentException if its parent is missing
     */
    public void mkdir(Login l, String path) throws IOException {
        FileSession s = l.session();
        Resolved r = resolve(l, path);
        if (Files.exists(r.self, LinkOption.NOFOLLOW_LINKS)) {
            throw new FileAlreadyExistsException(r.virtual);
        }
        if (!Files.isDirectory(r.real.getParent(), LinkOption.NOFOLLOW_LINKS)) {
            throw new MissingParentException(r.virtual);
        }
        FileEvent e = gate.event(s, r.real, null, null);
        gate.begin(FileOperation.MKDIR, s, e, false);
        long start = System.nanoTime();
        try {
            l.root().mkdir(r.real);
        } catch (IOException | RuntimeException x) {
            gate.end(FileOperation.MKDIR, s, e, x, start);
            throw x;
        }
        gate.end(FileOperation.MKDIR, s, e, null, start);
    }

    /**
     * Deletes a file, a link, or a directory with all it holds (each file with the delete permission and its
     * {@code pre-delete} and {@code delete}, each directory with {@code pre-rmdir} and {@code rmdir}, deepest
     * first). A refusal stops the walk: what was deleted before it stays deleted.
     *
     * @param l the login
     * @param path what to delete
     */
    public void delete(Login l, String path) throws IOException {
        Resolved r = resolve(l, path);
        if (r.virtual.equals("/")) {
            throw new AccessDeniedException("/", null, "the root cannot be deleted");
        }
        if (!Files.exists(r.self, LinkOption.NOFOLLOW_LINKS)) {
            throw new NoSuchFileException(r.virtual);
        }
        deleteTree(l, l.session(), r.virtual, r.self);
    }

    private void deleteTree(Login l, FileSession s, String virtual, Path self) throws IOException {
        if (Files.isDirectory(self, LinkOption.NOFOLLOW_LINKS)) {
            List<String> names = new ArrayList<>();
            try (DirectoryStream<Path> d = l.root().list(self, null)) {
                for (Path p : d) {
                    names.add(p.getFileName().toString());
                }
            }
            for (String n : names) {
                String child = virtual + "/" + n;
                if (Quotas.TEMP.matcher(n).matches()) {
                    throw new DirectoryNotEmptyException(virtual + " (an upload is in progress in it)");
                }
                deleteTree(l, s, child, l.root().real(child, false));
            }
            FileEvent e = gate.event(s, self, null, null);
            gate.begin(FileOperation.RMDIR, s, e, false);
            long start = System.nanoTime();
            try {
                l.root().delete(self);
            } catch (IOException | RuntimeException x) {
                gate.end(FileOperation.RMDIR, s, e, x, start);
                throw x;
            }
            gate.end(FileOperation.RMDIR, s, e, null, start);
            return;
        }
        FileEvent e = gate.event(s, self, null, null);
        gate.begin(FileOperation.DELETE, s, e, false);
        long size = FileGate.sizeOf(self);
        long start = System.nanoTime();
        try {
            l.root().delete(self);
        } catch (IOException | RuntimeException x) {
            gate.end(FileOperation.DELETE, s, e, x, start);
            throw x;
        }
        gate.quotas().removed(s, size);
        gate.end(FileOperation.DELETE, s, e, null, start);
    }

    /**
     * Moves or renames a file or directory: the rename permission at both ends (and overwrite when the target is
     * taken), {@code pre-rename}, {@code rename}. A taken target is deleted first (with its own events) when
     * {@code overwrite}, else refused with {@link FileAlreadyExistsException}.
     *
     * @param l the login
     * @param from what to move
     * @param to where
     * @param overwrite whether a taken target may be replaced
     * @return true if the target was new
     */
    public boolean move(Login l, String from, String to, boolean overwrite) throws IOException {
        FileSession s = l.session();
        Resolved f = resolve(l, from);
        Resolved t = resolve(l, to);
        if (f.virtual.equals("/")) {
            throw new AccessDeniedException("/", null, "the root cannot be moved");
        }
        if (!Files.exists(f.self, LinkOption.NOFOLLOW_LINKS)) {
            throw new NoSuchFileException(f.virtual);
        }
        boolean taken = checkTarget(f, t, overwrite);
        FileOperation op = Files.isDirectory(f.self, LinkOption.NOFOLLOW_LINKS) ? FileOperation.RENAME_DIR
                : FileOperation.RENAME;
        FileEvent e = gate.event(s, f.self, t.self, null);
        gate.permit(s, op.permission(), t.virtual);
        if (taken) {
            gate.permit(s, FilePermission.OVERWRITE, t.virtual);
        }
        gate.begin(op, s, e, false);
        if (taken) {
            deleteTree(l, s, t.virtual, t.self);
        }
        long start = System.nanoTime();
        try {
            l.root().move(f.self, t.self, false);
        } catch (IOException | RuntimeException x) {
            gate.end(op, s, e, x, start);
            throw x;
        }
        gate.end(op, s, e.withSize(FileGate.sizeOf(t.self)), null, start);
        return !taken;
    }

    /**
     * Copies a file, or a directory with all it holds, on the server: the download permission at the source,
     * upload (or overwrite) at the target and the quota; each file with {@code pre-copy} and {@code copy}, written
     * to a temporary file and put in place whole; each directory made with {@code mkdir}'s events.
     *
     * @param l the login
     * @param from what to copy
     * @param to where
     * @param overwrite whether a taken target may be replaced (it is deleted first)
     * @param deep whether a directory's contents are copied too (false: only the directory)
     * @return true if the target was new
     */
    public boolean copy(Login l, String from, String to, boolean overwrite, boolean deep) throws IOException {
        FileSession s = l.session();
        Resolved f = resolve(l, from);
        Resolved t = resolve(l, to);
        if (!Files.exists(f.real)) {
            throw new NoSuchFileException(f.virtual);
        }
        boolean taken = checkTarget(f, t, overwrite);
        if (taken) {
            gate.permit(s, FilePermission.OVERWRITE, t.virtual);
            deleteTree(l, s, t.virtual, t.self);
        }
        copyTree(l, s, f.virtual, f.real, t.virtual, deep);
        return !taken;
    }

    /**
     * The checks of a move's or copy's target: not the root, not the source or inside it, not a directory that holds
     * the source (replacing it would delete the source first), in a directory that exists, and free unless
     * {@code overwrite}.
     *
     * @return whether the target is taken
     */
    private static boolean checkTarget(Resolved f, Resolved t, boolean overwrite) throws IOException {
        if (t.virtual.equals("/")) {
            throw new AccessDeniedException("/", null, "the root cannot be replaced");
        }
        if (t.virtual.equals(f.virtual) || t.virtual.startsWith(f.virtual + "/")) {
            throw new AccessDeniedException(t.virtual, null, "a directory cannot go into itself");
        }
        if (f.virtual.startsWith(t.virtual + "/")) {
            throw new AccessDeniedException(t.virtual, null, "cannot replace a directory that holds the source");
        }
        if (!Files.isDirectory(t.real.getParent(), LinkOption.NOFOLLOW_LINKS)) {
            throw new MissingParentException(t.virtual);
        }
        boolean taken = Files.exists(t.self, LinkOption.NOFOLLOW_LINKS);
        if (taken && !overwrite) {
            throw new FileAlreadyExistsException(t.virtual);
        }
        return taken;
    }

    private void copyTree(Login l, FileSession s, String from, Path real, String to, boolean deep) throws IOException {
        Path target = l.root().real(to, false);
        if (Files.isDirectory(real)) {
            FileEvent e = gate.event(s, target, null, null);
            gate.permit(s, FilePermission.LIST, from);
            gate.begin(FileOperation.MKDIR, s, e, false);
            long start = System.nanoTime();
            try {
                l.root().mkdir(target);
            } catch (IOException | RuntimeException x) {
                gate.end(FileOperation.MKDIR, s, e, x, start);
                throw x;
            }
            gate.end(FileOperation.MKDIR, s, e, null, start);
            if (!deep) {
                return;
            }
            List<String> names = new ArrayList<>();
            try (DirectoryStream<Path> d = l.root().list(real, null)) {
                for (Path p : d) {
                    String n = p.getFileName().toString();
                    if (!Quotas.TEMP.matcher(n).matches()) {
                        names.add(n);
                    }
                }
            }
            Collections.sort(names);
            for (String n : names) {
                Path child;
                try {
                    child = l.root().real(from + "/" + n, true);
                } catch (AccessDeniedException x) {
                    continue; // a link that leads outside: not copied
                }
                copyTree(l, s, from + "/" + n, child, to + "/" + n, true);
            }
            return;
        }
        FileEvent e = gate.event(s, real, target, null);
        gate.permit(s, FilePermission.DOWNLOAD, e.path());
        gate.notJudged(real, false, e.path());
        gate.permit(s, FilePermission.UPLOAD, e.target());
        try {
            gate.quotas().checkNewFile(s);
            gate.quotas().checkGrowth(s, Math.max(0, e.size()));
        } catch (Quotas.QuotaExceededException q) {
            gate.quotaExceeded(s, target, q);
            throw q;
        }
        gate.pre(FileOperation.COPY.before(), s, e);
        long start = System.nanoTime();
        AtomicUpload copy = AtomicUpload.replacing(gate, s, l.root(), target, false);
        try {
            try (InputStream in = Channels.newInputStream(l.root().open(real, Set.of(StandardOpenOption.READ)));
                    OutputStream out = copy.stream(Quotas.QuotaExceededException::new)) {
                in.transferTo(out);
            }
            copy.commit();
        } catch (IOException | RuntimeException x) {
            copy.discard(x);
            gate.end(FileOperation.COPY, s, e, x, start);
            throw x;
        }
        gate.end(FileOperation.COPY, s, e, null, start);
    }

    private void refuseRevoked(FileSession s, String virtual) throws AccessDeniedException {
        if (s.revoked()) {
            throw new AccessDeniedException(virtual, null, "permission denied: account removed or disabled");
        }
    }

    /**
     * The HTTP status of a failed operation.
     *
     * @param e the failure
     * @return 403, 404, 409, 412, 507 or 500
     */
    public static int status(IOException e) {
        if (e instanceof Quotas.QuotaExceededException
                || (e.getMessage() != null && e.getMessage().startsWith("quota exceeded"))) {
            return 507;
        }
        if (e instanceof AccessDeniedException) {
            return 403;
        }
        if (e instanceof NoSuchFileException) {
            return 404;
        }
        if (e instanceof MissingParentException || e instanceof NotDirectoryException
                || e instanceof DirectoryNotEmptyException) {
            return 409;
        }
        if (e instanceof FileAlreadyExistsException) {
            return 412;
        }
        LOG.debug("file operation failed", e);
        return 500;
    }

    /**
     * @param e a failure
     * @return what a client may be told of it (never a path on the server's disk)
     */
    public static String reason(IOException e) {
        if (e instanceof AccessDeniedException && ((AccessDeniedException) e).getReason() != null) {
            return ((AccessDeniedException) e).getReason();
        }
        if (e instanceof java.nio.file.FileSystemException) {
            // the file of a failure may be a path on the server's disk: only the reason is told
            java.nio.file.FileSystemException f = (java.nio.file.FileSystemException) e;
            return f.getReason() != null ? f.getReason() : e.getClass().getSimpleName().replace("Exception", "")
                    .replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(java.util.Locale.ROOT);
        }
        if (e instanceof Quotas.QuotaExceededException || e instanceof MissingParentException) {
            return e.getMessage();
        }
        return "the operation failed";
    }

    static String nameOf(String virtual) {
        int slash = virtual.lastIndexOf('/');
        return virtual.equals("/") ? "/" : virtual.substring(slash + 1);
    }

    static String parentOf(String virtual) {
        int slash = virtual.lastIndexOf('/');
        return slash <= 0 ? "/" : virtual.substring(0, slash);
    }
}
