/**
 * WebDAV (RFC 4918, class 1 and 2) on each user's root: {@link dev.termlet.web.internal.dav.DavRoute}; not exported.
 * Dead properties are kept per user in {@code DATA/web/dav-props/}; locks live in memory.
 */
package dev.termlet.web.internal.dav;
