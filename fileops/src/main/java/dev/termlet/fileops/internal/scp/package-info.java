/** The SCP adapter: MINA's SCP command translated to the operations of the core. Not API. */
package dev.termlet.fileops.internal.scp;
