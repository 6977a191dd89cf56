/** Share links: the store, the owner's REST API and SSH command, and the visitors' side at {@code /s/TOKEN}. */
package dev.termlet.web.internal.share;
