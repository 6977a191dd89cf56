package dev.termlet.fileops;

/** The file transfer protocols Termlet serves. */
public enum Protocol {
    /** SFTP, the SSH file transfer subsystem. */
    SFTP,
    /** SCP over SSH. */
    SCP,
    /** FTP, plain or with explicit TLS. */
    FTP,
    /** A file-related command sent over SSH ({@code ssh host md5sum file}), SFTPGo's {@code ssh_cmd}. */
    SSH,
    /** HTTPS: the browser file client and share links. */
    HTTP,
    /** WebDAV over HTTPS. */
    WEBDAV
}
