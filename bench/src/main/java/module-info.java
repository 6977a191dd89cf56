/**
 * Termlet's benchmarks: JMH microbenchmarks and load tools. Not published. The microbenchmarks of the
 * dispatcher and the line editor reach internals through qualified exports to this module.
 */
module dev.termlet.bench {
    requires dev.termlet;
    requires dev.termlet.fileops;
    requires info.picocli;
    requires org.apache.commons.net;
    requires org.apache.sshd.sftp;
    requires org.apache.sshd.scp;
    requires jmh.core;
    requires org.slf4j;

    opens dev.termlet.bench to info.picocli;
    opens dev.termlet.bench.jmh to jmh.core;
    opens dev.termlet.bench.jmh.jmh_generated to jmh.core;
}
