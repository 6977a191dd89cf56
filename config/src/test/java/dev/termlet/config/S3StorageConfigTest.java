package dev.termlet.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.termlet.Termlet;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fileops.storage}: checked whole, and applied as termlet-s3's storage (its S3 side is tested there). */
class S3StorageConfigTest {
    private static final String SECRET = "s3-secret-Wq8vYt3nRp";

    @TempDir
    Path data;

    private static List<ConfigProblem> problems(String yaml) {
        try {
            TermletConfig.loader().yaml(yaml, "termlet.yaml").environment(Map.of("K", SECRET))
                    .systemProperties(Map.of()).load();
        } catch (ConfigException e) {
            assertThat(e.getMessage()).doesNotContain(SECRET);
            return e.problems();
        }
        throw new AssertionError("no problem found in " + yaml);
    }

    @Test
    void anS3StorageNeedsABucketAndBothKeysOrNeither() {
        List<ConfigProblem> p = problems("fileops:\n  enabled: true\n  storage:\n    type: s3\n"
                + "    endpoint: ftp://nowhere\n    secret-key: ${env:K}\n");
        assertThat(p).extracting(ConfigProblem::key).contains("fileops.storage.bucket", "fileops.storage.endpoint",
                "fileops.storage.access-key");
        assertThat(problems("fileops:\n  enabled: true\n  storage:\n    type: nfs\n")).extracting(ConfigProblem::key)
                .containsExactly("fileops.storage.type");
    }

    @Test
    void anS3StorageIsAppliedAndAnUnreachableBucketStopsTheStartWithoutItsKeys() {
        TermletConfig c = TermletConfig.loader().yaml("fileops:\n  enabled: true\n  storage:\n    type: s3\n"
                + "    bucket: files\n    endpoint: http://127.0.0.1:1\n    path-style: true\n    prefix: homes/\n"
                + "    access-key: ${env:A}\n    secret-key: ${env:K}\n", "termlet.yaml")
                .environment(Map.of("A", "access", "K", SECRET)).systemProperties(Map.of()).load();
        assertThat(c.fileOps()).isPresent();
        assertThatThrownBy(() -> Termlet.server().port(0).dataDir(data).extension(c.fileOps().get()).build().start())
                .hasStackTraceContaining("the bucket files cannot be used")
                .satisfies(e -> assertThat(String.valueOf(e)).doesNotContain(SECRET));
    }
}
