package dev.termlet.config.internal;

import java.util.Locale;
import java.util.Map;
import org.slf4j.LoggerFactory;

/** Sets log levels through Logback when the application logs through it; otherwise says it could not. */
public final class LogLevels {
    private LogLevels() {}

    /**
     * @param root the root level, or null to leave it
     * @param levels levels by logger name
     * @return null when applied, else why not
     */
    public static String apply(String root, Map<String, String> levels) {
        if (root == null && levels.isEmpty()) {
            return null;
        }
        boolean logback;
        try {
            logback = LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext;
        } catch (NoClassDefFoundError e) {
            logback = false;
        }
        if (!logback) {
            return "logging.level and logging.levels are applied only through Logback, and this application logs"
                    + " through " + LoggerFactory.getILoggerFactory().getClass().getName() + "; set the levels in"
                    + " its logging configuration";
        }
        ch.qos.logback.classic.LoggerContext ctx = (ch.qos.logback.classic.LoggerContext) LoggerFactory
                .getILoggerFactory();
        if (root != null) {
            ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(level(root));
        }
        levels.forEach((name, level) -> ctx.getLogger(name).setLevel(level(level)));
        return null;
    }

    private static ch.qos.logback.classic.Level level(String name) {
        return ch.qos.logback.classic.Level.toLevel(name.toUpperCase(Locale.ROOT));
    }
}
