package dev.termlet.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.termlet.event.EventRegistry;
import dev.termlet.event.EventType;
import dev.termlet.event.Events;
import dev.termlet.fileops.FileEvents;
import dev.termlet.fileops.FileOperation;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every event handler name Syncplify Server! documents (parsed from the seed, {@code /work/shared/seeds/
 * syncplify-event-handlers.txt}, or the names kept with the tests where the seed is absent) resolves to a Termlet
 * event, and that event is fired somewhere: its constant is an argument of a firing call ({@code fire},
 * {@code fireOn}, {@code pre}, {@code post}, ...) in the main code of the framework, the file operations or the web
 * side, directly, or through a local {@code EventType} variable, or through a method of the same file whose
 * {@code EventType} parameter such a call takes. An event that is registered but never fired has no such call, and
 * fails the test. There are no exceptions: the share handlers ({@code Shr*}) are the web side's
 * {@link ShareEvents}. It lives in the web module because only here are all three modules' events registered.
 */
class SyncplifySeedTest {
    private static final Path SEED = Path.of("/work/shared/seeds/syncplify-event-handlers.txt");

    /** A handler name: Before/After/On and a capitalised word, glued to its description in the seed's table. */
    private static final Pattern ROW = Pattern.compile("^((?:Before|After|On)[A-Z][A-Za-z0-9]*?)(Triggered\\b.*)$");

    /**
     * Calls that fire the event they are given: the dispatcher's, the extension context's, the gate's (its
     * {@code begin} and {@code end} fire the events of the {@link FileOperation} they are given, as does an
     * upload's {@code settle}; FTP's {@code pending} keeps the operation that {@code afterCommand} ends).
     */
    private static final Pattern FIRING = Pattern.compile(
            "\\b(fire|fireOn|fireReporting|fireBeforeSession|queue|pre|post|begin|end|settle|pending)\\s*\\("
                    + "|\\bEventValues\\s*\\.\\s*(of|withMap)\\s*\\(");

