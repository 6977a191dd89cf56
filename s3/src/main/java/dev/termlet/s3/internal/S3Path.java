package dev.termlet.s3.internal;

import java.io.IOException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import org.apache.sshd.common.file.util.BasePath;

/**
 * A path of an {@link S3FileSystem}: {@code /alice/docs/a.txt} names the object {@code PREFIX}{@code alice/docs/a.txt}
 * (a directory, the prefix {@code PREFIX}{@code alice/docs/} and its marker object). A path listed from a directory
 * carries the attributes the listing gave, for a moment, so a walk or a long listing needs no request per entry.
 */
public final class S3Path extends BasePath<S3Path, S3FileSystem> {
    /** How long attributes from a listing are used instead of asking the store again. */
    private static final long FRESH_NANOS = 2_000_000_000L;

    private volatile S3Attributes listed;
    private volatile long listedAt;

    S3Path(S3FileSystem fs, String root, List<String> names) {
        super(fs, root, names);
    }

    /** Remembers the attributes a listing gave. */
    S3Path withListed(S3Attributes a) {
        this.listed = a;
        this.listedAt = System.nanoTime();
        return this;
    }

    /** @return the attributes a listing gave a moment ago, or null */
    S3Attributes listed() {
        S3Attributes a = listed;
        return a != null && System.nanoTime() - listedAt < FRESH_NANOS ? a : null;
    }

    /** @return the object key of the file this path names (no trailing slash); the prefix itself for the root */
    String key() {
        S3Path abs = toAbsolutePath().normalize();
        StringBuilder sb = new StringBuilder(getFileSystem().prefix());
        for (int i = 0; i < abs.getNameCount(); i++) {
            if (i > 0) {
                sb.append('/');
            }
            sb.append(abs.getName(i).toString());
        }
        return sb.toString();
    }

    /** @return the key prefix of the directory this path names, ending in {@code /} (the prefix for the root) */
    String dirKey() {
        return isRootPath() ? getFileSystem().prefix() : key() + "/";
    }

    /** @return whether this is the root of the file system */
    boolean isRootPath() {
        return toAbsolutePath().normalize().getNameCount() == 0;
    }

    @Override
    public S3Path toRealPath(LinkOption... options) throws IOException {
        return toAbsolutePath().normalize();
    }

    @Override
    public java.io.File toFile() {
        throw new UnsupportedOperationException("an object-storage path is not a local file");
    }

    @Override
    public java.net.URI toUri() {
        return java.net.URI.create(S3Provider.SCHEME + "://" + getFileSystem().bucket() + "/"
                + java.net.URLEncoder.encode(key(), java.nio.charset.StandardCharsets.UTF_8).replace("%2F", "/"));
    }

    /** Equal paths are equal whichever listing made them; the attributes they carry are not part of them. */
    @Override
    public boolean equals(Object o) {
        return super.equals(o);
    }

    @Override
    public int hashCode() {
        return super.hashCode();
    }

    /** @return a path of the same file system (the root's type check of BasePath) */
    static S3Path of(Path p) {
        if (!(p instanceof S3Path)) {
            throw new java.nio.file.ProviderMismatchException(String.valueOf(p));
        }
        return (S3Path) p;
    }
}
