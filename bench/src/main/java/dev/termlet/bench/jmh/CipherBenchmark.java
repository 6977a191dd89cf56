package dev.termlet.bench.jmh;

import dev.termlet.internal.ssh.Algorithms;
import java.util.concurrent.TimeUnit;
import org.apache.sshd.common.cipher.BuiltinCiphers;
import org.apache.sshd.common.cipher.Cipher;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Sealing one SSH packet with {@code chacha20-poly1305@openssh.com}: MINA's pure-Java cipher against the one the
 * server uses (the JDK's ChaCha20 keystream, vectorised on Java 20+, and Termlet's Poly1305). Packet payloads of 64 bytes (a keystroke),
 * 1 KiB and 32 KiB (a bulk transfer's packet); MiB/s is {@code size / time}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CipherBenchmark {
    /** Which implementation: {@code mina} or {@code termlet}. */
    @Param({"mina", "termlet"})
    public String impl;

    /** The packet's payload length in bytes. */
    @Param({"64", "1024", "32768"})
    public int size;

    private Cipher cipher;
    private byte[] packet;

    /**
     * Keys the cipher (zero key, sequence number 0) and makes the packet buffer.
     *
     * @throws Exception if the cipher cannot be made
     */
    @Setup
    public void setUp() throws Exception {
        String name = BuiltinCiphers.cc20p1305_openssh.getName();
        cipher = impl.equals("mina") ? BuiltinCiphers.cc20p1305_openssh.create() : Algorithms.cipher(name).create();
        cipher.init(Cipher.Mode.Encrypt, new byte[cipher.getKdfSize()], new byte[cipher.getIVSize()]);
        packet = new byte[4 + size + cipher.getAuthenticationTagSize()];
    }

    /**
     * Encrypts the length and the payload in place and appends the tag.
     *
     * @return a byte of the result, so that the work is kept
     * @throws Exception if sealing fails
     */
    @Benchmark
    public byte seal() throws Exception {
        cipher.updateAAD(packet, 0, 4);
        cipher.update(packet, 4, size);
        return packet[4 + size];
    }
}
