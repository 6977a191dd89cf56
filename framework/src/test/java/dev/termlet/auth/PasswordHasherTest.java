package dev.termlet.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Argon2id PHC hashes: format, round trip, reference vectors, malformed input and the dummy check. */
class PasswordHasherTest {
    /** Cheap parameters so that the tests run fast. */
    private final PasswordHasher fast = new PasswordHasher(1024, 1, 1);

    @Test
    void defaultHashHasThePhcShape() {
        String hash = new PasswordHasher().hash("correct horse".toCharArray());
        assertThat(hash).matches("\\$argon2id\\$v=19\\$m=19456,t=2,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");
        String[] parts = hash.split("\\$");
        assertThat(Base64.getDecoder().decode(parts[4])).hasSize(16);
        assertThat(Base64.getDecoder().decode(parts[5])).hasSize(32);
    }

    @Test
    void roundTripAndWrongPassword() {
        PasswordHasher h = new PasswordHasher();
        char[] pw = "correct horse".toCharArray();
        String hash = h.hash(pw);
        assertThat(pw).isEqualTo("correct horse".toCharArray()); // not wiped: the caller owns it
        assertThat(h.verify("correct horse".toCharArray(), hash)).isTrue();
        assertThat(h.verify("correct horsf".toCharArray(), hash)).isFalse();
        assertThat(h.verify("".toCharArray(), hash)).isFalse();
        assertThat(h.verify(null, hash)).isFalse();
    }

    @Test
    void saltsAreRandom() {
        assertThat(fast.hash("x".toCharArray())).isNotEqualTo(fast.hash("x".toCharArray()));
    }

    @Test
    void nonAsciiPasswordsAreUtf8() {
        String pw = "pässwörd-日本-\uD83D\uDD11"; // includes a surrogate pair (4 UTF-8 bytes)
        String hash = fast.hash(pw.toCharArray());
        assertThat(fast.verify(pw.toCharArray(), hash)).isTrue();
        assertThat(fast.verify("passwörd-日本-\uD83D\uDD11".toCharArray(), hash)).isFalse();
    }

    @Test
    void referenceVectorsVerify() {
        // phc-winner-argon2 reference test vectors: password "password", salt "somesalt"
        String[] vectors = {
            "$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4",
            "$argon2id$v=19$m=256,t=2,p=2$c29tZXNhbHQ$bQk8UB/VmZZF4Oo79iDXuL5/0ttZwg2f/5U52iv1cDc",
            "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
        };
        for (String v : vectors) {
            assertThat(fast.verify("password".toCharArray(), v)).as(v).isTrue();
            assertThat(fast.verify("passwore".toCharArray(), v)).as(v).isFalse();
        }
    }

    @Test
    void parametersComeFromTheEncodedString() {
        String made = new PasswordHasher(2048, 3, 2).hash("pw".toCharArray());
        assertThat(made).startsWith("$argon2id$v=19$m=2048,t=3,p=2$");
        assertThat(new PasswordHasher().verify("pw".toCharArray(), made)).isTrue();
        assertThat(fast.verify("pw".toCharArray(), made)).isTrue();
    }

