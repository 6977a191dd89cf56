package dev.termlet.config;

import dev.termlet.TermletServer;
import dev.termlet.fileops.FileOps;
import dev.termlet.fileops.Hooks;
import java.util.Optional;

/**
 * What {@link TermletConfig#apply(TermletServer.Builder)} made for one server: the builder, set up, and the extensions
 * it added, for what only they can tell (the FTP port actually bound: {@code fileOps().get().ftpPort()}).
 *
 * @param builder the builder, ready for handlers and {@code start()}
 * @param fileOps the file operations added, when {@code fileops.enabled}
 * @param hooks the hooks added, when any event hook is configured
 * @param web the web side added, when {@code web.enabled} (its port: {@code web().get().port()})
 */
public record ServerSetup(TermletServer.Builder builder, Optional<FileOps> fileOps, Optional<Hooks> hooks,
        Optional<dev.termlet.web.Web> web) {}
