package dev.termlet.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The WebDAV compliance suite litmus (neon) against {@code /dav/} over HTTPS: its groups basic, copymove, props and
 * locks all pass (http is run too and printed, not required). litmus has no option to skip certificate checks; it
 * trusts the server's self-signed certificate through OpenSSL's {@code SSL_CERT_FILE}.
 */
class DavLitmusTest {
    @TempDir
    Path data;
    @TempDir
    Path work;

    @Test
    void litmusPassesBasicCopymovePropsAndLocks() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/litmus")),
                "litmus is not installed (apt-get install litmus); CI installs it through .ci/run");
        try (WebFixture f = WebFixture.start(data, w -> w)) {
            Path pem = DavTools.pemFile(f, work);
            ProcessBuilder pb = new ProcessBuilder("/usr/bin/litmus", "-k", f.base() + "/dav/", "alice", "pw")
                    .directory(work.toFile()).redirectErrorStream(true);
            pb.environment().put("SSL_CERT_FILE", pem.toString());
            pb.environment().put("TESTS", "basic copymove props locks http");
            Process p = pb.start();
            String out;
            try (InputStream in = p.getInputStream()) {
                out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            assertThat(p.waitFor(10, TimeUnit.MINUTES)).isTrue();
            Files.writeString(Path.of("target", "litmus-output.txt"), out);
            System.out.println(out);
            Map<String, int[]> groups = summaries(out);
            for (String g : new String[] {"basic", "copymove", "props", "locks"}) {
                assertThat(groups).as("litmus ran %s:%n%s", g, out).containsKey(g);
                int[] r = groups.get(g);
                assertThat(r[2]).as("failures in %s:%n%s", g, out).isZero();
                assertThat(r[1]).as("passed in %s", g).isEqualTo(r[0]).isPositive();
            }
        }
    }

    /** @return per group: tests run, passed, failed */
    static Map<String, int[]> summaries(String out) {
        Map<String, int[]> m = new LinkedHashMap<>();
        Matcher s = Pattern.compile("<- summary for `(\\w+)': of (\\d+) tests run: (\\d+) passed, (\\d+) failed")
                .matcher(out);
        while (s.find()) {
            m.put(s.group(1), new int[] {Integer.parseInt(s.group(2)), Integer.parseInt(s.group(3)),
                Integer.parseInt(s.group(4))});
        }
        return m;
    }
}
