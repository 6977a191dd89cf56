package dev.termlet.web.internal.share;

import dev.termlet.web.ShareMode;
import java.time.Instant;

/**
 * One share link as stored.
 *
 * @param id the short id the owner manages it by
 * @param token the secret of its link ({@code /s/TOKEN}: 256 random bits)
 * @param owner the user who made it
 * @param path the shared file or folder, a virtual path in the owner's root
 * @param directory whether a folder is shared
 * @param mode what visitors may do
 * @param created when it was made
 * @param expires when it ends, or null for never
 * @param passwordHash the Argon2id hash of its password, or null for none
 * @param maxUses the most uses, 0 for no limit
 * @param uses the uses so far
 */
public record Share(String id, String token, String owner, String path, boolean directory, ShareMode mode,
        Instant created, Instant expires, String passwordHash, int maxUses, int uses) {

    /** @return whether visitors need a password */
    public boolean passwordProtected() {
        return passwordHash != null;
    }

    /**
     * @param now the time now
     * @return whether it has expired
     */
    public boolean expired(Instant now) {
        return expires != null && !now.isBefore(expires);
    }

    /** @return whether all its uses are spent */
    public boolean usedUp() {
        return maxUses > 0 && uses >= maxUses;
    }

    /** @return the same share with one use more or less */
    Share withUses(int n) {
        return new Share(id, token, owner, path, directory, mode, created, expires, passwordHash, maxUses, n);
    }

    @Override
    public String toString() {
        // never the token nor the hash: this may end up in a log
        return "Share[" + id + " of " + owner + ": " + path + ", " + mode + "]";
    }
}
