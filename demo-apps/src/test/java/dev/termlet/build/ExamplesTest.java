package dev.termlet.build;

import static dev.termlet.build.PublishedModulesTest.child;
import static dev.termlet.build.PublishedModulesTest.childElement;
import static dev.termlet.build.PublishedModulesTest.read;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The projects in examples/ are what a user would write: each a standalone Maven project with no parent, built by
 * examples/pom.xml (which the root reactor does not include), that takes Termlet's versions from the BOM at this
 * reactor's version and pins every plugin it uses (older Maven versions default to plugins too old for Java 17).
 * Their sources compile against this reactor's modules, so a change of the public API that breaks them fails here,
 * not only in their own build ({@code mvn -f examples/pom.xml verify}, after {@code mvn install}).
 */
class ExamplesTest {
    private static final Path ROOT = Path.of("..");
    private static final Path EXAMPLES = ROOT.resolve("examples");
    /** The plugins of the lifecycles a user runs (clean, install, deploy, site), used without being declared. */
    private static final List<String> LIFECYCLE_PLUGINS = List.of("maven-clean-plugin", "maven-resources-plugin",
            "maven-compiler-plugin", "maven-surefire-plugin", "maven-jar-plugin", "maven-install-plugin",
            "maven-deploy-plugin", "maven-site-plugin");
    private static final Pattern PROPERTY = Pattern.compile("\\$\\{([^}]+)}");

    @TempDir
    Path out;

    /** The examples: the folders of examples/ with a pom.xml. */
    private static List<Path> examples() throws IOException {
        try (Stream<Path> dirs = Files.list(EXAMPLES)) {
            return dirs.filter(d -> Files.isRegularFile(d.resolve("pom.xml"))).sorted().toList();
        }
    }

    private static List<Element> elements(Element parent, String name) {
        List<Element> all = new ArrayList<>();
        if (parent == null) {
            return all;
        }
        NodeList nodes = parent.getElementsByTagName(name);
        for (int i = 0; i < nodes.getLength(); i++) {
            all.add((Element) nodes.item(i));
        }
        return all;
    }

    /** A value with {@code ${property}} replaced from the POM's properties. */
    private static String resolve(Element project, String value) {
        Element props = childElement(project, "properties");
        Matcher m = PROPERTY.matcher(value);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String v = props == null ? null : child(props, m.group(1));
            m.appendReplacement(sb, Matcher.quoteReplacement(v == null ? m.group() : v));
        }
        return m.appendTail(sb).toString();
    }

    @Test
    void theAggregatorBuildsEveryExampleAndTheReactorNone() throws Exception {
        Element aggregator = read(EXAMPLES.resolve("pom.xml")).getDocumentElement();
        assertThat(child(aggregator, "packaging")).isEqualTo("pom");
        assertThat(childElement(aggregator, "parent")).isNull();
        List<String> modules = elements(childElement(aggregator, "modules"), "module").stream()
                .map(e -> e.getTextContent().strip()).sorted().toList();
        List<String> examples = examples().stream().map(d -> d.getFileName().toString()).toList();
        assertThat(examples).contains("getting-started");
        assertThat(modules).as("examples/pom.xml's modules").isEqualTo(examples);

        List<String> reactor = elements(read(ROOT.resolve("pom.xml")).getDocumentElement(), "module").stream()
                .map(e -> e.getTextContent().strip()).toList();
        assertThat(reactor).noneMatch(m -> m.startsWith("examples"));
    }

    @Test
    void everyExampleIsStandaloneAndUsesTheBomAtThisVersion() throws Exception {
        String version = child(read(ROOT.resolve("pom.xml")).getDocumentElement(), "version");
        for (Path example : examples()) {
            Element project = read(example.resolve("pom.xml")).getDocumentElement();
            String name = example.getFileName().toString();
            assertThat(childElement(project, "parent")).as(name + ": a parent").isNull();

            Element bom = null;
            for (Element d : elements(childElement(project, "dependencyManagement"), "dependency")) {
                if ("termlet-bom".equals(child(d, "artifactId"))) {
                    bom = d;
                }
            }
            assertThat(bom).as(name + " imports termlet-bom").isNotNull();
            assertThat(child(bom, "groupId")).isEqualTo("dev.termlet");
            assertThat(child(bom, "type")).isEqualTo("pom");
            assertThat(child(bom, "scope")).isEqualTo("import");
            assertThat(resolve(project, child(bom, "version"))).as(name + ": termlet-bom's version")
                    .isEqualTo(version);

            Element deps = childElement(project, "dependencies");
            for (Element d : elements(deps, "dependency")) {
                if ("dev.termlet".equals(child(d, "groupId"))) {
                    assertThat(child(d, "version")).as(name + ": " + child(d, "artifactId")
                            + " takes its version from the BOM").isNull();
                }
            }
        }
    }

    @Test
    void everyExamplePinsEveryPluginItUses() throws Exception {
        for (Path example : examples()) {
            Element project = read(example.resolve("pom.xml")).getDocumentElement();
            String name = example.getFileName().toString();
            Element build = childElement(project, "build");
            assertThat(build).as(name + ": build").isNotNull();
            Set<String> used = new LinkedHashSet<>(LIFECYCLE_PLUGINS);
            Set<String> pinned = new LinkedHashSet<>();
            for (Element p : elements(childElement(build, "pluginManagement"), "plugin")) {
                if (child(p, "version") != null) {
                    pinned.add(child(p, "artifactId"));
                }
            }
            for (Element p : elements(childElement(build, "plugins"), "plugin")) {
                used.add(child(p, "artifactId"));
                if (child(p, "version") != null) {
                    pinned.add(child(p, "artifactId"));
                }
            }
            assertThat(pinned).as(name + ": the plugins with a version").containsAll(used);

            Element compiler = elements(build, "plugin").stream()
                    .filter(p -> "maven-compiler-plugin".equals(child(p, "artifactId"))
                            && childElement(p, "configuration") != null)
                    .findFirst().orElseThrow(() -> new AssertionError(name + ": no compiler configuration"));
            assertThat(child(childElement(compiler, "configuration"), "release")).as(name + ": javac --release")
                    .isEqualTo("17");
        }
    }

    @Test
    void everyExampleCompilesAgainstThisReactor() throws Exception {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        List<String> errors = new ArrayList<>();
        for (Path example : examples()) {
            List<Path> sources = new ArrayList<>();
            for (String dir : List.of("src/main/java", "src/test/java")) {
                if (Files.isDirectory(example.resolve(dir))) {
                    try (Stream<Path> files = Files.walk(example.resolve(dir))) {
                        files.filter(f -> f.toString().endsWith(".java")).forEach(sources::add);
                    }
                }
            }
            assertThat(sources).as(example + ": Java sources").isNotEmpty();
            Path classes = Files.createDirectories(out.resolve(example.getFileName().toString()));
            DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
            try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT, null)) {
                boolean ok = javac.getTask(null, files, diagnostics, List.of("--release", "17", "-proc:none",
                        "-d", classes.toString(), "-classpath", System.getProperty("java.class.path")), null,
                        files.getJavaFileObjectsFromPaths(sources)).call();
                for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
                    if (d.getKind() == Diagnostic.Kind.ERROR) {
                        errors.add(d.getSource().getName() + ":" + d.getLineNumber() + ": "
                                + d.getMessage(Locale.ROOT));
                    }
                }
                if (!ok && errors.isEmpty()) {
                    errors.add(example + ": javac failed");
                }
            }
        }
        assertThat(errors).as("examples that do not compile against this reactor's modules").isEmpty();
    }
}
