/**
 * Termlet's terminal layer: key names and widgets on JLine terminals. The session plumbing in
 * {@code dev.termlet.terminal.internal} is exported only to the framework, the file server and the benchmarks.
 */
module dev.termlet.terminal {
    requires transitive org.jline.terminal;
    requires transitive org.jline.reader;

    exports dev.termlet.terminal;
    exports dev.termlet.terminal.internal to dev.termlet, dev.termlet.fileops, dev.termlet.bench;
}
