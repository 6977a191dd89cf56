package dev.termlet.fileops.internal.sftp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.UserPrincipal;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code unix:*} attributes SFTP reports for a file, with the owner's and group's names remembered by uid and
 * gid for a minute. The JDK looks both names up for every file it describes ({@code getpwuid} and {@code getgrgid},
 * which read {@code /etc/passwd} and {@code /etc/group} each time when no name-service cache runs): a dozen system
 * calls per {@code stat}, and per entry of a directory listing. The names are taken from a full read of the same
 * file the first time a uid or gid is seen, so a name is always the one the system gave for that number; a name
 * changed in {@code /etc/passwd} shows within a minute.
 */
final class OwnerNames {
    /** Every attribute of the JDK's {@code unix} view except the two names. */
    private static final String WITHOUT_NAMES = "unix:size,creationTime,lastAccessTime,lastModifiedTime,fileKey,"
            + "isDirectory,isRegularFile,isSymbolicLink,isOther,permissions,mode,ino,dev,rdev,nlink,uid,gid,ctime";
    private static final long TTL_NANOS = 60_000_000_000L;
    /** Beyond this many numbers the table is dropped and filled again (a file server sees a handful). */
    private static final int MAX = 4096;

    private static final Map<Integer, Named<UserPrincipal>> OWNERS = new ConcurrentHashMap<>();
    private static final Map<Integer, Named<GroupPrincipal>> GROUPS = new ConcurrentHashMap<>();

    private OwnerNames() {}

    /** A name and when it was looked up. */
    private static final class Named<T> {
        final T principal;
        final long at;

        Named(T principal, long at) {
            this.principal = principal;
            this.at = at;
        }
    }

    /**
     * Reads what {@code Files.readAttributes(file, "unix:*", options)} reads, with the names from the table.
     *
     * @param file the file (of the default file system, or the jail's over it)
     * @param options link options
     * @return the attributes, the same keys and values as the JDK's {@code unix:*}
     * @throws IOException as {@link Files#readAttributes(Path, String, LinkOption...)}
     */
    static Map<String, Object> unix(Path file, LinkOption... options) throws IOException {
        Map<String, Object> attrs = new HashMap<>(Files.readAttributes(file, WITHOUT_NAMES, options));
        long now = System.nanoTime();
        Object uid = attrs.get("uid");
        Object gid = attrs.get("gid");
        Named<UserPrincipal> owner = uid instanceof Integer ? fresh(OWNERS.get(uid), now) : null;
        Named<GroupPrincipal> group = gid instanceof Integer ? fresh(GROUPS.get(gid), now) : null;
        if (owner == null || group == null) {
            // a number not seen lately: one full read, whose names and numbers belong together
            Map<String, Object> full = Files.readAttributes(file, "unix:*", options);
            remember(full, now);
            return full;
        }
        attrs.put("owner", owner.principal);
        attrs.put("group", group.principal);
        return attrs;
    }

    private static <T> Named<T> fresh(Named<T> n, long now) {
        return n != null && now - n.at < TTL_NANOS ? n : null;
    }

    private static void remember(Map<String, Object> full, long now) {
        if (OWNERS.size() > MAX || GROUPS.size() > MAX) {
            OWNERS.clear();
            GROUPS.clear();
        }
        if (full.get("uid") instanceof Integer && full.get("owner") instanceof UserPrincipal) {
            OWNERS.put((Integer) full.get("uid"), new Named<>((UserPrincipal) full.get("owner"), now));
        }
        if (full.get("gid") instanceof Integer && full.get("group") instanceof GroupPrincipal) {
            GROUPS.put((Integer) full.get("gid"), new Named<>((GroupPrincipal) full.get("group"), now));
        }
    }
}
