package dev.termlet.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every Java example in docs/ compiles against the current code. Examples may leave out the obvious:
 * {@code ...} stands for code that does not matter, common imports are added (after them, those the example
 * declares), a fragment of statements is
 * compiled inside a method that has {@code client}, {@code terminal}, {@code server} and a few more, and a
 * fragment of members inside a class. Names an example only mentions ({@code copy(f)}, {@code ldap}) come
 * from {@link DocStubs}. A block marked as a file of the repository ({@link DocFilesTest}) is left out: its own build
 * compiles it.
 */
class DocsExamplesTest {
    private static final Pattern BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);
    private static final String IMPORTS = String.join("\n",
            "package docs;",
            "import dev.termlet.*;",
            "import dev.termlet.annotations.*;",
            "import dev.termlet.annotations.Command;",
            "import dev.termlet.annotations.Option;",
            "import dev.termlet.auth.*;",
            "import dev.termlet.cluster.*;",
            "import dev.termlet.config.*;",
            "import dev.termlet.event.*;",
            "import dev.termlet.fileops.*;",
            "import dev.termlet.protector.*;",
            "import dev.termlet.s3.*;",
            "import dev.termlet.terminal.*;",
            "import dev.termlet.web.*;",
            "import java.nio.file.*;",
            "import java.time.*;",
            "import java.util.*;",
            "import java.util.stream.*;",
            "import org.jline.terminal.Terminal;",
            "import org.jline.utils.*;",
            "import static docs.DocStubs.*;",
            "");

    @TempDir
    Path out;

    /** One example, where it comes from and its Java source. */
    private record Example(String where, String className, String source) {}

    private static List<Example> examples() throws IOException {
        List<Example> all = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of("..", "docs"))) {
            for (Path doc : (Iterable<Path>) files.sorted()::iterator) {
                if (!doc.toString().endsWith(".md")) {
                    continue;
                }
                String md = Files.readString(doc, StandardCharsets.UTF_8);
                Matcher m = BLOCK.matcher(md);
                int n = 0;
                while (m.find()) {
                    n++;
                    if (markedAsFile(md, m.start())) {
                        continue;
                    }
                    String name = doc.getFileName().toString().replaceAll("[^A-Za-z0-9]", "_") + "_" + n;
                    all.add(wrap(doc.getFileName() + " example " + n, "Ex_" + name, m.group(1)));
                }
            }
        }
        return all;
    }

    /**
     * Whether the line before the fence at {@code fence} marks the block as a file of the repository: such a block
     * is checked by {@link DocFilesTest} and compiled by its own build.
     */
    private static boolean markedAsFile(String md, int fence) {
        if (fence == 0) {
            return false;
        }
        int start = md.lastIndexOf('\n', fence - 2) + 1;
        return md.substring(start, fence - 1).startsWith("<!-- file: ");
    }

    private static Example wrap(String where, String className, String code) {
        String body = code.replaceAll("\\{\\s*\\.\\.\\.\\s*}", "{ }")
                .replaceAll("(?m)^\\s*\\.\\.\\.\\s*$", "")
                .replaceAll("\\.\\.\\.\\s*(?=[a-zA-Z])", "")
                .replaceAll("(?m)^\\s*\\.\\.\\.\\s*(//.*)?$", "");
        // an example's own imports (picocli's CommandLine, say) come after the common ones
        StringBuilder own = new StringBuilder();
        Matcher imports = Pattern.compile("(?m)^import .*;$").matcher(body);
        while (imports.find()) {
            own.append(imports.group()).append('\n');
        }
        body = body.replaceAll("(?m)^import .*;$", "");
        String header = IMPORTS + own;
        String trimmed = body.strip();
        String source;
        if (Pattern.compile("(?m)^\\s*(public\\s+)?(final\\s+)?class\\s+\\w+").matcher(body).find()) {
            String cls = body.replaceAll("(?m)^package .*;$", "");
            Matcher nameMatch = Pattern.compile("class\\s+(\\w+)").matcher(cls);
            nameMatch.find();
            String declared = nameMatch.group(1);
            className = declared + "_" + Math.abs(where.hashCode());
            // the class's name, its constructors and the calls to them
            cls = cls.replaceFirst("(public\\s+)?class\\s+" + declared + "\\b", "class " + className)
                    .replaceAll("\\b" + declared + "(\\s*\\()", className + "$1");
            source = header + cls;
        } else if (trimmed.startsWith("@") || trimmed.matches("(?s)^(public |private |static )*[\\w<>\\[\\], ]+\\s+\\w+\\(.*")) {
            source = header + "class " + className + " {\n" + body + "\n}\n";
        } else {
            String server = body.contains("TermletServer server =") ? "" : " TermletServer server,";
            source = header + "class " + className + " {\n"
                    + "  @SuppressWarnings(\"unused\") void run(Client client, Terminal terminal," + server
                    + " List<Path> files) throws Exception {\n" + body + "\n  }\n}\n";
        }
        return new Example(where, className, source);
    }

    @Test
    void everyJavaExampleInTheDocsCompiles() throws Exception {
        List<Example> examples = examples();
        assertThat(examples).hasSizeGreaterThan(10);
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        List<JavaFileObject> units = new ArrayList<>();
        for (Example e : examples) {
            units.add(new SimpleJavaFileObject(URI.create("string:///docs/" + e.className() + ".java"),
                    JavaFileObject.Kind.SOURCE) {
                @Override
                public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                    return e.source();
                }
            });
        }
        units.add(new SimpleJavaFileObject(URI.create("string:///docs/DocStubs.java"), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return DocStubs.SOURCE;
            }
        });
        boolean ok = compiler.getTask(null, null, diagnostics, List.of("-d", out.toString(), "-proc:none",
                "-classpath", System.getProperty("java.class.path")), null, units).call();
        List<String> errors = new ArrayList<>();
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            if (d.getKind() == Diagnostic.Kind.ERROR) {
                String unit = d.getSource() == null ? "?" : d.getSource().getName();
                String where = examples.stream().filter(e -> unit.contains(e.className())).map(Example::where)
                        .findFirst().orElse(unit);
                errors.add(where + " line " + d.getLineNumber() + ": " + d.getMessage(Locale.ROOT));
            }
        }
        assertThat(errors).as("docs examples that do not compile").isEmpty();
        assertThat(ok).isTrue();
    }
}
