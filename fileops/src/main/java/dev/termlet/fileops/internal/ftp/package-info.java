/** The FTP(S) adapter: Apache FtpServer's commands and file system view translated to the operations of the core. Not API. */
package dev.termlet.fileops.internal.ftp;
