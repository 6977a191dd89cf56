/**
 * Termlet: interactive SSH applications from classes with {@code @OnUser} methods, served by Apache MINA SSHD.
 * Exports the API ({@code dev.termlet}, {@code auth}, {@code event}, {@code protector}, {@code io}) and the SPI for
 * extensions ({@code dev.termlet.spi}); {@code dev.termlet.internal.*} is not exported.
 *
 * <p>An application on the module path opens its handler packages to this module, so that the handlers can be
 * called: {@code opens com.example.app to dev.termlet;} (and to {@code info.picocli} for {@code @Command} classes).
 */
module dev.termlet {
    requires transitive dev.termlet.annotations;
    requires transitive dev.termlet.terminal;
    requires transitive org.apache.sshd.osgi;
    requires transitive info.picocli;
    requires transitive micrometer.core;
    requires io.github.classgraph;
    requires org.slf4j;
    requires org.bouncycastle.provider;
    requires com.fasterxml.jackson.databind;
    // HotSpot's UseAES and UseCLMUL: whether AES-GCM runs on the processor (CipherUpgrade); in every full JDK, and
    // a jlink image needs it too
    requires jdk.management;

    exports dev.termlet;
    exports dev.termlet.auth;
    exports dev.termlet.event;
    exports dev.termlet.io;
    exports dev.termlet.protector;
    exports dev.termlet.spi;
    // the PROXY protocol parser, shared with the FTP listener
    exports dev.termlet.internal.proxy to dev.termlet.fileops;
    // the dispatch benchmark measures the dispatcher itself
    exports dev.termlet.internal.dispatch to dev.termlet.bench;
    // the cipher benchmark measures the server's ChaCha20-Poly1305 against MINA's
    exports dev.termlet.internal.ssh to dev.termlet.bench;
    // picocli reads the built-in commands' annotations and sets their fields
    opens dev.termlet.internal.command to info.picocli;

    uses dev.termlet.event.EventTypeProvider;
}
