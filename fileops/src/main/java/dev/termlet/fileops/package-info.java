/**
 * File operations for Termlet: SFTP and SCP on the SSH port, FTP(S) on its own, for the same accounts. The API is
 * here: {@link dev.termlet.fileops.FileOps} (the extension), the file events ({@link dev.termlet.fileops.FileEvents},
 * carrying a {@link dev.termlet.fileops.FileEvent}) with their SFTPGo and Syncplify aliases, the table of operations
 * every protocol runs through ({@link dev.termlet.fileops.FileOperation}) and SFTPGo-style hooks
 * ({@link dev.termlet.fileops.Hooks}). The {@code internal} packages hold the pipeline (core) and the protocol
 * adapters (sftp, scp, ftp) and the hook machinery; they are not API.
 */
package dev.termlet.fileops;
