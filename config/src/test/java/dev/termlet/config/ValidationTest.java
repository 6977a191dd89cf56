package dev.termlet.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a wrong configuration is told: the key, the line, the fix; and how values are read and overridden. */
class ValidationTest {
    @TempDir
    Path dir;

    private static TermletConfig yaml(String text) {
        return yaml(text, Map.of(), Map.of());
    }

    private static TermletConfig yaml(String text, Map<String, String> env, Map<String, String> props) {
        return TermletConfig.loader().yaml(text, "termlet.yaml").environment(env).systemProperties(props).load();
    }

    private static List<ConfigProblem> problems(String text) {
        return problems(text, Map.of());
    }

    private static List<ConfigProblem> problems(String text, Map<String, String> env) {
        try {
            yaml(text, env, Map.of());
        } catch (ConfigException e) {
            return e.problems();
        }
        throw new AssertionError("no problem found in " + text);
    }

    @Test
    void anEmptyFileIsAllDefaults() {
        ServerConfig c = yaml("").model();
        assertThat(c.listeners()).containsExactly(new ServerConfig.Listener("127.0.0.1", 2222));
        assertThat(c.dataDir()).isEqualTo(Path.of("termlet-data"));
        assertThat(c.prompt()).isEqualTo("> ");
        assertThat(c.limits().maxSessions()).isEqualTo(1000);
        assertThat(c.limits().maxStartups()).isEqualTo("10:30:100");
        assertThat(c.timeouts().auth()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.protector().maxBanTime()).isEqualTo(Duration.ofDays(7));
        assertThat(c.protector().failureDelay()).isEqualTo(Duration.ofMillis(250));
        assertThat(c.fileops().umask()).isEqualTo(0022);
        assertThat(c.fileops().enabled()).isFalse();
        assertThat(c.banner()).isNull();
        assertThat(c.hooks().postLogin().program()).isNull();
    }

    @Test
    void aTypoIsRefusedWithDidYouMean() {
        List<ConfigProblem> p = problems("limits:\n  max-sesions: 5\n  maxSessionsPerUser: 3\ndata-dri: x\n");
        assertThat(p).extracting(ConfigProblem::toString).containsExactly(
                "limits.max-sesions (termlet.yaml:2:3): unknown key 'max-sesions'. Fix: did you mean 'max-sessions'?",
                "limits.maxSessionsPerUser (termlet.yaml:3:3): unknown key 'maxSessionsPerUser'. Fix: did you mean"
                        + " 'max-sessions-per-user'?",
                "data-dri (termlet.yaml:4:1): unknown key 'data-dri'. Fix: did you mean 'data-dir'?");
        assertThat(problems("zebra: 1\n").get(0).fix()).startsWith("remove it; the keys here are 'listeners'");
    }

    @Test
    void aWrongTypeNamesTheKeyTheLineAndTheFix() {
        List<ConfigProblem> p = problems("listeners:\n  - address: 0.0.0.0\n    port: lots\n"
                + "timeouts:\n  auth: soon\nprotector:\n  enabled: yes please\n"
                + "fileops:\n  default-quota:\n    size: 10MB\n  umask: 999\nlimits: 5\n");
        assertThat(p).extracting(ConfigProblem::toString).containsExactly(
                "listeners[0].port (termlet.yaml:3:11): 'lots' is not a whole number. Fix: write digits only",
                "timeouts.auth (termlet.yaml:5:9): 'soon' is not a duration. Fix: write a number and a unit: 250ms,"
                        + " 30s, 5m, 1h30m, 7d",
                "protector.enabled (termlet.yaml:7:12): 'yes please' is not true or false. Fix: write true or false",
                "fileops.default-quota.size (termlet.yaml:10:11): '10MB' is ambiguous (1000 or 1024?). Fix: write"
                        + " 10MiB, sizes are 1024-based",
                "fileops.umask (termlet.yaml:11:10): '999' is not an octal mask. Fix: write up to four octal digits in"
                        + " quotes: \"022\"",
                "limits (termlet.yaml:12:9): expected a map of keys, found a value. Fix: write the keys below it,"
                        + " indented: 'max-sessions', 'max-sessions-per-address', 'max-sessions-per-user',"
                        + " 'max-startups', 'max-unauthenticated-per-address', 'max-channels-per-connection',"
                        + " 'max-auth-attempts', 'max-line-length', 'history-size'");
    }

