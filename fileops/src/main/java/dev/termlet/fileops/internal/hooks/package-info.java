/** SFTPGo-style hooks: programs and HTTP endpoints run on events and at login, with an outbox that survives restarts. Not API. */
package dev.termlet.fileops.internal.hooks;
