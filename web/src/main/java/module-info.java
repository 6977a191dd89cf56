/**
 * Termlet's web side: HTTPS with a browser file client, share links, WebDAV and a REST admin API, on the file server's
 * accounts, jail, permissions, quotas and events. Exports {@code dev.termlet.web}; {@code dev.termlet.web.internal.*} is
 * not exported.
 */
module dev.termlet.web {
    requires transitive dev.termlet.fileops;
    requires org.eclipse.jetty.server;
    requires org.eclipse.jetty.http2.server;
    requires org.eclipse.jetty.alpn.server;
    requires org.eclipse.jetty.http;
    requires org.eclipse.jetty.io;
    requires org.eclipse.jetty.util;
    requires com.fasterxml.jackson.databind;
    requires java.xml;
    requires org.slf4j;

    exports dev.termlet.web;

    provides dev.termlet.event.EventTypeProvider with dev.termlet.web.ShareEvents;
}