    @Test
    void outOfRangeValuesAreRefused() {
        assertThat(problems("listeners: [{port: 70000}]\n")).extracting(ConfigProblem::toString).containsExactly(
                "listeners[0].port (termlet.yaml:1:20): 70000 is out of range. Fix: write a number from 0 to 65535");
        assertThat(problems("protector:\n  ipv6-prefix: 16\n").get(0).fix()).isEqualTo("write a number from 32 to 128");
        assertThat(problems("limits:\n  max-startups: 50:30:10\n").get(0).message())
                .contains("must not exceed full");
        assertThat(problems("timeouts:\n  auth: 0s\n").get(0).toString())
                .isEqualTo("timeouts.auth (termlet.yaml:2:9): the time must be more than 0. Fix: write a duration such"
                        + " as 30s");
    }

    @Test
    void namesTheFrameworkKnowsAreChecked() {
        List<ConfigProblem> p = problems("algorithms:\n  ciphers: [aes128-cbc]\nbuiltins:\n  disabled: [whom]\n"
                + "protector:\n  block-list: [300.1.1.1]\nhooks:\n  programs:\n    - path: /bin/true\n"
                + "      events: [uplod]\n  post-login: {program: /bin/true, scope: 5}\n"
                + "  post-connect: {program: hooks/x.sh}\n");
        assertThat(p).extracting(ConfigProblem::key).containsExactly("algorithms.ciphers", "builtins.disabled[0]",
                "protector.block-list[0]", "hooks.programs[0]", "hooks.post-login.scope",
                "hooks.post-connect.program");
        assertThat(p.get(4).fix()).isEqualTo("write a number from 0 to 2");
        assertThat(p.get(0).message()).contains("'aes128-cbc'").contains("supported: chacha20-poly1305@openssh.com");
        assertThat(p.get(0).where()).isEqualTo("termlet.yaml:2:12");
        assertThat(p.get(3).message()).contains("unknown event 'uplod'; did you mean 'upload'?");
    }

    @Test
    void environmentAndSystemPropertiesOverrideTheFileInThatOrder() {
        String file = "limits:\n  max-sessions: 10\n  max-sessions-per-user: 3\nprotector:\n  block-list: [192.0.2.1]\n";
        TermletConfig c = yaml(file, Map.of("TERMLET_LIMITS_MAX_SESSIONS", "50", "TERMLET_LIMITS_MAX_SESSIONS_PER_USER",
                "4", "TERMLET_PROTECTOR_BLOCK_LIST", "192.0.2.7, 198.51.100.0/24", "TERMLET_LISTENERS_0_PORT", "2200",
                "TERMLET_LOGGING_LEVELS_ORG_APACHE_SSHD", "warn", "PATH", "/bin"),
                Map.of("termlet.limits.max-sessions", "60", "termlet.listeners[1].address", "::1",
                        "termlet.listeners[1].port", "2201"));
        ServerConfig m = c.model();
        assertThat(m.limits().maxSessions()).isEqualTo(60);
        assertThat(m.limits().maxSessionsPerUser()).isEqualTo(4);
        assertThat(m.protector().blockList()).containsExactly("192.0.2.7", "198.51.100.0/24");
        assertThat(m.listeners()).containsExactly(new ServerConfig.Listener("127.0.0.1", 2200),
                new ServerConfig.Listener("::1", 2201));
        assertThat(m.logging().levels()).containsEntry("org.apache.sshd", "warn");
        assertThat(c.origin("limits.max-sessions")).isEqualTo("system property termlet.limits.max-sessions");
        assertThat(c.origin("limits.max-sessions-per-user"))
                .isEqualTo("environment variable TERMLET_LIMITS_MAX_SESSIONS_PER_USER");
        assertThat(c.origin("data-dir")).isEqualTo("default");
    }

