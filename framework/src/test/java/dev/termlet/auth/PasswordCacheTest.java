package dev.termlet.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The verification cache: a correct password seen again skips Argon2id; anything else pays it in full. Counted by
 * derivations, not by time.
 */
class PasswordCacheTest {
    private final PasswordHasher hasher = new PasswordHasher(64, 1, 1);
    private final String hash = hasher.hash("secret".toCharArray());

    private long derivations() {
        return hasher.derivations.get();
    }

    @Test
    void aRepeatedCorrectPasswordSkipsTheDerivation() {
        long before = derivations();
        assertThat(hasher.verify("secret".toCharArray(), hash)).isTrue();
        assertThat(hasher.verify("secret".toCharArray(), hash)).isTrue();
        assertThat(hasher.verify("secret".toCharArray(), hash)).isTrue();
        assertThat(derivations() - before).isEqualTo(1);
    }

    @Test
    void aWrongPasswordAlwaysPaysArgon2EvenWhenTheRightOneIsCached() {
        assertThat(hasher.verify("secret".toCharArray(), hash)).isTrue();
        long before = derivations();
        assertThat(hasher.verify("secreT".toCharArray(), hash)).isFalse();
        assertThat(hasher.verify("".toCharArray(), hash)).isFalse();
        assertThat(derivations() - before).isEqualTo(2);
    }

    @Test
    void anEntryCountsOnlyForTheHashItMatched() {
        assertThat(hasher.verify("secret".toCharArray(), hash)).isTrue();
        String changed = hasher.hash("secret".toCharArray());   // a new salt: as after a password change
        long before = derivations();
        assertThat(hasher.verify("secret".toCharArray(), changed)).isTrue();
        assertThat(derivations() - before).isEqualTo(1);
    }

    @Test
    void forgetAndExpiryAndOffMakeItDeriveAgain() throws Exception {
        assertThat(hasher.verify("secret".toCharArray(), hash)).isTrue();
        hasher.forget(hash);
        long before = derivations();
        assertThat(hasher.verify("secret".toCharArray(), hash)).isTrue();
        assertThat(derivations() - before).as("after forget").isEqualTo(1);

        hasher.cacheVerified(Duration.ofMillis(1));
        assertThat(hasher.verify("secret".toCharArray(), hash)).isTrue();
        Thread.sleep(20);
        before = derivations();
        assertThat(hasher.verify("secret".toCharArray(), hash)).isTrue();
        assertThat(derivations() - before).as("after the entry expired").isEqualTo(1);

        hasher.cacheVerified(Duration.ZERO);
        before = derivations();
        assertThat(hasher.verify("secret".toCharArray(), hash)).isTrue();
        assertThat(hasher.verify("secret".toCharArray(), hash)).isTrue();
        assertThat(derivations() - before).as("with the cache off").isEqualTo(2);
        assertThatThrownBy(() -> hasher.cacheVerified(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
