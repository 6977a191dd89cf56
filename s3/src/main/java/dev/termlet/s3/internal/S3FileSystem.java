package dev.termlet.s3.internal;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.sshd.common.file.util.BaseFileSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * One bucket (below a key prefix) as a file system: files are objects, directories are key prefixes, and an empty
 * directory is a zero-byte marker object {@code dir/} (as most S3 tools make them). Renames are a copy and a delete;
 * a non-empty directory cannot be deleted; links do not exist. Every request's failure becomes an {@link IOException}
 * that says what happened without the store's internals ({@link #io}).
 */
public final class S3FileSystem extends BaseFileSystem<S3Path> {
    private static final Logger LOG = LoggerFactory.getLogger(S3FileSystem.class);
    /** S3's longest key, in UTF-8 bytes. */
    static final int MAX_KEY_BYTES = 1024;
    /** The largest object one CopyObject copies. */
    static final long MAX_COPY = 5L * 1024 * 1024 * 1024;

    private final S3Client s3;
    private final String bucket;
    private final String prefix;
    private final int partSize;
    private final long maxBuffered;
    /** Bytes of upload buffers held now, by every upload in progress. */
    private final java.util.concurrent.atomic.AtomicLong buffered = new java.util.concurrent.atomic.AtomicLong();
    private volatile boolean open = true;

    /**
     * @param provider the provider
     * @param s3 the client (closed with the file system)
     * @param bucket the bucket
     * @param prefix the key prefix of the root: empty, or ending in {@code /}
     * @param partSize the size of a multipart upload's parts (at least 5 MiB)
     * @param maxBuffered the most bytes all uploads in progress may hold in memory together
     */
    public S3FileSystem(S3Provider provider, S3Client s3, String bucket, String prefix, int partSize,
            long maxBuffered) {
        super(provider);
        this.s3 = s3;
        this.bucket = bucket;
        this.prefix = prefix;
        this.partSize = partSize;
        this.maxBuffered = maxBuffered;
    }

    /**
     * Takes room for upload buffers from the budget shared by every upload in progress.
     *
     * @param bytes how many more bytes one upload wants to hold
     * @return false if the budget has no such room (the upload must fail: the server holds too much already)
     */
    boolean reserve(long bytes) {
        while (true) {
            long now = buffered.get();
            if (now + bytes > maxBuffered) {
                return false;
            }
            if (buffered.compareAndSet(now, now + bytes)) {
                return true;
            }
        }
    }

    /**
     * Gives room back to the budget.
     *
     * @param bytes what an upload held
     */
    void release(long bytes) {
        buffered.addAndGet(-bytes);
    }

    /** @return the bytes all uploads in progress hold now */
    public long buffered() {
        return buffered.get();
    }

    @Override
    protected S3Path create(String root, List<String> names) {
        return new S3Path(this, root, names);
    }

    /** @return the root directory */
    public S3Path root() {
        return getPath("/");
    }

    S3Client s3() {
        return s3;
    }

    String bucket() {
        return bucket;
    }

    String prefix() {
        return prefix;
    }

    int partSize() {
        return partSize;
    }

