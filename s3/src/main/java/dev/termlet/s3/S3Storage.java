package dev.termlet.s3;

import dev.termlet.fileops.Storage;
import dev.termlet.s3.internal.S3FileSystem;
import dev.termlet.s3.internal.S3Provider;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * The users' files in an S3-compatible bucket (AWS S3, MinIO, Ceph RGW, Garage, s3proxy...): each user's root is
 * {@code PREFIX/NAME/} in one bucket. Give it to {@code FileOps.storage(...)}:
 *
 * <pre>{@code
 * FileOps.create().storage(S3Storage.bucket("files").endpoint(URI.create("http://127.0.0.1:9000"))
 *         .region("us-east-1").credentials("AKIA...", secret).prefix("homes/").pathStyle(true));
 * }</pre>
 *
 * <p>Every protocol (SFTP, SCP, FTP, HTTPS/WebDAV) works on it with the same events, permissions and quotas. An
 * upload is a multipart upload (one PUT when small) completed only when the client finishes; one that fails, is
 * abandoned or loses its client is aborted and leaves no object. Directories are key prefixes, an empty one a
 * zero-byte {@code dir/} marker; a rename is a copy and a delete. Links, appends, writes into an existing file and
 * changes of mode, owner or times are refused. Without {@link #credentials} the SDK's default chain (environment,
 * profile, instance role) applies. The bucket must exist; a store that cannot be reached makes
 * {@link #homes()} (and so the server's start) fail.
 */
public final class S3Storage implements Storage {
    /** The smallest part S3 takes (but the last). */
    private static final int MIN_PART = 5 * 1024 * 1024;

    private final String bucket;
    private URI endpoint;
    private String region = "us-east-1";
    private String accessKey;
    private char[] secretKey;
    private String prefix = "";
    private boolean pathStyle;
    private int partSize = 8 * 1024 * 1024;
    private long maxBuffered = 512L * 1024 * 1024;
    private Duration timeout = Duration.ofSeconds(60);
    private S3FileSystem fs;

    private S3Storage(String bucket) {
        this.bucket = bucket;
    }

    /**
     * Storage in a bucket.
     *
     * @param bucket the bucket's name
     * @return the storage, to configure further
     */
    public static S3Storage bucket(String bucket) {
        if (bucket == null || bucket.isBlank()) {
            throw new IllegalArgumentException("a bucket name is needed");
        }
        return new S3Storage(bucket);
    }

    /**
     * Talks to another S3-compatible server than AWS.
     *
     * @param endpoint its URL, for example {@code http://127.0.0.1:9000}
     * @return this
     */
    public S3Storage endpoint(URI endpoint) {
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        return this;
    }

    /**
     * Sets the region (signing needs one even off AWS).
     *
     * @param region for example {@code eu-west-1}; {@code us-east-1} by default
     * @return this
     */
    public S3Storage region(String region) {
        this.region = Objects.requireNonNull(region, "region");
        return this;
    }

    /**
     * Uses a fixed access key instead of the SDK's default credential chain.
     *
     * @param accessKey the access key id
     * @param secretKey the secret access key (copied; never logged)
     * @return this
     */
    public S3Storage credentials(String accessKey, char[] secretKey) {
        this.accessKey = Objects.requireNonNull(accessKey, "accessKey");
        this.secretKey = Objects.requireNonNull(secretKey, "secretKey").clone();
        return this;
    }

    /**
     * Puts the users' roots below a key prefix: {@code homes/} gives {@code homes/alice/...}.
     *
     * @param prefix the prefix; a missing final {@code /} is added; empty for the bucket's top (the default)
     * @return this
     */
    public S3Storage prefix(String prefix) {
        String p = Objects.requireNonNull(prefix, "prefix").replaceAll("^/+", "");
        for (String part : p.split("/")) {
            if (part.equals(".") || part.equals("..")) {
                throw new IllegalArgumentException("a prefix has no . or .. parts: " + prefix);
            }
        }
        this.prefix = p.isEmpty() || p.endsWith("/") ? p : p + "/";
        return this;
    }

    /**
     * Addresses the bucket in the path ({@code http://host/bucket/key}) instead of the host name, as most
     * self-hosted servers want.
     *
     * @param on true for path-style addressing
     * @return this
     */
    public S3Storage pathStyle(boolean on) {
        this.pathStyle = on;
        return this;
    }

    /**
     * Sets the size of an upload's parts: a file up to this size is one PUT, a larger one a multipart upload of
     * parts this size. Each upload in progress holds one part in memory.
     *
     * @param bytes at least 5 MiB; 8 MiB by default
     * @return this
     */
    public S3Storage partSize(int bytes) {
        if (bytes < MIN_PART) {
            throw new IllegalArgumentException("parts are at least 5 MiB: " + bytes);
        }
        this.partSize = bytes;
        return this;
    }

    /**
     * Sets the most memory all uploads in progress may hold together (each holds up to one part): an upload that
     * would pass it fails with "too many uploads in progress", so that clients holding many uploads open cannot
     * take the server's memory.
     *
     * @param bytes at least one part; 512 MiB by default
     * @return this
     */
    public S3Storage maxBufferedBytes(long bytes) {
        if (bytes < MIN_PART) {
            throw new IllegalArgumentException("the upload memory must hold at least one 5 MiB part: " + bytes);
        }
        this.maxBuffered = bytes;
        return this;
    }

    /**
     * Sets how long one request to the store may take, retries included, before the operation fails.
     *
     * @param timeout the time; 60 s by default
     * @return this
     */
    public S3Storage timeout(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the timeout must be positive");
        }
        this.timeout = timeout;
        return this;
    }

    /**
     * The directory of the users' roots: the client is made on the first call and the bucket checked.
     *
     * @return the directory, in the bucket's file system
     * @throws IOException when the bucket cannot be reached or read
     */
    @Override
    public synchronized Path homes() throws IOException {
        if (fs == null) {
            S3Client s3 = client();
            try {
                s3.headBucket(b -> b.bucket(bucket));
            } catch (SdkException e) {
                s3.close();
                throw new IOException("the bucket " + bucket + " cannot be used: " + describe(e), e);
            }
            fs = new S3FileSystem(new S3Provider(), s3, bucket, prefix, partSize, maxBuffered);
        }
        return fs.root();
    }

    private static String describe(SdkException e) {
        if (e instanceof software.amazon.awssdk.services.s3.model.S3Exception) {
            return "HTTP " + ((software.amazon.awssdk.services.s3.model.S3Exception) e).statusCode();
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    private S3Client client() {
        AwsCredentialsProvider creds = accessKey != null
                ? StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, new String(secretKey)))
                : DefaultCredentialsProvider.builder().build();
        S3ClientBuilder b = S3Client.builder()
                .region(Region.of(region))
                .credentialsProvider(creds)
                .forcePathStyle(pathStyle)
                // S3-compatible servers do not all take the SDK's newer default checksums
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClient(UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(10))
                        .socketTimeout(timeout).build())
                .overrideConfiguration(o -> o.apiCallTimeout(timeout.multipliedBy(2)).apiCallAttemptTimeout(timeout));
        if (endpoint != null) {
            b.endpointOverride(endpoint);
        }
        return b.build();
    }

    /** Closes the client. */
    @Override
    public synchronized void close() {
        if (fs != null) {
            fs.close();
            fs = null;
        }
    }

    /** @return the bucket, endpoint and prefix (never the credentials) */
    @Override
    public String toString() {
        return "S3Storage[bucket=" + bucket + ", endpoint=" + (endpoint == null ? "AWS" : endpoint) + ", prefix="
                + prefix + "]";
    }
}
