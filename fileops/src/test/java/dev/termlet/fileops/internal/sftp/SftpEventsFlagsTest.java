package dev.termlet.fileops.internal.sftp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.StandardOpenOption;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The open flags of a file event: the options' names, sorted and comma-separated, for every set of options. */
class SftpEventsFlagsTest {
    @Test
    void everySetOfOptionsIsNamedInOrder() {
        StandardOpenOption[] all = StandardOpenOption.values();
        for (int bits = 0; bits < 1 << all.length; bits++) {
            Set<StandardOpenOption> options = EnumSet.noneOf(StandardOpenOption.class);
            for (int i = 0; i < all.length; i++) {
                if ((bits & 1 << i) != 0) {
                    options.add(all[i]);
                }
            }
            String expected = options.stream().map(Enum::name).sorted().collect(Collectors.joining(","));
            assertThat(SftpEvents.flags(options)).as("%s", options).isEqualTo(expected);
        }
    }

    @Test
    void theUsualUploadReadsAsBefore() {
        assertThat(SftpEvents.flags(Set.of(StandardOpenOption.WRITE, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING))).isEqualTo("CREATE,TRUNCATE_EXISTING,WRITE");
        assertThat(SftpEvents.flags(Set.of())).isEmpty();
    }
}
