package dev.termlet.web.internal.client;

import dev.termlet.web.internal.Login;
import dev.termlet.web.internal.WebFiles;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a directory as a zip while it is sent: each directory listed and each file read through {@link WebFiles},
 * so every one is permission-checked and fires its {@code list} or {@code download} events. What is refused (a
 * directory that may not be listed, a file that may not be downloaded) is left out; links leading out of the root are
 * never listed; a link back up the tree is entered once.
 */
final class ZipWriter {
    private static final Logger LOG = LoggerFactory.getLogger(ZipWriter.class);

    private final WebFiles files;
    private final Login login;
    private final Set<Path> visited = new HashSet<>();
    private int written;
    private int skipped;

    /** What a zip holds: the files written and the files or directories left out. */
    record Result(int files, int skipped) {}

    ZipWriter(WebFiles files, Login login) {
        this.files = files;
        this.login = login;
    }

    /**
     * @param dir the directory
     * @param entries its entries, already listed
     * @param out where the zip goes (not closed)
     * @return what was written
     * @throws IOException if writing fails (the zip is then broken: the response must be aborted)
     */
    Result write(WebFiles.Entry dir, List<WebFiles.Entry> entries, OutputStream out) throws IOException {
        BufferedOutputStream buffered = new BufferedOutputStream(out, 64 * 1024);
        ZipOutputStream zip = new ZipOutputStream(buffered);
        String top = dir.path().equals("/") ? login.user() : dir.name();
        visited.add(realOf(dir.path()));
        directory(zip, top + "/", dir, entries);
        zip.finish();
        buffered.flush();
        return new Result(written, skipped);
    }

    private void directory(ZipOutputStream zip, String prefix, WebFiles.Entry dir, List<WebFiles.Entry> entries)
            throws IOException {
        ZipEntry d = new ZipEntry(prefix);
        d.setLastModifiedTime(FileTime.from(dir.modified()));
        zip.putNextEntry(d);
        zip.closeEntry();
        for (WebFiles.Entry e : entries) {
            if (e.directory()) {
                List<WebFiles.Entry> children;
                try {
                    if (!visited.add(realOf(e.path()))) {
                        continue; // a link to a directory already in the zip
                    }
                    children = files.list(login, e.path());
                } catch (IOException refused) {
                    LOG.debug("left out of a zip: {}: {}", e.path(), WebFiles.reason(refused));
                    skipped++;
                    continue;
                }
                directory(zip, prefix + e.name() + "/", e, children);
            } else {
                file(zip, prefix + e.name(), e);
            }
        }
    }

    private void file(ZipOutputStream zip, String name, WebFiles.Entry e) throws IOException {
        ZipEntry z = new ZipEntry(name);
        z.setLastModifiedTime(FileTime.from(e.modified()));
        Lazy lazy = new Lazy(zip, z);
        try {
            files.download(login, e.path(), 0, -1, lazy);
        } catch (IOException refused) {
            if (lazy.opened) {
                throw refused; // half a file is in the zip: it cannot be taken back
            }
            LOG.debug("left out of a zip: {}: {}", e.path(), WebFiles.reason(refused));
            skipped++;
            return;
        }
        lazy.open();
        zip.closeEntry();
        written++;
    }

    private Path realOf(String virtual) throws IOException {
        return login.root().real(virtual, true).toRealPath();
    }

    /** Starts the zip entry at the first byte, so a file refused before its first byte leaves nothing behind. */
    private static final class Lazy extends OutputStream {
        private final ZipOutputStream zip;
        private final ZipEntry entry;
        private boolean opened;

        Lazy(ZipOutputStream zip, ZipEntry entry) {
            this.zip = zip;
            this.entry = entry;
        }

        void open() throws IOException {
            if (!opened) {
                zip.putNextEntry(entry);
                opened = true;
            }
        }

        @Override
        public void write(int b) throws IOException {
            open();
            zip.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            open();
            zip.write(b, off, len);
        }

        @Override
        public void flush() {
            // the zip is flushed as a whole, at the end
        }
    }
}