    @Test
    void malformedHashesAreFalseNeverExceptions() {
        String salt = "c29tZXNhbHQ";
        String hash = "nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4";
        List<String> bad = new ArrayList<>(List.of("", "plain", "$", "$argon2id", "$argon2id$", "$$$$$",
                "$argon2i$v=19$m=256,t=2,p=1$" + salt + "$" + hash,
                "$argon2d$v=19$m=256,t=2,p=1$" + salt + "$" + hash,
                "$argon2id$v=16$m=256,t=2,p=1$" + salt + "$" + hash,
                "$argon2id$m=256,t=2,p=1$" + salt + "$" + hash,
                "argon2id$v=19$m=256,t=2,p=1$" + salt + "$" + hash,
                "$argon2id$v=19$m=256,t=2,p=1$" + salt + "$" + hash + "$",
                "$argon2id$v=19$m=256,t=2,p=1$" + salt + "$" + hash + "$extra",
                "$argon2id$v=19$t=2,m=256,p=1$" + salt + "$" + hash,
                "$argon2id$v=19$m=256,t=2$" + salt + "$" + hash,
                "$argon2id$v=19$m=256,t=2,p=1,x=1$" + salt + "$" + hash,
                "$argon2id$v=19$m=x,t=2,p=1$" + salt + "$" + hash,
                "$argon2id$v=19$m=99999999999,t=2,p=1$" + salt + "$" + hash,
                "$argon2id$v=19$m=99999999,t=2,p=1$" + salt + "$" + hash, // more than 1 GiB: refused
                "$argon2id$v=19$m=256,t=0,p=1$" + salt + "$" + hash,
                "$argon2id$v=19$m=256,t=1000,p=1$" + salt + "$" + hash,
                "$argon2id$v=19$m=256,t=2,p=0$" + salt + "$" + hash,
                "$argon2id$v=19$m=256,t=2,p=-1$" + salt + "$" + hash,
                "$argon2id$v=19$m=4,t=2,p=1$" + salt + "$" + hash,
                "$argon2id$v=19$m=256,t=2,p=1$!!!$" + hash,
                "$argon2id$v=19$m=256,t=2,p=1$" + salt + "$***",
                "$argon2id$v=19$m=256,t=2,p=1$" + salt + "$",
                "$argon2id$v=19$m=256,t=2,p=1$$" + hash,
                "$argon2id$v=19$m=256,t=2,p=1$YQ$" + hash, // 1-byte salt
                "$argon2id$v=19$m=256,t=2,p=1$" + salt + "$aGFzaA")); // 4-byte hash
        bad.add(null);
        for (String b : bad) {
            assertThatCode(() -> assertThat(fast.verify("password".toCharArray(), b)).as(b).isFalse())
                    .as(String.valueOf(b)).doesNotThrowAnyException();
        }
    }

    @Test
    void invalidCostParametersAreRejected() {
        assertThatThrownBy(() -> new PasswordHasher(4, 1, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("m=4");
        assertThatThrownBy(() -> new PasswordHasher(1024, 0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PasswordHasher(1024, 1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PasswordHasher(1 << 21, 1, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void dummyVerifyAcceptsAnyInput() {
        // its cost matching a real verify is a matter for benchmarks, not for a timed test
        PasswordHasher h = new PasswordHasher(8192, 2, 1);
        assertThatCode(() -> h.verifyDummy(null)).doesNotThrowAnyException();
        assertThatCode(() -> h.verifyDummy("guess".toCharArray())).doesNotThrowAnyException();
    }

    @Test
    void verifyLeavesThePasswordArrayAlone() {
        char[] pw = "pw".toCharArray();
        fast.verify(pw, fast.hash("pw".toCharArray()));
        fast.verifyDummy(pw);
        assertThat(Arrays.equals(pw, "pw".toCharArray())).isTrue();
    }

    @Test
    void derivationsRunAtMostOneFewerThanTheProcessorsAtOnce() throws Exception {
        PasswordHasher h = new PasswordHasher(8192, 2, 1);
        String hash = h.hash("pw".toCharArray());
        int callers = 3 * PasswordHasher.MAX_CONCURRENT + 2;
        PasswordHasher.PEAK.set(0);
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        List<java.util.concurrent.Future<Boolean>> results = new ArrayList<>();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(callers);
        try {
            for (int i = 0; i < callers; i++) {
                results.add(pool.submit(() -> {
                    go.await();
                    return h.verify(("pw").toCharArray(), hash) && !h.verify("no".toCharArray(), hash);
                }));
            }
            go.countDown();
            for (java.util.concurrent.Future<Boolean> r : results) {
                assertThat(r.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(PasswordHasher.MAX_CONCURRENT)
                .isEqualTo(Math.max(1, Runtime.getRuntime().availableProcessors() - 1));
        assertThat(PasswordHasher.PEAK.get()).isBetween(1, PasswordHasher.MAX_CONCURRENT);
    }
}
