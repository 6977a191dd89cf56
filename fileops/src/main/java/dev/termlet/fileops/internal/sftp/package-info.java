/** The SFTP adapter (and the SSH exec hash commands): MINA's SFTP subsystem translated to the operations of the core. Not API. */
package dev.termlet.fileops.internal.sftp;
