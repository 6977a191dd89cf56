/** The PROXY protocol (versions 1 and 2) shared by the SSH and FTP listeners: the parser and header deadlines. */
package dev.termlet.internal.proxy;
