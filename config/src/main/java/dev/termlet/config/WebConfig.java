package dev.termlet.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The web side (termlet-web): HTTPS with the browser file client, share links, WebDAV and the admin API, on the file
 * server's accounts and files.
 *
 * @param enabled whether the web side is served
 * @param port the HTTPS port
 * @param https whether HTTPS is served (false: plain HTTP only, on {@code httpPort})
 * @param httpPort a plain HTTP port, -1 for none
 * @param keyStore the PKCS#12 key store
 * @param keyStorePassword its password
 * @param webdav whether WebDAV is served
 * @param idleTimeout how long a browser login lasts without a request
 * @param client whether the browser file client is served
 * @param shares whether share links are served
 * @param publicUrl the address share links start with
 * @param adminApi whether the REST admin API is served
 * @param adminKeys API keys of the admin API given in the configuration
 */
public record WebConfig(
        @ConfigKey(value = "serve the web side (needs fileops.enabled and termlet-web on the class path)", dflt = "false")
        boolean enabled,
        @ConfigKey(value = "the HTTPS port (HTTP/2 and HTTP/1.1); 0 picks a free one", dflt = "8443", min = 0, max = 65535)
        int port,
        @ConfigKey(value = "serve HTTPS; false serves plain HTTP only, on http-port (behind a proxy that ends TLS)", dflt = "true")
        boolean https,
        @ConfigKey(value = "a plain HTTP port (no TLS: passwords and cookies in clear text); -1 for none", dflt = "-1", min = -1, max = 65535)
        int httpPort,
        @ConfigKey("a PKCS#12 key store with the certificate; unset: a self-signed one in DATA/web/tls.p12")
        Path keyStore,
        @ConfigKey("the key store's password")
        Secret keyStorePassword,
        @ConfigKey(value = "serve WebDAV (class 1 and 2) under /dav/", dflt = "true")
        boolean webdav,
        @ConfigKey(value = "how long a browser login lasts without a request", dflt = "15m")
        Duration idleTimeout,
        @ConfigKey(value = "serve the browser file client at / and its API at /api/files", dflt = "true")
        boolean client,
        @ConfigKey(value = "serve share links: /api/shares, the pages at /s/TOKEN and the SSH command share", dflt = "true")
        boolean shares,
        @ConfigKey("the address share links start with, such as https://files.example.com; unset: the address the client used")
        String publicUrl,
        @ConfigKey(value = "serve the REST admin API at /api/admin/v1 (API keys and accounts with the admin permission)", dflt = "false")
        boolean adminApi,
        @ConfigKey(value = "admin API keys accepted while the server runs (make one with Web.newAdminKey()); turns the admin API on", dflt = "[]")
        List<AdminKey> adminKeys) {

    /**
     * An admin API key given in the configuration.
     *
     * @param name what the key is for
     * @param key the key ({@code tka_...}); keep it in a file or the environment: {@code ${file:...}}
     */
    public record AdminKey(
            @ConfigKey("what the key is for (shown in listings and the log)")
            String name,
            @ConfigKey("the key, tka_ and 43 more characters")
            Secret key) {}
}
