/**
 * termlet-test: a JUnit 5 extension that starts an application in the test's JVM, and a test client with a
 * virtual screen, exec and SFTP.
 */
module dev.termlet.test {
    requires transitive dev.termlet;
    requires transitive org.junit.jupiter.api;
    requires transitive org.assertj.core;
    requires org.apache.sshd.sftp;
    requires org.slf4j;

    exports dev.termlet.test;
}
