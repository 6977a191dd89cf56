/** The web side of Termlet's file server: HTTPS, the browser file client, share links, WebDAV, the admin API. */
package dev.termlet.web;
