package dev.termlet.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A fenced block of the docs that shows a file of the repository is that file, character for character. Such a
 * block is marked by a comment on the line right before its fence, which Markdown does not render:
 *
 * <pre>
 * &lt;!-- file: examples/getting-started/pom.xml --&gt;
 * ```xml
 * ...
 * ```
 * </pre>
 *
 * The block holds the file's lines, each of which ends with a line break in the file. A Java block so marked is
 * left out of {@link DocsExamplesTest} (the file is compiled and tested by its own build, and
 * {@code ExamplesTest} compiles it against the reactor's modules). docs/getting-started.md shows the whole of
 * {@code examples/getting-started}: its POM and every file under {@code src/main}.
 */
class DocFilesTest {
    private static final Path ROOT = Path.of("..");

    /** A file marker followed by a fenced block: group 1 the path, group 2 the block's text. */
    static final Pattern FILE_BLOCK = Pattern.compile(
            "(?m)^<!-- file: (\\S+) -->\\n```[\\w-]*\\n((?s:.*?))^```$");
    private static final Pattern MARKER = Pattern.compile("(?m)^<!-- file: .*$");

    /** A file block of a doc. */
    private record Block(Path doc, int line, String path, String text) {
        String where() {
            return ROOT.relativize(doc) + " line " + line;
        }
    }

    private static List<Block> blocks(Path doc) throws IOException {
        String md = Files.readString(doc, StandardCharsets.UTF_8);
        List<Block> blocks = new ArrayList<>();
        Matcher m = FILE_BLOCK.matcher(md);
        while (m.find()) {
            int line = (int) md.substring(0, m.start()).chars().filter(c -> c == '\n').count() + 1;
            blocks.add(new Block(doc, line, m.group(1), m.group(2)));
        }
        return blocks;
    }

    private static List<Path> docs() throws IOException {
        try (Stream<Path> files = Files.list(ROOT.resolve("docs"))) {
            List<Path> docs = files.filter(p -> p.toString().endsWith(".md")).sorted()
                    .collect(Collectors.toCollection(ArrayList::new));
            docs.add(ROOT.resolve("README.md"));
            return docs;
        }
    }

    /**
     * What is wrong with a block: the file is missing, or where the block first differs from it; null when the block
     * is the file.
     */
    private static String problem(Block b) throws IOException {
        if (b.path().contains("..") || b.path().startsWith("/")) {
            return b.where() + ": " + b.path() + " must be a path inside the repository";
        }
        Path file = ROOT.resolve(b.path());
        if (!Files.isRegularFile(file)) {
            return b.where() + ": there is no file " + b.path();
        }
        String content = Files.readString(file, StandardCharsets.UTF_8);
        if (content.equals(b.text())) {
            return null;
        }
        String[] shown = b.text().split("\n", -1);
        String[] actual = content.split("\n", -1);
        for (int i = 0; i < Math.max(shown.length, actual.length); i++) {
            String s = i < shown.length ? shown[i] : "(end of block)";
            String a = i < actual.length ? actual[i] : "(end of file)";
            if (!s.equals(a)) {
                return b.where() + ": the block differs from " + b.path() + " at its line " + (i + 1)
                        + "\n  doc:  " + s + "\n  file: " + a;
            }
        }
        return b.where() + ": the block differs from " + b.path();
    }

    /** Copies each marked file into its block: {@code -Dtermlet.updateDocs=true} after changing an example. */
    private static void update(Path doc) throws IOException {
        String md = Files.readString(doc, StandardCharsets.UTF_8);
        Matcher m = FILE_BLOCK.matcher(md);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            Path file = ROOT.resolve(m.group(1));
            String text = Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8) : m.group(2);
            m.appendReplacement(sb, Matcher.quoteReplacement(
                    md.substring(m.start(), m.start(2)) + text + md.substring(m.end(2), m.end())));
        }
        String updated = m.appendTail(sb).toString();
        if (!updated.equals(md)) {
            Files.writeString(doc, updated, StandardCharsets.UTF_8);
        }
    }

    @Test
    void everyFileBlockIsTheFile() throws IOException {
        List<String> problems = new ArrayList<>();
        int blocks = 0;
        for (Path doc : docs()) {
            if (Boolean.getBoolean("termlet.updateDocs")) {
                update(doc);
            }
            for (Block b : blocks(doc)) {
                blocks++;
                String p = problem(b);
                if (p != null) {
                    problems.add(p);
                }
            }
        }
        assertThat(blocks).as("file blocks in the docs").isGreaterThanOrEqualTo(3);
        assertThat(problems).as("file blocks that are not their files (run this test with -Dtermlet.updateDocs=true"
                + " to copy the files into the docs)").isEmpty();
    }

    @Test
    void everyFileMarkerIsRightBeforeAFence() throws IOException {
        List<String> loose = new ArrayList<>();
        for (Path doc : docs()) {
            String md = Files.readString(doc, StandardCharsets.UTF_8);
            long markers = MARKER.matcher(md).results().count();
            if (markers != blocks(doc).size()) {
                loose.add(ROOT.relativize(doc) + ": " + markers + " file markers, " + blocks(doc).size()
                        + " of them right before a fenced block");
            }
        }
        assertThat(loose).isEmpty();
    }

    @Test
    void gettingStartedShowsTheWholeApp() throws IOException {
        Path example = ROOT.resolve("examples/getting-started");
        List<String> app = new ArrayList<>();
        app.add("examples/getting-started/pom.xml");
        try (Stream<Path> files = Files.walk(example.resolve("src/main"))) {
            files.filter(Files::isRegularFile).map(f -> ROOT.relativize(f).toString().replace('\\', '/'))
                    .sorted().forEach(app::add);
        }
        List<String> shown = blocks(ROOT.resolve("docs/getting-started.md")).stream().map(Block::path).toList();
        assertThat(app).as("the files of the getting-started app").contains(
                "examples/getting-started/src/main/java/com/example/Hello.java");
        assertThat(shown).as("the files docs/getting-started.md shows").containsAll(app);
    }

    @Test
    void theBlockPatternFindsABlockAndItsEnd() {
        String md = "text\n<!-- file: a/b.txt -->\n```xml\none\n  two\n```\nmore\n```java\nother\n```\n";
        Matcher m = FILE_BLOCK.matcher(md);
        assertThat(m.find()).isTrue();
        assertThat(m.group(1)).isEqualTo("a/b.txt");
        assertThat(m.group(2)).isEqualTo("one\n  two\n");
        assertThat(m.find()).isFalse();
    }
}
