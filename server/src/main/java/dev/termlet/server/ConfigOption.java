package dev.termlet.server;

import dev.termlet.config.TermletConfig;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --config} option that every command shares: {@code $TERMLET_CONFIG}, else {@code termlet.yaml}. */
final class ConfigOption {
    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "The configuration (default: $TERMLET_CONFIG, else ./termlet.yaml).")
    Path file;

    /** @return the configuration file this command uses */
    Path path() {
        if (file != null) {
            return file;
        }
        String env = System.getenv("TERMLET_CONFIG");
        return Path.of(env != null && !env.isBlank() ? env : "termlet.yaml");
    }

    /**
     * @return the configuration, with the environment and system properties over the file
     * @throws dev.termlet.config.ConfigException listing every problem
     */
    TermletConfig load() {
        return TermletConfig.load(path());
    }
}
