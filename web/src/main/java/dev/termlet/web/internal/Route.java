package dev.termlet.web.internal;

import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * One part of the web side (the file client, WebDAV, shares, the admin API), served under its path prefix.
 */
public interface Route {
    /** @return the path prefix it serves, such as {@code /dav}; {@code /} for the rest */
    String prefix();

    /**
     * Handles a request under the prefix, blocking if it needs to; completes the callback (or throws).
     *
     * @param request the request
     * @param response the response
     * @param callback completed when the response is done
     * @return true if handled (false: 404)
     * @throws Exception on a failure the server answers with 500
     */
    boolean handle(Request request, Response response, Callback callback) throws Exception;

    /** Stops what the route runs; called once when the server stops. */
    default void stop() {}
}
