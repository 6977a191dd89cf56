/**
 * File operations for Termlet: the file-operation events ({@link dev.termlet.fileops.FileEvents}, carrying a
 * {@link dev.termlet.fileops.FileEvent}) with their SFTPGo and Syncplify aliases, and the per-user
 * {@link dev.termlet.fileops.VirtualRoot}. The SFTP, SCP and FTP(S) servers that fire them come next.
 */
package dev.termlet.fileops;
