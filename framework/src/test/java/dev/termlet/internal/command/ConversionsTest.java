package dev.termlet.internal.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ConversionsTest {
    @Test
    void durations() {
        assertThat(Conversions.duration("90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(Conversions.duration("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(Conversions.duration("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(Conversions.duration("2d")).isEqualTo(Duration.ofDays(2));
        assertThat(Conversions.duration("PT5M")).isEqualTo(Duration.ofMinutes(5));
        for (String bad : new String[] {"", "5", "m5", "5x", "5m junk", "P"}) {
            assertThatThrownBy(() -> Conversions.duration(bad)).as(bad)
                    .isInstanceOf(CommandLine.TypeConversionException.class);
        }
    }
}