    @Override
    public void close() {
        if (open) {
            open = false;
            s3.close();
        }
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public Set<String> supportedFileAttributeViews() {
        return Set.of("basic", "posix", "owner");
    }

    @Override
    public UserPrincipalLookupService getUserPrincipalLookupService() {
        throw new UnsupportedOperationException("object storage has no owners");
    }

    // ---- errors ----

    /**
     * What a failed request means for the file operation: a missing object, a refusal, a conflict, or the store
     * failing or out of reach; never the store's internals or credentials.
     *
     * @param e the failure
     * @param p the path it was about
     * @return the exception to throw
     */
    static IOException io(SdkException e, S3Path p) {
        String what = p.toString();
        if (e instanceof S3Exception) {
            int status = ((S3Exception) e).statusCode();
            String code = ((S3Exception) e).awsErrorDetails() == null ? null
                    : ((S3Exception) e).awsErrorDetails().errorCode();
            switch (status) {
                case 404:
                    return new NoSuchFileException(what);
                case 403:
                    LOG.warn("the object store refused access to {} ({})", what, code);
                    return new AccessDeniedException(what, null, "the object store refused access");
                case 412:
                    return new FileAlreadyExistsException(what);
                default:
                    LOG.warn("the object store failed on {}: HTTP {} {}", what, status, code);
                    return new FileSystemException(what, null, "the object store failed (HTTP " + status + ")");
            }
        }
        if (e instanceof SdkClientException) {
            LOG.warn("the object store cannot be reached for {}: {}", what, e.getMessage());
            return new FileSystemException(what, null, "the object store cannot be reached");
        }
        LOG.warn("the object store failed on {}: {}", what, e.toString());
        return new FileSystemException(what, null, "the object store failed");
    }

    /** Refuses a key longer than S3 takes. */
    static void checkKey(S3Path p, String key) throws AccessDeniedException {
        if (key.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_KEY_BYTES - 1) {
            throw new AccessDeniedException(p.toString(), null, "path too long for object storage");
        }
    }

    // ---- reading ----

    /** The object of a file, or null. */
    HeadObjectResponse head(S3Path p, String key) throws IOException {
        try {
            return s3.headObject(b -> b.bucket(bucket).key(key));
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return null;
            }
            throw io(e, p);
        } catch (SdkException e) {
            throw io(e, p);
        }
    }

    /** One page of a listing. */
    ListObjectsV2Response list(S3Path p, String keyPrefix, String delimiter, int max, String token) throws IOException {
        try {
            ListObjectsV2Request.Builder b = ListObjectsV2Request.builder().bucket(bucket).prefix(keyPrefix);
            if (delimiter != null) {
                b.delimiter(delimiter);
            }
            if (max > 0) {
                b.maxKeys(max);
            }
            if (token != null) {
                b.continuationToken(token);
            }
            return s3.listObjectsV2(b.build());
        } catch (SdkException e) {
            throw io(e, p);
        }
    }

    /**
     * What a path is now: a file (its object), a directory (its marker or anything below its prefix), or null.
     *
     * @param p the path
     * @return its attributes, or null when nothing is there
     * @throws IOException when the store fails
     */
    S3Attributes stat(S3Path p) throws IOException {
        if (p.isRootPath()) {
            return S3Attributes.directory(null, prefix);
        }
        S3Attributes listed = p.listed();
        if (listed != null) {
            return listed;
        }
        String key = p.key();
        checkKey(p, key + "/");
        HeadObjectResponse h = head(p, key);
        if (h != null) {
            return new S3Attributes(false, h.contentLength() == null ? 0 : h.contentLength(), h.lastModified(), key);
        }
        ListObjectsV2Response r = list(p, key + "/", null, 1, null);
        if (r.hasContents() && !r.contents().isEmpty()) {
            S3Object o = r.contents().get(0);
            return S3Attributes.directory(o.key().equals(key + "/") ? o.lastModified() : null, key + "/");
        }
        return null;
    }

    /** Requires a directory at {@code dir}: NoSuchFile when nothing is there, NotDirectory for a file. */
    void requireDirectory(S3Path dir, S3Path about) throws IOException {
        if (dir == null || dir.isRootPath()) {
            return;
        }
        S3Attributes a = stat(dir);
        if (a == null) {
            throw new NoSuchFileException(about.toString(), null, "no directory " + dir);
        }
        if (!a.isDirectory()) {
            throw new NotDirectoryException(dir.toString());
        }
    }

