/**
 * Termlet's configuration: a server from {@code termlet.yaml} (or any tree of maps and lists), overridden by
 * environment variables and system properties, checked whole. Exports {@code dev.termlet.config};
 * {@code dev.termlet.config.internal} is not exported.
 */
module dev.termlet.config {
    requires transitive dev.termlet.fileops;
    requires transitive com.fasterxml.jackson.databind;
    requires com.fasterxml.jackson.dataformat.yaml;
    requires org.slf4j;
    // logging.level is applied through Logback when the application has it
    requires static ch.qos.logback.classic;
    // the web side is applied when the application has termlet-web
    requires static dev.termlet.web;
    // the database and cluster sections are applied when the application has termlet-cluster
    requires static dev.termlet.cluster;
    // fileops.storage of type s3 is applied when the application has termlet-s3
    requires static dev.termlet.s3;

    exports dev.termlet.config;
}
