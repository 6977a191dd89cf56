package dev.termlet.config.internal;

import dev.termlet.config.FileOpsConfig;
import java.util.Arrays;

/** The {@code fileops.storage} section of type {@code s3}: the only class that names termlet-s3 (optional). */
final class S3Apply {
    private S3Apply() {}

    /** Whether termlet-s3 is on the class path. */
    static boolean present() {
        try {
            Class.forName("dev.termlet.s3.S3Storage", false, S3Apply.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /**
     * @param s the section
     * @return the storage
     * @throws IllegalStateException when termlet-s3 is not on the class path
     */
    static dev.termlet.fileops.Storage storage(FileOpsConfig.Storage s) {
        if (!present()) {
            throw new IllegalStateException("fileops.storage.type s3 needs termlet-s3 (dev.termlet:termlet-s3) on the"
                    + " class path");
        }
        dev.termlet.s3.S3Storage st = dev.termlet.s3.S3Storage.bucket(s.bucket().strip()).region(s.region().strip())
                .prefix(s.prefix()).pathStyle(s.pathStyle());
        if (s.endpoint() != null && !s.endpoint().isBlank()) {
            st.endpoint(java.net.URI.create(s.endpoint().strip()));
        }
        if (s.accessKey() != null) {
            char[] id = s.accessKey().reveal();
            char[] secret = s.secretKey().reveal();
            st.credentials(new String(id), secret);
            Arrays.fill(id, '\0');
            Arrays.fill(secret, '\0');
        }
        return st;
    }
}
