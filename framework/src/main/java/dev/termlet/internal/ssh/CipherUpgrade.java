package dev.termlet.internal.ssh;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.Property;
import org.apache.sshd.common.kex.KexProposalOption;
import org.apache.sshd.common.session.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves a session that moves much data from ChaCha20-Poly1305 to AES-GCM, where this JVM runs AES-GCM on the
 * processor's AES and carry-less multiply instructions.
 *
 * <p>SSH lets the client choose the cipher (its first one the server offers), and OpenSSH's client, like most, puts
 * ChaCha20-Poly1305 first. In the JVM that cipher is Java code (vector code from Java 20), while AES-GCM runs on the
 * processor's instructions: on the machine of docs/performance.md ("AES-GCM for long transfers") a 1 GiB SFTP upload
 * from OpenSSH's {@code sftp} took 4.2-7.0 s of server CPU with ChaCha20-Poly1305 on Java 17 and 1.8 s with
 * AES-128-GCM (Java 25: 2.3 and 1.8). So once a session has moved {@link #AFTER_BYTES} in either direction under
 * ChaCha20-Poly1305 (counted across the key exchanges the client starts), and the client offered
 * AES-GCM in both directions, the server starts a new key exchange (as either side may at any time, RFC 4253 section
 * 9) offering only the AES-GCM ciphers of its own list; the client then picks the one it prefers of those. Sessions
 * that move little (logins, typing) never re-key for it. The keys are new and as strong; a client without AES
 * instructions spends more of its own CPU.
 *
 * <p>One instance per session. MINA asks whether a re-key is due from the thread that handled a message and from
 * threads that write (SFTP, SCP, session threads), so the state is volatile; two threads finding it due at once start
 * one key exchange (MINA starts only one). Should the client's own KEXINIT be answered at that moment, with the old
 * proposal, the upgrade waits for the client's next key exchange.
 */
final class CipherUpgrade {
    private static final Logger LOG = LoggerFactory.getLogger(CipherUpgrade.class);

    /**
     * Bytes a session moves in one direction under ChaCha20-Poly1305 before it is re-keyed to AES-GCM; 0 or less never.
     * Set on the server ({@code TermletServer.Builder.cipherUpgradeAfter}); default 4 MiB.
     */
    static final Property<Long> AFTER_BYTES = Property.long_("termlet-cipher-upgrade-after-bytes", 4L << 20);

    /** Whether this JVM runs AES-GCM on the processor's instructions. */
    static final boolean HARDWARE = hardwareAesGcm();

    private static final String CHACHA = "chacha20-poly1305@openssh.com";
    private static final List<String> GCM = List.of("aes256-gcm@openssh.com", "aes128-gcm@openssh.com");

    private enum State { UNDECIDED, WAITING, DONE }

    private final Session session;
    private volatile State state = State.UNDECIDED;
    private long after;
    /** The ciphers offered once the upgrade is due (comma-separated), null before. */
    private volatile String offer;
    private String candidates;
    /** Bytes counted before the last key exchange the client started (MINA's counts restart at each). */
    private long inBefore;
    private long outBefore;
    /** The counts last seen: when a count falls, a key exchange has restarted it. */
    private long lastIn;
    private long lastOut;

    /**
     * @param session the server session
     */
    CipherUpgrade(Session session) {
        this.session = session;
    }

    /**
     * Whether the session is due for its re-key to AES-GCM; from then on {@link #proposal} offers AES-GCM only. Asked
     * by MINA, after each message it handles, whether a re-key is due by the data moved since the last key exchange.
     *
     * @param in bytes received since the last key exchange
     * @param out bytes sent since the last key exchange
     * @return true once, when the upgrade is due
     */
    boolean due(long in, long out) {
        State s = state;
        if (s == State.DONE) {
            return false;
        }
        if (s == State.UNDECIDED) {
            if (!decide()) {
                state = State.DONE;
                return false;
            }
            state = State.WAITING;
        }
        synchronized (this) {
            if (in < lastIn) {
                inBefore += lastIn;
            }
            if (out < lastOut) {
                outBefore += lastOut;
            }
            lastIn = in;
            lastOut = out;
            in += inBefore;
            out += outBefore;
        }
        if (in <= after && out <= after) {
            return false;
        }
        offer = candidates;
        state = State.DONE;
        LOG.debug("re-keying to offer {} after {} bytes in, {} out under {}", candidates, in, out, CHACHA);
        return true;
    }

    /** Whether this session is one to upgrade: sets {@link #after} and {@link #candidates}. */
    private boolean decide() {
        after = AFTER_BYTES.getRequired(session);
        if (after <= 0 || !HARDWARE || !(CHACHA.equals(session.getNegotiatedKexParameter(KexProposalOption.C2SENC))
                || CHACHA.equals(session.getNegotiatedKexParameter(KexProposalOption.S2CENC)))) {
            return false;
        }
        Map<KexProposalOption, String> client = session.getClientKexProposals();
        if (client == null) {
            return false;
        }
        List<String> c2s = names(client.get(KexProposalOption.C2SENC));
        List<String> s2c = names(client.get(KexProposalOption.S2CENC));
        List<String> both = new ArrayList<>();
        for (String name : NamedResource.getNameList(session.getCipherFactories())) {
            if (GCM.contains(name) && c2s.contains(name) && s2c.contains(name)) {
                both.add(name);
            }
        }
        if (both.isEmpty()) {
            return false;
        }
        candidates = String.join(",", both);
        return true;
    }

    /**
     * The server's proposal for a key exchange: as it was, or, once the upgrade is due, with AES-GCM as its only
     * ciphers (for that exchange and every later one).
     *
     * @param proposal the session's proposal
     * @return the proposal to send
     */
    Map<KexProposalOption, String> proposal(Map<KexProposalOption, String> proposal) {
        String only = offer;
        if (only == null) {
            return proposal;
        }
        Map<KexProposalOption, String> p = new EnumMap<>(proposal);
        p.put(KexProposalOption.C2SENC, only);
        p.put(KexProposalOption.S2CENC, only);
        return p;
    }

    private static List<String> names(String list) {
        return list == null || list.isEmpty() ? List.of() : List.of(list.split(","));
    }

    /**
     * HotSpot's {@code UseAES} (the AES instructions are there and used) and, where it has it (x86), {@code UseCLMUL}
     * (carry-less multiply, for GCM's hash), unless the JVM was started without the AES or GHASH intrinsics
     * (diagnostic options, which the management interface does not show); false where the JVM does not tell.
     */
    private static boolean hardwareAesGcm() {
        try {
            for (String arg : java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()) {
                if (arg.equals("-XX:-UseAESIntrinsics") || arg.equals("-XX:-UseGHASHIntrinsics")
                        || arg.equals("-XX:-UseAESCTRIntrinsics")) {
                    return false;
                }
            }
            com.sun.management.HotSpotDiagnosticMXBean vm = java.lang.management.ManagementFactory
                    .getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
            if (vm == null || !"true".equals(vm.getVMOption("UseAES").getValue())) {
                return false;
            }
            try {
                return "true".equals(vm.getVMOption("UseCLMUL").getValue());
            } catch (IllegalArgumentException e) {
                return true; // not an x86 JVM: AArch64's AES instructions come with its carry-less multiply
            }
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }
}
