/**
 * Termlet's file server: SFTP, SCP and FTP(S) on the users' jailed roots with the file-operation events and hooks.
 * Exports {@code dev.termlet.fileops}; {@code dev.termlet.fileops.internal.*} is not exported.
 */
module dev.termlet.fileops {
    requires transitive dev.termlet;
    requires org.apache.sshd.sftp;
    requires org.apache.sshd.scp;
    requires ftpserver.core;
    requires ftplet.api;
    requires org.apache.mina.core;
    requires org.bouncycastle.provider;
    requires org.bouncycastle.pkix;
    requires com.fasterxml.jackson.databind;
    requires com.sun.jna;
    requires java.net.http;
    requires org.slf4j;

    exports dev.termlet.fileops;
    // the path-resolution benchmark measures the jail itself; the web module serves files through the same gate
    exports dev.termlet.fileops.internal.core to dev.termlet.bench, dev.termlet.web;
    // Jackson writes and reads the hooks' JSON (outbox entries, SFTPGo's forms)
    opens dev.termlet.fileops.internal.hooks to com.fasterxml.jackson.databind;

    provides dev.termlet.event.EventTypeProvider with dev.termlet.fileops.FileEvents;
}