    /**
     * The handler names of the seed: the rows of its table (name glued to a description that starts with
     * "Triggered"), after the "ConstantDescription" header; page chrome around it is ignored.
     */
    static List<String> handlerNames(String seed) {
        List<String> names = new ArrayList<>();
        boolean table = false;
        for (String raw : seed.split("\\R")) {
            String line = raw.strip().replace("\u00a0", " ");
            if (line.replace(" ", "").replace("\t", "").equalsIgnoreCase("ConstantDescription")) {
                table = true;
                continue;
            }
            if (!table || line.isEmpty()) {
                continue;
            }
            // a row may be tab-separated, or the name glued to its description
            String first = line.split("[\\t|]", 2)[0].strip();
            Matcher m = ROW.matcher(line.replace("\t", "").replace("|", ""));
            if (first.matches("(?:Before|After|On)[A-Z][A-Za-z0-9]*") && !first.equals(line)) {
                names.add(first);
            } else if (m.matches()) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    /**
     * The handler names: parsed from the seed when it is there (and then the same as the list kept with the tests),
     * else the list kept with the tests ({@code syncplify-handler-names.txt}).
     */
    private static List<String> seedNames() throws IOException {
        List<String> kept;
        try (var in = SyncplifySeedTest.class.getResourceAsStream("/syncplify-handler-names.txt")) {
            assertThat(in).as("syncplify-handler-names.txt on the test class path").isNotNull();
            kept = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#")).collect(Collectors.toList());
        }
        if (!Files.exists(SEED)) {
            return kept;
        }
        List<String> parsed = handlerNames(Files.readString(SEED, StandardCharsets.UTF_8));
        assertThat(kept).as("syncplify-handler-names.txt agrees with the seed").isEqualTo(parsed);
        return parsed;
    }

    @Test
    void theSeedParserFindsEveryRowOfTheTable() {
        String sample = "Skip to content\n\nEvent-Handlers\n\nBelow you will find a list\n\nConstantDescription\n"
                + "OnNewConnectionTriggered immediately when a new incoming connection arrives\n"
                + "OnAuthPKITriggered when a user attempts PKI authentication (SSH-2 only)\n"
                + "BeforeRenameDir\tTriggered before a directory is renamed\n"
                + "AfterShrZipDownloadTriggered after a zip file is downloaded from a shared object";
        assertThat(handlerNames(sample)).containsExactly("OnNewConnection", "OnAuthPKI", "BeforeRenameDir",
                "AfterShrZipDownload");
    }

    @Test
    void theFiredCheckTellsFiringCallsFromOtherUses() {
        String defined = "class A { void f() { if (ctx.listens(FileEvents.PRE_MODIFY)) { log(); } "
                + "types.add(FileEvents.PRE_MODIFY); } }";
        assertThat(fired("FileEvents.PRE_MODIFY", Map.of("A.java", strip(defined)))).isFalse();
        assertThat(fired("FileEvents.PRE_MODIFY", Map.of("A.java", strip("class A { void f() {"
                + " // gate.pre(FileEvents.PRE_MODIFY, s, e);\n String t = \"gate.pre(FileEvents.PRE_MODIFY)\"; } }"))))
                .as("comments and strings do not count").isFalse();
        assertThat(fired("Events.RENAME", Map.of("A.java", strip("class A { void f() {"
                + " gate.post(FileEvents.RENAME, s, e, null, 0); } }")))).as("another class's constant").isFalse();
        assertThat(fired("FileEvents.PRE_MODIFY", Map.of("A.java", strip("class A { void f() {"
                + " gate.pre(modify ? FileEvents.PRE_MODIFY\n : FileEvents.PRE_UPLOAD, s, e); } }")))).isTrue();
        assertThat(fired("FileEvents.MODIFY", Map.of("A.java", strip("class A { void f() {"
                + " EventType type = m ? FileEvents.MODIFY : FileEvents.UPLOAD; gate.post(type, s, e, null, 0); } }"))))
                .isTrue();
        assertThat(fired("Events.OPEN_FORWARD_LOCAL", Map.of("A.java", strip("class A { boolean f() {"
                + " return allowed(s, Events.OPEN_FORWARD_LOCAL, a); }"
                + " private boolean allowed(Session s, EventType event, Object a) { return fire(c, event, a); } }"))))
                .isTrue();
    }

    @Test
    void everySyncplifyHandlerResolvesToAnEventThatIsFired() throws IOException {
        List<String> names = seedNames();
        assertThat(names).as("the seed's rows").hasSizeGreaterThan(60).doesNotHaveDuplicates()
                .contains("OnNewConnection", "BeforeRenameDir", "AfterModifyFile", "AfterShrZipDownload");
        EventRegistry registry = EventRegistry.standard();
        Map<EventType, String> constants = constants();
        Map<String, String> sources = mainSources();
        List<String> problems = new ArrayList<>();
        for (String name : names) {
            EventType type = registry.find(name).orElse(null);
            if (type == null) {
                problems.add(name + ": no Termlet event" + registry.suggest(name).map(s -> " (did you mean " + s
                        + "?)").orElse(""));
                continue;
            }
            String constant = constants.get(type);
            if (constant == null) {
                problems.add(name + " -> " + type.name() + ": no constant in Events, FileEvents or ShareEvents");
            } else if (!fired(constant, sources) && !firedByOperation(type, sources)) {
                problems.add(name + " -> " + type.name() + ": " + constant + " is never passed to a firing call");
            }
        }
        assertThat(problems).as("Syncplify handler names that do not work").isEmpty();
        assertThat(names.stream().filter(n -> n.contains("Shr"))).as("the share handlers are among them").hasSize(11)
                .allMatch(n -> registry.find(n).map(t -> ShareEvents.all().contains(t)).orElse(false));
    }

    /** Each event's constant, {@code Class.FIELD}. */
    private static Map<EventType, String> constants() throws IOException {
        Map<EventType, String> out = new LinkedHashMap<>();
        for (Class<?> c : List.of(Events.class, FileEvents.class, ShareEvents.class)) {
            for (Field f : c.getDeclaredFields()) {
                if (f.getType() == EventType.class && Modifier.isStatic(f.getModifiers())
                        && Modifier.isPublic(f.getModifiers())) {
                    try {
                        out.putIfAbsent((EventType) f.get(null), c.getSimpleName() + "." + f.getName());
                    } catch (IllegalAccessException e) {
                        throw new IOException(e);
                    }
                }
            }
        }
        return out;
    }

    /**
     * The main Java sources of the framework, the file operations and the web side, comments and string literals
     * removed; not the event definitions themselves, nor the code that only maps events to SFTPGo's forms and hook
     * bindings.
     */
    private static Map<String, String> mainSources() throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        for (String root : List.of("../framework/src/main/java", "../fileops/src/main/java", "src/main/java")) {
            try (Stream<Path> files = Files.walk(Path.of(root))) {
                for (Path p : files.filter(f -> f.toString().endsWith(".java")).collect(Collectors.toList())) {
                    String name = p.getFileName().toString();
                    if (List.of("Events.java", "FileEvents.java", "EventsReference.java", "SftpgoForms.java",
                            "Hooks.java", "HookRuntime.java", "FileOperation.java", "ShareEvents.java").contains(name)) {
                        continue;
                    }
                    out.put(p.toString(), strip(Files.readString(p, StandardCharsets.UTF_8)));
                }
            }
        }
        assertThat(out).as("main sources found").hasSizeGreaterThan(50);
        assertThat(out.keySet()).as("the web side's sources are among them")
                .anyMatch(p -> p.replace('\\', '/').endsWith("internal/share/ShareRoute.java"));
        return out;
    }

    private static String strip(String java) {
        return java.replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("//[^\\n]*", " ")
                .replaceAll("\"(?:\\\\.|[^\"\\\\])*\"", "\"\"");
    }

    /**
     * Whether a constant is fired: a statement (text between {@code ; { }}) that names it calls a firing method,
     * or it is assigned to a variable ({@code EventType x = ... ? C : D}) or given to a method whose
     * {@code EventType} parameter a statement of the same file passes to a firing call.
     */
    static boolean fired(String constant, Map<String, String> sources) {
        // the qualified name only (FileEvents.RENAME is not Events.RENAME; a bare name may be another class's)
        Pattern ref = Pattern.compile("(?<![\\w])" + Pattern.quote(constant) + "\\b");
        for (String text : sources.values()) {
            String[] statements = text.split("[;{}]");
            for (String st : statements) {
                if (!ref.matcher(st).find()) {
                    continue;
                }
                if (FIRING.matcher(st).find()) {
                    return true;
                }
                Matcher var = Pattern.compile("\\b(?:EventType|FileOperation)\\s+(\\w+)\\s*=").matcher(st);
                if (var.find() && passedToFiring(var.group(1), statements)) {
                    return true;
                }
                // given to a method of the same file whose EventType parameter it fires
                Matcher call = Pattern.compile("\\b(\\w+)\\s*\\(").matcher(st);
                while (call.find()) {
                    Matcher decl = Pattern.compile("\\b" + Pattern.quote(call.group(1))
                            + "\\s*\\([^)]*\\bEventType\\s+(\\w+)[^)]*\\)\\s*(?:throws[^{]*)?$").matcher("");
                    for (String d : statements) {
                        if (decl.reset(d.strip()).find() && passedToFiring(decl.group(1), statements)) {
                            return true;
                        }
                    }
                }
            }
        }
        return false;
    }

    /** Whether an event is one of a {@link FileOperation}'s and that operation is given to a firing call. */
    private static boolean firedByOperation(EventType type, Map<String, String> sources) {
        for (FileOperation op : FileOperation.values()) {
            if ((type.equals(op.before()) || type.equals(op.after()) || type.equals(op.failed()))
                    && fired("FileOperation." + op.name(), sources)) {
                return true;
            }
        }
        return false;
    }

    /** Whether a statement passes a variable to a firing call. */
    private static boolean passedToFiring(String variable, String[] statements) {
        Pattern use = Pattern.compile("\\b" + Pattern.quote(variable) + "\\b");
        for (String st : statements) {
            if (FIRING.matcher(st).find() && use.matcher(st).find() && !st.matches("(?s).*\\b(?:EventType|FileOperation)\\s+"
                    + Pattern.quote(variable) + "\\s*=.*")) {
                return true;
            }
        }
        return false;
    }
}