    @Test
    void aPropertyThatNamesNoKeyIsRefused() {
        assertThatThrownBy(() -> yaml("", Map.of(), Map.of("termlet.limits.max-sesions", "5")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("did you mean 'max-sessions'?");
    }

    @Test
    void aVariableThatNamesNoKeyIsAWarning() {
        TermletConfig c = yaml("", Map.of("TERMLET_LIMITS_MAX_SESIONS", "5", "TERMLET_CONFIG", "/etc/termlet.yaml"),
                Map.of());
        assertThat(c.warnings()).containsExactly("the environment variable TERMLET_LIMITS_MAX_SESIONS names no key and"
                + " is ignored; did you mean TERMLET_LIMITS_MAX_SESSIONS?");
        assertThat(c.model().limits().maxSessions()).isEqualTo(1000);
    }

    @Test
    void kubernetesServiceLinksDoNotStopTheServer() {
        Map<String, String> links = Map.of("TERMLET_SERVICE_HOST", "10.96.0.12", "TERMLET_SERVICE_PORT", "2222",
                "TERMLET_PORT", "tcp://10.96.0.12:2222", "TERMLET_PORT_2222_TCP", "tcp://10.96.0.12:2222",
                "TERMLET_PORT_2222_TCP_PROTO", "tcp", "TERMLET_PORT_2222_TCP_PORT", "2222",
                "TERMLET_PORT_2222_TCP_ADDR", "10.96.0.12", "TERMLET_LIMITS_MAX_SESSIONS", "50");
        TermletConfig c = yaml("", links, Map.of());
        assertThat(c.model().limits().maxSessions()).isEqualTo(50);
        assertThat(c.model().listeners()).containsExactly(new ServerConfig.Listener("127.0.0.1", 2222));
        assertThat(c.warnings()).hasSize(7).allMatch(w -> w.startsWith("the environment variable TERMLET_")
                && w.contains("names no key"));
    }

    @Test
    void secretsComeFromTheEnvironmentOrAFile() throws Exception {
        Path store = dir.resolve("tls.p12");
        Files.writeString(store, "not read here");
        Path secret = dir.resolve("password");
        Files.writeString(secret, "from-a-file\n");
        String base = "fileops:\n  enabled: true\n  ftp:\n    enabled: true\n    key-store: " + store + "\n";
        TermletConfig c = yaml(base + "    key-store-password: ${file:" + secret + "}\n");
        assertThat(c.model().fileops().ftp().keyStorePassword().reveal()).containsExactly("from-a-file".toCharArray());
        assertThat(c.model().fileops().ftp().keyStorePassword().toString()).doesNotContain("from-a-file")
                .contains("file " + secret);
        assertThat(c.warnings()).isEmpty();

        c = yaml(base + "    key-store-password: ${env:FTP_PASSWORD}\n", Map.of("FTP_PASSWORD", "from-env"), Map.of());
        assertThat(new String(c.model().fileops().ftp().keyStorePassword().reveal())).isEqualTo("from-env");

        c = yaml(base + "    key-store-password: written-here\n");
        assertThat(c.warnings()).singleElement().asString().startsWith("fileops.ftp.key-store-password"
                + " (termlet.yaml:6:25) is a secret written in the file; move it out: key-store-password: ${env:NAME}");

        assertThat(problems(base + "    key-store-password: ${env:NOPE}\n")).extracting(ConfigProblem::toString)
                .containsExactly("fileops.ftp.key-store-password (termlet.yaml:6:25): the environment variable 'NOPE'"
                        + " is not set. Fix: set it before starting the server, or give the value another way");
        assertThat(problems(base + "    key-store-password: ${file:/nonexistent/pw}\n").get(0).message())
                .startsWith("cannot read the file '/nonexistent/pw'");
        assertThat(problems(base).get(0).key()).isEqualTo("fileops.ftp.key-store-password");

        c = yaml("hooks:\n  http:\n    - url: https://hooks.example/x?token=abc\n      events: [upload]\n"
                + "    - url: https://hooks.example/y?token=${env:TOKEN}\n      events: [upload]\n"
                + "banner: costs $${env:HOME}\n", Map.of("TOKEN", "t0k"), Map.of());
        assertThat(c.model().hooks().http().get(1).url()).isEqualTo("https://hooks.example/y?token=t0k");
        assertThat(c.warnings()).singleElement().asString().startsWith("hooks.http[0].url (termlet.yaml:3:12)");
        assertThat(c.model().banner()).isEqualTo("costs ${env:HOME}");
    }

    @Test
    void yamlErrorsAndAMissingFileAreProblemsToo() {
        assertThat(problems("limits:\n  max-sessions: 5\n  max-sessions: 6\n").get(0).toString())
                .isEqualTo("limits.max-sessions (termlet.yaml:3:3): 'max-sessions' is written twice (first at line 2)."
                        + " Fix: keep one of them");
        assertThat(problems("limits: [\n").get(0).message()).startsWith("it is not valid YAML");
        assertThatThrownBy(() -> TermletConfig.load(dir.resolve("none.yaml"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("the file does not exist");
    }

    @Test
    void aTreeOfMapsBindsTheSameModel() {
        TermletConfig c = TermletConfig.from(Map.of("listeners", List.of(Map.of("address", "0.0.0.0", "port", 22)),
                "limits", Map.of("max-sessions", 7), "timeouts", Map.of("idle", "5m")), "application.yaml");
        assertThat(c.model().listeners().get(0).port()).isEqualTo(22);
        assertThat(c.model().limits().maxSessions()).isEqualTo(7);
        assertThat(c.model().timeouts().idle()).isEqualTo(Duration.ofMinutes(5));
        assertThatThrownBy(() -> TermletConfig.from(Map.of("limits", Map.of("max-sessions", -1)), "application.yaml"))
                .hasMessageContaining("limits.max-sessions (application.yaml limits.max-sessions): -1 is out of range");
    }

    @Test
    void aDurationLongerThanTenYearsIsRefused() {
        for (String yaml : List.of("timeouts:\n  idle: 106751991167301d\n", "reload:\n  interval: 9999999999999h\n",
                "timeouts:\n  idle: 99999999999999999999999d\n", "timeouts:\n  idle: 3650d1ms\n",
                "timeouts:\n  idle: 9223372036854775807s9223372036854775807s\n")) {
            List<ConfigProblem> p = problems(yaml);
            assertThat(p).hasSize(1);
            assertThat(p.get(0).message()).endsWith("is too long");
            assertThat(p.get(0).fix()).isEqualTo("write at most 3650d");
        }
        assertThat(yaml("timeouts:\n  idle: 3650d\n").model().timeouts().idle()).isEqualTo(Duration.ofDays(3650));
    }

    @Test
    void yamlAliasesAreRefused() {
        assertThat(problems("data-dir: *nothing\n")).extracting(ConfigProblem::toString).containsExactly(
                "data-dir (termlet.yaml:1:11): YAML aliases are not supported. Fix: write the value out");
        assertThat(problems("data-dir: &d /srv/termlet\nbanner: *d\n")).extracting(ConfigProblem::key)
                .containsExactly("banner");
        assertThat(yaml("prompt: \"*quoted* \"\n").model().prompt()).isEqualTo("*quoted* ");
    }

    @Test
    void aGreatManyProblemsAreCut() {
        StringBuilder yaml = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            yaml.append("k").append(i).append(": x\n");
        }
        ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
                () -> yaml(yaml.toString()));
        assertThat(e.problems()).hasSize(101);
        assertThat(e.problems().get(0).key()).isEqualTo("k0");
        assertThat(e.problems().get(100).toString())
                .isEqualTo("(termlet.yaml): ... and 19900 more problems. Fix: fix the ones above, then load it again");
        assertThat(e.getMessage()).startsWith("the configuration has 20000 problems:").hasSizeLessThan(100_000);
    }

    @Test
    void durationsSizesAndMasksAreReadAsWritten() {
        TermletConfig c = yaml("timeouts:\n  idle: 1h30m\nprotector:\n  failure-delay: 0\nfileops:\n  umask: \"0o077\"\n"
                + "  default-quota:\n    size: 512MiB\n    files: 10_000\n");
        assertThat(c.model().timeouts().idle()).isEqualTo(Duration.ofMinutes(90));
        assertThat(c.model().protector().failureDelay()).isZero();
        assertThat(c.model().fileops().umask()).isEqualTo(0077);
        assertThat(c.model().fileops().defaultQuota().size()).isEqualTo(512L << 20);
        assertThat(c.model().fileops().defaultQuota().files()).isEqualTo(10_000);
        assertThat(problems("timeouts:\n  idle: 5 minutes\n").get(0).message()).contains("is not a duration");
    }
}
