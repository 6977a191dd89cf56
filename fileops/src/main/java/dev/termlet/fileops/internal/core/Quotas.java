package dev.termlet.fileops.internal.core;

import dev.termlet.auth.Account;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * Per-user disk usage against the account's quota. Usage is counted once per user (a walk of the home directory,
 * temporary upload files excluded) and then kept up to date as uploads complete and files are deleted.
 */
public final class Quotas {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Quotas.class);
    /**
     * The server's own files in users' homes: upload temporaries ({@code .NAME.UUID.part}), the parts an FTP
     * {@code COMB} in progress has taken ({@code .NAME.UUID.taken}) and, beside each, the record of its own name
     * ({@code .NAME.UUID.name}), which the NAME cut to fit in 255 bytes may not carry whole.
     */
    public static final Pattern TEMP = Pattern.compile(
            "^\\..+\\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\\.(part|taken|name)$");

    /** The length of {@code .UUID.taken}, the end of a taken part's name. */
    private static final int TAKEN_TAIL = 43;

    /** The longest name, in UTF-8 bytes, that file systems take. */
    private static final int MAX_NAME_BYTES = 255;

    /**
     * A fresh name for one of the server's files beside {@code name} ({@code .NAME.UUID.part}): the NAME part is cut,
     * on a UTF-8 character boundary, so that the whole fits in 255 bytes whatever the length of the name it stands
     * for; it always matches {@link #TEMP}.
     *
     * @param name the file's name
     * @param kind the suffix, {@code part} or {@code taken}
     * @return the name
     */
    public static String temporaryName(String name, String kind) {
        String suffix = "." + java.util.UUID.randomUUID() + "." + kind;
        String kept = cut(name, MAX_NAME_BYTES - 1 - suffix.length());
        return "." + (kept.isEmpty() ? "x" : kept) + suffix;
    }

    /**
     * A fresh visible name beside {@code name} for a file given back when its own name is in use again
     * ({@code NAME.comb-XXXXXXXX}, NAME cut to fit in 255 bytes).
     *
     * @param name the file's name
     * @return the name
     */
    public static String asideName(String name) {
        String suffix = ".comb-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        return cut(name, MAX_NAME_BYTES - suffix.length()) + suffix;
    }

    /** The longest start of {@code name} of at most {@code room} UTF-8 bytes that ends on a character boundary. */
    private static String cut(String name, int room) {
        StringBuilder kept = new StringBuilder();
        int bytes = 0;
        for (int i = 0; i < name.length();) {
            int cp = name.codePointAt(i);
            int n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (bytes + n > room) {
                break;
            }
            kept.appendCodePoint(cp);
            bytes += n;
            i += Character.charCount(cp);
        }
        return kept.toString();
    }

    /**
     * Where the own name of a part taken by a {@code COMB} is recorded: {@code .NAME.UUID.name} beside its
     * {@code .NAME.UUID.taken}.
     *
     * @param taken the taken part
     * @return its record
     */
    public static Path takenRecord(Path taken) {
        String n = taken.getFileName().toString();
        return taken.resolveSibling(n.substring(0, n.length() - "taken".length()) + "name");
    }

    /**
     * The name a taken part goes back under: the one its record holds, if the record is there and holds a plain
     * name; else the one its own name carries (whole when it fitted, cut otherwise).
     */
    private static String takenFrom(Path taken) {
        Path record = takenRecord(taken);
        try {
            if (Files.isRegularFile(record, java.nio.file.LinkOption.NOFOLLOW_LINKS) && Files.size(record) <= 1024) {
                String n = java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                        .decode(ByteBuffer.wrap(Files.readAllBytes(record))).toString();
                if (plainName(n)) {
                    return n;
                }
            }
        } catch (IOException e) {
            // no usable record: the name carries what it can
        }
        String n = taken.getFileName().toString();
        return n.substring(1, n.length() - TAKEN_TAIL);
    }

    /** Whether a name is one file's name in one directory, of a length file systems take, and not the server's. */
    private static boolean plainName(String n) {
        return !n.isEmpty() && !n.equals(".") && !n.equals("..") && n.indexOf('/') < 0 && n.indexOf('\0') < 0
                && n.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= MAX_NAME_BYTES
                && !TEMP.matcher(n).matches();
    }

    /** Bytes and files one user has. */
    public static final class Usage {
        /** Bytes in the user's files. */
        public final AtomicLong bytes = new AtomicLong();
        /** Files the user has. */
        public final AtomicLong files = new AtomicLong();
        /** Bytes written to uploads still open, beyond the sizes their files had: they count while they exist. */
        public final AtomicLong inflight = new AtomicLong();
    }

    /** A write or a new file that would go past the quota. */
    public static final class QuotaExceededException extends IOException {
        private static final long serialVersionUID = 1L;

        /** @param message what went past which limit */
        public QuotaExceededException(String message) {
            super(message);
        }
    }

    private final Map<String, Usage> usage = new ConcurrentHashMap<>();
    /** The usage shared by the nodes of a cluster, or null to count here only. */
    private volatile dev.termlet.fileops.UsageStore shared;

    /**
     * Keeps usage in a store shared by several servers: each check reads it there, each change is added there.
     *
     * @param store the store, or null to count in this server's memory
     */
    public void share(dev.termlet.fileops.UsageStore store) {
        this.shared = store;
    }

    /**
     * A user's usage, counted from the disk the first time it is asked for; with a shared store, read from it each
     * time (the first count in the cluster walks the disk).
     *
     * @param user the user
     * @param root the user's root on disk
     * @return the usage
     * @throws RuntimeException if the shared store cannot be reached
     */
    public Usage of(String user, Path root) {
        dev.termlet.fileops.UsageStore store = shared;
        if (store == null) {
            return usage.computeIfAbsent(user, u -> count(root));
        }
        Usage u = usage.computeIfAbsent(user, k -> new Usage());
        dev.termlet.fileops.UsageStore.Usage now = store.usage(user, () -> {
            Usage c = count(root);
            return new dev.termlet.fileops.UsageStore.Usage(c.bytes.get(), c.files.get());
        });
        u.bytes.set(now.bytes());
        u.files.set(now.files());
        return u;
    }

    /** {@link #of}, with a shared store that cannot be reached refusing the change. */
    private Usage checked(FileSession s) throws QuotaExceededException {
        try {
            return of(s.user(), s.root());
        } catch (RuntimeException e) {
            LOG.warn("cannot read the shared quota usage of {}; refusing: {}", s.user(), e.toString());
            throw new QuotaExceededException("quota usage cannot be read now; try again later");
        }
    }

    /** Adds a change to the shared store, if any; a store that cannot be reached is logged. */
    private void addShared(String user, long bytes, long files) {
        dev.termlet.fileops.UsageStore store = shared;
        if (store != null && (bytes != 0 || files != 0)) {
            try {
                store.add(user, bytes, files);
            } catch (RuntimeException e) {
                LOG.warn("cannot add to the shared quota usage of {}: {}", user, e.toString());
            }
        }
    }

    private static Usage count(Path root) {
        Usage u = new Usage();
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (attrs.isRegularFile() && !TEMP.matcher(file.getFileName().toString()).matches()) {
                        u.bytes.addAndGet(attrs.size());
                        u.files.incrementAndGet();
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            // an unreadable tree counts as what could be read
        }
        return u;
    }

    /**
     * Forgets a user's counted usage (for a removed account: a new account of the same name is counted afresh).
     *
     * @param user the user name
     */
    public void forget(String user) {
        usage.remove(user);
        dev.termlet.fileops.UsageStore store = shared;
        if (store != null) {
            try {
                store.forget(user);
            } catch (RuntimeException e) {
                LOG.warn("cannot forget the shared quota usage of {}: {}", user, e.toString());
            }
        }
    }

    /** Whether the account limits anything. */
    public static boolean limited(Account a) {
        return a != null && (a.quotaBytes() > 0 || a.quotaFiles() > 0);
    }

    /**
     * Refuses a new file when the file quota is used up.
     *
     * @throws QuotaExceededException if it is
     */
    public void checkNewFile(FileSession s) throws QuotaExceededException {
        Account a = s.account();
        if (a == null || a.quotaFiles() <= 0) {
            return;
        }
        Usage u = checked(s);
        if (u.files.get() >= a.quotaFiles()) {
            throw new QuotaExceededException("quota exceeded: " + u.files.get() + " of " + a.quotaFiles()
                    + " files used");
        }
        if (a.quotaBytes() > 0 && u.bytes.get() >= a.quotaBytes()) {
            throw new QuotaExceededException("quota exceeded: " + a.quotaBytes() + " bytes used");
        }
    }

    /**
     * Refuses a write of a known size that would take the user past the byte quota.
     *
     * @param s the session
     * @param growth how many bytes the user's usage would grow
     * @throws QuotaExceededException if it would
     */
    public void checkGrowth(FileSession s, long growth) throws QuotaExceededException {
        Account a = s.account();
        if (a == null || a.quotaBytes() <= 0 || growth <= 0) {
            return;
        }
        long used = checked(s).bytes.get();
        if (used + growth > a.quotaBytes()) {
            throw new QuotaExceededException("quota exceeded: " + (used + growth) + " of " + a.quotaBytes()
                    + " bytes");
        }
    }

    /**
     * Refuses a change of known size that would take the user past either quota: the user's bytes and files
     * would grow by these amounts (negative for what the change removes).
     *
     * @param s the session
     * @param bytes how many bytes the user's usage would grow
     * @param files how many files the user's usage would grow
     * @throws QuotaExceededException if it would
     */
    public void checkChange(FileSession s, long bytes, long files) throws QuotaExceededException {
        Account a = s.account();
        if (!limited(a) || (bytes <= 0 && files <= 0)) {
            return;
        }
        Usage u = checked(s);
        if (a.quotaBytes() > 0 && bytes > 0 && u.bytes.get() + bytes > a.quotaBytes()) {
            throw new QuotaExceededException("quota exceeded: " + (u.bytes.get() + bytes) + " of " + a.quotaBytes()
                    + " bytes");
        }
        if (a.quotaFiles() > 0 && files > 0 && u.files.get() + files > a.quotaFiles()) {
            throw new QuotaExceededException("quota exceeded: " + (u.files.get() + files) + " of " + a.quotaFiles()
                    + " files");
        }
    }

    /** Records a completed write: the file went from {@code oldSize} (-1 if new) to {@code newSize}. */
    public void written(FileSession s, long oldSize, long newSize) {
        addShared(s.user(), newSize - Math.max(0, oldSize), oldSize < 0 ? 1 : 0);
        Usage u = usage.get(s.user());
        if (u == null) {
            return;
        }
        u.bytes.addAndGet(newSize - Math.max(0, oldSize));
        if (oldSize < 0) {
            u.files.incrementAndGet();
        }
    }

    /** Records a removed file. */
    public void removed(FileSession s, long size) {
        if (size >= 0) {
            addShared(s.user(), -size, -1);
        }
        Usage u = usage.get(s.user());
        if (u != null && size >= 0) {
            u.bytes.addAndGet(-size);
            u.files.decrementAndGet();
        }
    }

    /**
     * Wraps an upload channel so that a write taking the user past the byte quota fails.
     *
     * @param channel the channel
     * @param s the session
     * @param oldSize the size of the file being replaced or modified, -1 if new
     * @param exceeded called once, with the exception, when the quota stops a write
     * @param error makes the exception thrown to the protocol from the message
     * @return the channel, wrapped if the account has a byte quota
     */
    SeekableByteChannel limit(SeekableByteChannel channel, FileSession s, long oldSize,
            java.util.function.Consumer<QuotaExceededException> exceeded,
            java.util.function.Function<String, IOException> error) {
        Account a = s.account();
        if (a == null || a.quotaBytes() <= 0) {
            return channel;
        }
        Usage u = of(s.user(), s.root());
        return new Limited(channel, a.quotaBytes(), u, Math.max(0, oldSize), exceeded, error);
    }

    /** Checks, before each write, that the file's new end stays inside the quota. */
    private static final class Limited extends ForwardingChannel {
        private final long quota;
        private final Usage usage;
        private final long oldSize;
        private final java.util.function.Consumer<QuotaExceededException> exceeded;
        private final java.util.function.Function<String, IOException> error;
        private boolean reported;
        private long reserved;

        Limited(SeekableByteChannel in, long quota, Usage usage, long oldSize,
                java.util.function.Consumer<QuotaExceededException> exceeded,
                java.util.function.Function<String, IOException> error) {
            super(in);
            this.quota = quota;
            this.usage = usage;
            this.oldSize = oldSize;
            this.exceeded = exceeded;
            this.error = error;
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            long end = Math.max(in.size(), in.position() + src.remaining());
            long claim = Math.max(0, end - oldSize);
            long delta = claim - reserved;
            if (delta > 0) {
                long others = usage.inflight.addAndGet(delta) - claim;
                long total = usage.bytes.get() + others + claim;
                if (total > quota) {
                    usage.inflight.addAndGet(-delta);
                    String msg = "quota exceeded: writing would use " + total + " of " + quota + " bytes";
                    QuotaExceededException e = new QuotaExceededException(msg);
                    if (!reported) {
                        reported = true;
                        exceeded.accept(e);
                    }
                    throw error.apply(msg);
                }
                reserved = claim;
            }
            return in.write(src);
        }

        @Override
        public void close() throws IOException {
            try {
                in.close();
            } finally {
                usage.inflight.addAndGet(-reserved);
                reserved = 0;
            }
        }
    }

    /**
     * Removes the temporary files of uploads that a crash or a kill left behind, below a directory of homes, and gives
     * the parts that an unfinished {@code COMB} had taken back under their names (beside them, under a fresh name,
     * if the name is in use again), with the records of those names.
     *
     * @param homes the directory holding the users' roots
     * @return how many were removed
     */
    public static int sweepTemporaries(Path homes) {
        int[] removed = {0};
        try {
            Files.walkFileTree(homes, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    String name = file.getFileName().toString();
                    if (attrs.isRegularFile() && TEMP.matcher(name).matches()) {
                        try {
                            if (name.endsWith(".taken")) {
                                giveBack(file);
                                return FileVisitResult.CONTINUE;
                            }
                            if (name.endsWith(".name")) {
                                // a record whose part is back or gone; one still beside its part is read with it
                                Path part = file.resolveSibling(name.substring(0, name.length() - 4) + "taken");
                                if (!Files.exists(part, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                                    Files.deleteIfExists(file);
                                }
                                return FileVisitResult.CONTINUE;
                            }
                            Files.delete(file);
                            removed[0]++;
                        } catch (IOException e) {
                            // left for the next start
                        }
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            // what could be walked was swept
        }
        return removed[0];
    }

    /** Gives one taken part back (see {@link #sweepTemporaries}), then removes its record. */
    private static void giveBack(Path taken) throws IOException {
        String name = takenFrom(taken);
        Path back = taken.resolveSibling(name);
        try {
            Files.move(taken, back);
        } catch (java.nio.file.FileAlreadyExistsException inUse) {
            back = taken.resolveSibling(asideName(name));
            Files.move(taken, back);
            org.slf4j.LoggerFactory.getLogger(Quotas.class).warn(
                    "a part of an unfinished COMB was given back as {}: its name was in use again", back);
        }
        Files.deleteIfExists(takenRecord(taken));
    }
}