    /**
     * The entries of a directory, with the attributes the listing gave.
     *
     * @param dir the directory
     * @return the entries by name (a directory wins over a file of the same name)
     * @throws IOException when it is not a directory or the store fails
     */
    List<S3Path> entries(S3Path dir) throws IOException {
        S3Attributes a = stat(dir);
        if (a == null) {
            throw new NoSuchFileException(dir.toString());
        }
        if (!a.isDirectory()) {
            throw new NotDirectoryException(dir.toString());
        }
        String base = dir.dirKey();
        Map<String, S3Attributes> byName = new LinkedHashMap<>();
        String token = null;
        do {
            ListObjectsV2Response r = list(dir, base, "/", 1000, token);
            for (S3Object o : r.contents()) {
                String name = o.key().substring(base.length());
                if (!name.isEmpty() && !byName.containsKey(name)) {
                    byName.put(name, new S3Attributes(false, o.size() == null ? 0 : o.size(), o.lastModified(),
                            o.key()));
                }
            }
            for (CommonPrefix cp : r.commonPrefixes()) {
                String name = cp.prefix().substring(base.length(), cp.prefix().length() - 1);
                if (!name.isEmpty()) {
                    byName.put(name, S3Attributes.directory(null, cp.prefix()));
                }
            }
            token = Boolean.TRUE.equals(r.isTruncated()) ? r.nextContinuationToken() : null;
        } while (token != null);
        List<S3Path> out = new ArrayList<>();
        byName.forEach((name, at) -> {
            if (!name.equals(".") && !name.equals("..")) {
                out.add(dir.resolve(name).withListed(at));
            }
        });
        return out;
    }

    /** Every key below a prefix. */
    List<S3Object> everything(S3Path p, String keyPrefix) throws IOException {
        List<S3Object> out = new ArrayList<>();
        String token = null;
        do {
            ListObjectsV2Response r = list(p, keyPrefix, null, 1000, token);
            out.addAll(r.contents());
            token = Boolean.TRUE.equals(r.isTruncated()) ? r.nextContinuationToken() : null;
        } while (token != null);
        return out;
    }

    // ---- changing ----

    /** Puts a zero-byte object (a directory's marker). */
    void putEmpty(S3Path p, String key) throws IOException {
        try {
            s3.putObject(b -> b.bucket(bucket).key(key).contentLength(0L), RequestBody.empty());
        } catch (SdkException e) {
            throw io(e, p);
        }
    }

    void deleteKey(S3Path p, String key) throws IOException {
        try {
            s3.deleteObject(b -> b.bucket(bucket).key(key));
        } catch (SdkException e) {
            throw io(e, p);
        }
    }

    /** Deletes keys in batches of 1000. */
    void deleteKeys(S3Path p, List<String> keys) throws IOException {
        for (int i = 0; i < keys.size(); i += 1000) {
            List<ObjectIdentifier> ids = new ArrayList<>();
            for (String k : keys.subList(i, Math.min(keys.size(), i + 1000))) {
                ids.add(ObjectIdentifier.builder().key(k).build());
            }
            try {
                var r = s3.deleteObjects(b -> b.bucket(bucket).delete(d -> d.objects(ids).quiet(true)));
                if (r.hasErrors() && !r.errors().isEmpty()) {
                    throw new FileSystemException(p.toString(), null, "the object store kept "
                            + r.errors().size() + " object(s)");
                }
            } catch (SdkException e) {
                throw io(e, p);
            }
        }
    }

    void copyKey(S3Path p, String from, String to, long size) throws IOException {
        if (size > MAX_COPY) {
            throw new FileSystemException(p.toString(), null, "files over 5 GiB cannot be copied or renamed in object"
                    + " storage");
        }
        try {
            s3.copyObject(b -> b.sourceBucket(bucket).sourceKey(from).destinationBucket(bucket).destinationKey(to));
        } catch (SdkException e) {
            throw io(e, p);
        }
    }

    /**
     * A directory stays when its last entry goes: its marker is put back if it has none (the parent of a file
     * deleted or moved away).
     */
    void keepDirectory(S3Path dir) {
        if (dir == null || dir.isRootPath()) {
            return;
        }
        try {
            String marker = dir.dirKey();
            if (head(dir, marker) == null) {
                putEmpty(dir, marker);
            }
        } catch (IOException e) {
            LOG.debug("could not keep the directory {}: {}", dir, e.toString());
        }
    }

