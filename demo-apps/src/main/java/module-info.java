/** Termlet's demos: echo, admin console, chat, snake, external auth with TOTP and a file server. */
module dev.termlet.demos {
    requires dev.termlet;
    requires dev.termlet.fileops;
    requires dev.termlet.web;
    requires info.picocli;
    requires com.fasterxml.jackson.databind;
    requires java.net.http;
    requires jdk.httpserver;
    requires org.slf4j;
    requires ch.qos.logback.classic;
    requires ch.qos.logback.core;

    // handlers are called, picocli sets the options and Jackson reads the game's scores, by reflection
    opens dev.termlet.demos to dev.termlet, info.picocli, com.fasterxml.jackson.databind;
}
