package dev.termlet.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * File operations (termlet-fileops): SFTP and SCP on the SSH port, FTP with explicit TLS on its own.
 *
 * @param enabled whether the server serves files
 * @param sftp whether SFTP is served
 * @param scp whether SCP is served
 * @param homes the directory of the users' homes
 * @param maxOpenHandles SFTP handles one connection may hold
 * @param syncUploads whether each upload is forced to disk before it is put in place and its events fire
 * @param umask the mask for files users create, where the account sets none
 * @param defaultPermissions file permissions of accounts that set none
 * @param defaultQuota the quota of accounts that set none
 * @param ftp FTP(S)
 * @param storage where the users' files are kept
 */
public record FileOpsConfig(
        @ConfigKey(value = "serve files: SFTP and SCP on the SSH port, and FTP if fileops.ftp.enabled", dflt = "false")
        boolean enabled,
        @ConfigKey(value = "serve SFTP", dflt = "true")
        boolean sftp,
        @ConfigKey(value = "serve SCP (scp -O)", dflt = "true")
        boolean scp,
        @ConfigKey("the directory holding one home per user; unset: DATA/home")
        Path homes,
        @ConfigKey(value = "SFTP handles (open files and directories) one SSH connection may hold", dflt = "512", min = 1, max = Integer.MAX_VALUE)
        int maxOpenHandles,
        @ConfigKey(value = "force each upload to disk (fsync) before it is put in place and its events fire; false leaves it to the kernel's write-back (faster small uploads, but a crash soon after can lose a file already announced)", dflt = "true")
        boolean syncUploads,
        @ConfigKey(value = "bits cleared from the modes of files and directories users create, where the account sets no umask (octal)", dflt = "022", min = 0, max = 0777, unit = ConfigKey.Unit.OCTAL)
        int umask,
        @ConfigKey(value = "file permissions by directory for accounts that set none, SFTPGo's names (list, download, upload, ...); must set /; empty: every permission", dflt = "{}")
        Map<String, List<String>> defaultPermissions,
        @ConfigKey("the quota of accounts whose own is 0 (no limit)")
        Quota defaultQuota,
        @ConfigKey("FTP with explicit TLS (FTPS)")
        Ftp ftp,
        @ConfigKey("where the users' files are kept: the local disk, or an S3-compatible bucket (needs termlet-s3)")
        Storage storage) {

    /**
     * Where the users' files are kept.
     *
     * @param type {@code local} (the homes directory) or {@code s3}
     * @param bucket the bucket
     * @param endpoint the S3 server's URL, unset for AWS
     * @param region the region
     * @param prefix the key prefix of the users' roots
     * @param accessKey the access key id, unset for the AWS SDK's default credentials
     * @param secretKey the secret access key
     * @param pathStyle whether the bucket goes in the URL's path
     */
    public record Storage(
            @ConfigKey(value = "local: the homes directory on this node's disk; s3: an S3-compatible bucket (termlet-s3 on the class path)", dflt = "local")
            String type,
            @ConfigKey("the bucket (type s3); it must exist")
            String bucket,
            @ConfigKey("the S3 server's URL, for example http://127.0.0.1:9000; unset: AWS")
            String endpoint,
            @ConfigKey(value = "the region", dflt = "us-east-1")
            String region,
            @ConfigKey(value = "the key prefix of the users' roots (homes/ puts alice's files under homes/alice/)", dflt = "")
            String prefix,
            @ConfigKey("the access key id; unset: the AWS SDK's default credentials (environment, profile, role)")
            Secret accessKey,
            @ConfigKey("the secret access key")
            Secret secretKey,
            @ConfigKey(value = "address the bucket in the URL's path (most self-hosted servers want it)", dflt = "false")
            boolean pathStyle) {}

    /**
     * A quota.
     *
     * @param size the most bytes, 0 for none
     * @param files the most files, 0 for none
     */
    public record Quota(
            @ConfigKey(value = "the most bytes (10GiB, 500MiB); 0 for no limit", dflt = "0", min = 0, unit = ConfigKey.Unit.SIZE)
            long size,
            @ConfigKey(value = "the most files; 0 for no limit", dflt = "0", min = 0)
            long files) {}

    /**
     * FTP with explicit TLS.
     *
     * @param enabled whether FTP is served
     * @param port the port
     * @param allowPlain whether logins without TLS are allowed
     * @param keyStore the PKCS#12 key store
     * @param keyStorePassword its password
     * @param passivePorts the passive data ports
     */
    public record Ftp(
            @ConfigKey(value = "serve FTP with explicit TLS (AUTH TLS) and passive mode", dflt = "false")
            boolean enabled,
            @ConfigKey(value = "the FTP port; 0 picks a free one", dflt = "2121", min = 0, max = 65535)
            int port,
            @ConfigKey(value = "allow logins without TLS (passwords in clear text: trusted networks only)", dflt = "false")
            boolean allowPlain,
            @ConfigKey("a PKCS#12 key store with the certificate; unset: a self-signed one in DATA/ftp/tls.p12")
            Path keyStore,
            @ConfigKey("the key store's password")
            Secret keyStorePassword,
            @ConfigKey(value = "the passive data ports: 50000-50100, 50000,50002, or 0 for any free port", dflt = "0")
            String passivePorts) {}
}
