/** The browser file client: its JSON file API under {@code /api/files} and its static page at {@code /}. */
package dev.termlet.web.internal.client;