    /**
     * Deletes a file, or an empty directory's marker.
     *
     * @param p the path
     * @throws IOException when it is missing, a non-empty directory, or the store fails
     */
    void delete(S3Path p) throws IOException {
        if (p.isRootPath()) {
            throw new AccessDeniedException("/", null, "the root itself");
        }
        String key = p.key();
        checkKey(p, key + "/");
        if (head(p, key) != null) {
            deleteKey(p, key);
            keepDirectory(p.getParent());
            return;
        }
        String dirKey = key + "/";
        ListObjectsV2Response r = list(p, dirKey, null, 2, null);
        boolean marker = false;
        for (S3Object o : r.contents()) {
            if (o.key().equals(dirKey)) {
                marker = true;
            } else {
                throw new DirectoryNotEmptyException(p.toString());
            }
        }
        if (!marker) {
            throw new NoSuchFileException(p.toString());
        }
        deleteKey(p, dirKey);
        keepDirectory(p.getParent());
    }

    /**
     * Makes an empty directory (its marker).
     *
     * @param dir the directory
     * @throws IOException when something is there, its parent is not a directory, or the store fails
     */
    void mkdir(S3Path dir) throws IOException {
        if (dir.isRootPath()) {
            throw new FileAlreadyExistsException("/");
        }
        checkKey(dir, dir.dirKey());
        if (stat(dir) != null) {
            throw new FileAlreadyExistsException(dir.toString());
        }
        requireDirectory(dir.getParent(), dir);
        putEmpty(dir, dir.dirKey());
    }

    /**
     * Copies a file (the store copies it on its side) or makes a directory for a directory.
     *
     * @param from the source
     * @param to the copy
     * @param replace whether an existing file may be replaced
     * @throws IOException when it cannot be done
     */
    void copy(S3Path from, S3Path to, boolean replace) throws IOException {
        S3Attributes a = stat(from);
        if (a == null) {
            throw new NoSuchFileException(from.toString());
        }
        if (a.isDirectory()) {
            mkdir(to);
            return;
        }
        checkTarget(to, replace);
        copyKey(from, from.key(), to.key(), a.size());
    }

    /** A new file's place: its parent a directory, nothing there (or a file that may be replaced). */
    private S3Attributes checkTarget(S3Path to, boolean replace) throws IOException {
        if (to.isRootPath()) {
            throw new FileAlreadyExistsException("/");
        }
        checkKey(to, to.key() + "/");
        S3Attributes there = stat(to);
        if (there != null && (!replace || there.isDirectory())) {
            throw new FileAlreadyExistsException(to.toString());
        }
        requireDirectory(to.getParent(), to);
        return there;
    }

    /**
     * Renames a file (copy, then delete) or a directory (every object below it, then the old ones deleted; not in
     * one step: a failure part-way leaves both names, with all the data under the old one).
     *
     * @param from the source
     * @param to the new name
     * @param replace whether an existing file, or empty directory for a directory, may be replaced
     * @throws IOException when it cannot be done
     */
    void move(S3Path from, S3Path to, boolean replace) throws IOException {
        if (from.isRootPath() || to.isRootPath()) {
            throw new AccessDeniedException("/", null, "the root itself");
        }
        S3Attributes a = stat(from);
        if (a == null) {
            throw new NoSuchFileException(from.toString());
        }
        if (from.equals(to)) {
            return;
        }
        if (!a.isDirectory()) {
            checkTarget(to, replace);
            copyKey(from, from.key(), to.key(), a.size());
            deleteKey(from, from.key());
            keepDirectory(from.getParent());
            return;
        }
        if (to.startsWith(from)) {
            throw new FileSystemException(from.toString(), to.toString(), "a directory cannot move into itself");
        }
        checkKey(to, to.dirKey());
        S3Attributes there = stat(to);
        if (there != null) {
            if (!replace || !there.isDirectory()) {
                throw new FileAlreadyExistsException(to.toString());
            }
            delete(to); // refused unless empty, as rename(2) does
        }
        requireDirectory(to.getParent(), to);
        String src = from.dirKey();
        String dst = to.dirKey();
        List<S3Object> all = everything(from, src);
        for (S3Object o : all) {
            checkKey(to, dst + o.key().substring(src.length()));
        }
        List<String> done = new ArrayList<>();
        for (S3Object o : all) {
            copyKey(from, o.key(), dst + o.key().substring(src.length()), o.size() == null ? 0 : o.size());
            done.add(o.key());
        }
        if (all.isEmpty()) {
            putEmpty(to, dst);
        }
        deleteKeys(from, done);
        keepDirectory(from.getParent());
    }
}
