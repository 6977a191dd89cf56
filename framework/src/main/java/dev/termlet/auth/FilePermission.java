package dev.termlet.auth;

import java.util.Locale;

/**
 * What a user may do with files below a directory, in SFTPGo's vocabulary (its names are the wire names:
 * {@code list}, {@code download}, {@code upload}, {@code overwrite}, {@code delete}, {@code rename},
 * {@code create_dirs}, {@code create_symlinks}, {@code chmod}, {@code chown}, {@code chtimes}, {@code *}).
 */
public enum FilePermission {
    /** Everything. */
    ALL("*"),
    /** List directory contents. */
    LIST("list"),
    /** Download files. */
    DOWNLOAD("download"),
    /** Upload new files. */
    UPLOAD("upload"),
    /** Overwrite existing files (needs {@link #UPLOAD} too). */
    OVERWRITE("overwrite"),
    /** Delete files and directories. */
    DELETE("delete"),
    /** Delete files only. */
    DELETE_FILES("delete_files"),
    /** Delete directories only. */
    DELETE_DIRS("delete_dirs"),
    /** Rename files and directories. */
    RENAME("rename"),
    /** Rename files only. */
    RENAME_FILES("rename_files"),
    /** Rename directories only. */
    RENAME_DIRS("rename_dirs"),
    /** Create directories. */
    CREATE_DIRS("create_dirs"),
    /** Create symbolic links. */
    CREATE_SYMLINKS("create_symlinks"),
    /** Change permission bits. */
    CHMOD("chmod"),
    /** Change owner and group. */
    CHOWN("chown"),
    /** Change access and modification times. */
    CHTIMES("chtimes");

    private final String wireName;

    FilePermission(String wireName) {
        this.wireName = wireName;
    }

    /** @return the SFTPGo name, as written in {@code users.json} */
    public String wireName() {
        return wireName;
    }

    /**
     * Whether holding this permission grants another: {@code *} grants all, {@code delete} grants
     * {@code delete_files} and {@code delete_dirs}, {@code rename} the two rename kinds.
     *
     * @param wanted the permission asked for
     * @return true if granted
     */
    public boolean grants(FilePermission wanted) {
        return this == wanted || this == ALL
                || (this == DELETE && (wanted == DELETE_FILES || wanted == DELETE_DIRS))
                || (this == RENAME && (wanted == RENAME_FILES || wanted == RENAME_DIRS));
    }

    /**
     * Parses an SFTPGo permission name.
     *
     * @param name the name, such as {@code create_dirs} or {@code *}
     * @return the permission
     * @throws IllegalArgumentException for an unknown name, listing the valid ones
     */
    public static FilePermission parse(String name) {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT).replace('-', '_');
        for (FilePermission p : values()) {
            if (p.wireName.equals(n)) {
                return p;
            }
        }
        StringBuilder valid = new StringBuilder();
        for (FilePermission p : values()) {
            valid.append(valid.length() == 0 ? "" : ", ").append(p.wireName);
        }
        throw new IllegalArgumentException("unknown file permission '" + name + "'; valid: " + valid);
    }
}
