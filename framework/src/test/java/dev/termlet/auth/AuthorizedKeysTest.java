package dev.termlet.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** authorized_keys lines: real Ed25519, RSA and ECDSA keys, options, comments and malformed lines. */
class AuthorizedKeysTest {
    private static KeyPair ed25519;
    private static KeyPair rsa;
    private static KeyPair ecdsa;

    @BeforeAll
    static void keys() throws Exception {
        ed25519 = KeyUtils.generateKeyPair("ssh-ed25519", 256); // MINA's EdDSA (BouncyCastle) keys
        KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
        gen.initialize(2048);
        rsa = gen.generateKeyPair();
        ecdsa = KeyUtils.generateKeyPair("ecdsa-sha2-nistp256", 256);
    }

    private static String line(KeyPair kp) {
        return PublicKeyEntry.toString(kp.getPublic());
    }

    /** The base64 part of a line, which no message may repeat. */
    private static String keyData(String line) {
        return line.split(" ")[1];
    }

    @Test
    void parsesEd25519RsaAndEcdsaLines() {
        assertThat(line(ed25519)).startsWith("ssh-ed25519 AAAA");
        assertThat(line(rsa)).startsWith("ssh-rsa AAAA");
        for (KeyPair kp : List.of(ed25519, rsa, ecdsa)) {
            PublicKey parsed = AuthorizedKeys.parseLine(line(kp) + " user@host");
            assertThat(KeyUtils.compareKeys(parsed, kp.getPublic())).as(line(kp)).isTrue();
        }
    }

    @Test
    void parsesALineMadeByOpenSshKeygen(@TempDir Path dir) throws Exception {
        Path keygen = Path.of("/usr/bin/ssh-keygen");
        assumeTrue(Files.isExecutable(keygen), "ssh-keygen not installed");
        Path key = dir.resolve("id_ed25519");
        Process p = new ProcessBuilder(keygen.toString(), "-q", "-t", "ed25519", "-f", key.toString(), "-N", "",
                "-C", "me@laptop").redirectErrorStream(true).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        String pub = Files.readString(dir.resolve("id_ed25519.pub")).strip();
        PublicKey parsed = AuthorizedKeys.parseLine(pub);
        assertThat(KeyUtils.getKeyType(parsed)).isEqualTo("ssh-ed25519");
        assertThat(AuthorizedKeys.matches(List.of(pub), parsed)).isTrue();
        assertThat(AuthorizedKeys.matches(List.of(pub), ed25519.getPublic())).isFalse();
    }

    @Test
    void optionsPrefixIsAccepted() {
        String withOptions = "from=\"10.0.0.1,192.168.0.0/16\",command=\"echo hi there\",no-pty,no-agent-forwarding "
                + line(ed25519) + " me@host with spaces";
        assertThat(KeyUtils.compareKeys(AuthorizedKeys.parseLine(withOptions), ed25519.getPublic())).isTrue();
        String rsaOptions = "restrict,environment=\"A=b c\" " + line(rsa);
        assertThat(KeyUtils.compareKeys(AuthorizedKeys.parseLine(rsaOptions), rsa.getPublic())).isTrue();
    }

    @Test
    void parseSkipsCommentsBlanksAndBadLinesAndAcceptsWholeFiles() {
        String file = "# my keys\n\n" + line(ed25519) + " a@b\r\n   \n#" + line(rsa) + "\n" + line(ecdsa) + "\n";
        List<String> lines = new ArrayList<>(List.of(file, "", "   ", "# comment", "ssh-rsa AAAA!!broken",
                "   " + line(rsa) + "   "));
        lines.add(null);
        List<PublicKey> keys = AuthorizedKeys.parse(lines);
        assertThat(keys).hasSize(3);
        assertThat(KeyUtils.compareKeys(keys.get(0), ed25519.getPublic())).isTrue();
        assertThat(KeyUtils.compareKeys(keys.get(1), ecdsa.getPublic())).isTrue();
        assertThat(KeyUtils.compareKeys(keys.get(2), rsa.getPublic())).isTrue();
        assertThat(AuthorizedKeys.parse(List.of())).isEmpty();
    }

    @Test
    void malformedLinesAreRejectedWithoutRepeatingTheKey() {
        String ed = line(ed25519);
        String rsaData = keyData(line(rsa));
        List<String> bad = new ArrayList<>(List.of(
                "garbage",
                "ssh-rsa",
                "ssh-rsa AAAAnotbase64!!",
                "ssh-rsa " + rsaData.substring(0, 40) + "x",   // truncated
                "ssh-ed25519 " + rsaData,                      // type does not match the data
                "ssh-foo " + keyData(ed),                      // unknown type
                "from=\"x\" garbage",
                "# " + ed,
                "",
                "   ",
                ed + "\n" + line(rsa)));                       // two keys in one line
        bad.add(null);
        for (String b : bad) {
            assertThatThrownBy(() -> AuthorizedKeys.parseLine(b)).as(String.valueOf(b))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("authorized_keys")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain(rsaData.substring(8, 40))
                            .doesNotContain(keyData(ed).substring(8, 40)));
        }
        assertThatThrownBy(() -> AuthorizedKeys.parseLine("ssh-ed25519 " + rsaData))
                .hasMessageContaining("corrupt 'ssh-ed25519' key data");
        assertThatThrownBy(() -> AuthorizedKeys.parseLine("garbage")).hasMessageContaining("malformed");
        assertThatThrownBy(() -> AuthorizedKeys.parseLine("# " + ed)).hasMessageContaining("comment");
    }

    @Test
    void skippedLinesAreLoggedWithoutKeyMaterial() {
        Logger logger = (Logger) LoggerFactory.getLogger(AuthorizedKeys.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try {
            String corrupt = "ssh-ed25519 " + keyData(line(rsa));
            AuthorizedKeys.parse(List.of("# first", corrupt, "ssh-rsa AAAA!!broken"));
            assertThat(appender.list).hasSize(2);
            assertThat(appender.list.get(0).getFormattedMessage()).contains("line 2")
                    .doesNotContain(keyData(line(rsa)).substring(8, 40));
            assertThat(appender.list.get(1).getFormattedMessage()).contains("line 3").doesNotContain("!!broken");
        } finally {
            logger.detachAppender(appender);
        }
    }

    @Test
    void matchesComparesKeys() {
        List<String> lines = List.of("# keys", "no-pty " + line(ed25519) + " laptop", line(rsa));
        assertThat(AuthorizedKeys.matches(lines, ed25519.getPublic())).isTrue();
        assertThat(AuthorizedKeys.matches(lines, rsa.getPublic())).isTrue();
        assertThat(AuthorizedKeys.matches(lines, ecdsa.getPublic())).isFalse();
        assertThat(AuthorizedKeys.matches(lines, null)).isFalse();
        assertThat(AuthorizedKeys.matches(List.of(), rsa.getPublic())).isFalse();
        assertThat(AuthorizedKeys.matches(List.of("ssh-rsa AAAAnotbase64!!"), rsa.getPublic())).isFalse();
    }
}
