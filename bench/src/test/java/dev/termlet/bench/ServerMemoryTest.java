package dev.termlet.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** Several server processes (a cluster's nodes) read as the sums of their figures; unknown stays unknown. */
class ServerMemoryTest {
    private static final long SELF = ProcessHandle.current().pid();

    @Test
    void noProcessIsUnknown() throws Exception {
        assertThat(ServerMemory.read(List.of())).isEqualTo(new ServerMemory(-1, -1, -1, -1));
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void twoProcessesAddUp() throws Exception {
        ServerMemory one = ServerMemory.read(SELF);
        ServerMemory twice = ServerMemory.read(List.of(SELF, SELF));
        assertThat(one.rssKiB()).isPositive();
        // the same process read twice, a moment apart: about twice its figures (RSS moves a little between reads)
        assertThat(twice.rssKiB()).isBetween(one.rssKiB() * 3 / 2, one.rssKiB() * 3);
        assertThat(twice.threads()).isGreaterThanOrEqualTo(2);
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void aProcessThatIsGoneMakesTheSumUnknown() throws Exception {
        long gone = new ProcessBuilder("true").start().onExit().get().pid();
        ServerMemory m = ServerMemory.read(List.of(SELF, gone));
        assertThat(m.rssKiB()).isEqualTo(-1);
        assertThat(m.threads()).isEqualTo(-1);
    }

    @Test
    void usedHeapIsReadForG1AndSummedOverSerialGenerationsOfJava17And25() {
        String g1 = "123:\n garbage-first heap   total 262144K, used 14162K [0x0, 0x0)\n"
                + "  region size 1024K, 2 young (2048K), 0 survivors (0K)\n"
                + " Metaspace       used 30000K, committed 30500K, reserved 1114112K\n";
        String serial = "456:\n def new generation   total 116224K, used 100K [0x0, 0x0, 0x0)\n"
                + "  eden space 103360K,   0% used [0x0, 0x0, 0x0)\n"
                + " tenured generation   total 258048K, used 172798K [0x0, 0x0, 0x0)\n"
                + " Metaspace       used 30000K, committed 30500K, reserved 1114112K\n";
        assertThat(ServerMemory.usedHeapKiB(g1)).isEqualTo(14162);
        assertThat(ServerMemory.usedHeapKiB(serial)).isEqualTo(172898);
        String serial25 = "789:\nDefNew     total 116160K, used 18974K [0x0, 0x0, 0x0)\n"
                + " eden space 103296K,  16% used [0x0, 0x0, 0x0)\n"
                + "Tenured    total 258048K, used 8146K [0x0, 0x0, 0x0)\n";
        assertThat(ServerMemory.usedHeapKiB(serial25)).isEqualTo(27120);
        assertThat(ServerMemory.usedHeapKiB("no heap here")).isEqualTo(-1);
    }
}
