package dev.termlet.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.classgraph.ClassGraph;
import io.github.classgraph.ClassInfo;
import io.github.classgraph.ScanResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package rules of the published modules (framework, terminal, file ops, config, the Spring Boot starter), read from
 * their compiled classes:
 * <ul>
 *   <li>no public or protected member of a public API type shows an internal type;</li>
 *   <li>no API package but a module's root depends on an internal one;</li>
 *   <li>no package cycles, apart from the module's root package ({@code dev.termlet}, {@code dev.termlet.terminal},
 *       {@code dev.termlet.fileops}, {@code dev.termlet.config}, {@code dev.termlet.spring}, {@code dev.termlet.web}, {@code dev.termlet.cluster}, {@code dev.termlet.s3}), which holds both the
 *       entry point that assembles the internals and the core types they implement;</li>
 *   <li>{@code dev.termlet.internal.util} is a leaf: it uses no other Termlet package but {@code dev.termlet.io}.</li>
 * </ul>
 */
class PackageStructureTest {
    private static final Set<String> ROOTS = Set.of("dev.termlet", "dev.termlet.terminal", "dev.termlet.fileops",
            "dev.termlet.config", "dev.termlet.spring", "dev.termlet.web", "dev.termlet.cluster", "dev.termlet.s3");
    private static final Set<String> NOT_PUBLISHED = Set.of("dev.termlet.demos", "dev.termlet.docs",
            "dev.termlet.test", "dev.termlet.bench");
    private static final Map<String, Set<String>> USES = new TreeMap<>();

    @BeforeAll
    static void readTheClasses() {
        try (ScanResult scan = new ClassGraph().acceptPackages("dev.termlet").enableInterClassDependencies()
                .ignoreClassVisibility().scan()) {
            for (ClassInfo c : scan.getAllClasses()) {
                String from = c.getPackageName();
                if (!published(from) || c.getClasspathElementFile().getPath().contains("test-classes")) {
                    continue;
                }
                Set<String> to = USES.computeIfAbsent(from, k -> new TreeSet<>());
                for (ClassInfo d : c.getClassDependencies()) {
                    String p = d.getPackageName();
                    if (published(p) && !p.equals(from)) {
                        to.add(p);
                    }
                }
            }
        }
    }

    private static boolean published(String pkg) {
        return pkg.startsWith("dev.termlet") && NOT_PUBLISHED.stream()
                .noneMatch(p -> pkg.equals(p) || pkg.startsWith(p + "."));
    }

    private static boolean internal(String pkg) {
        return pkg.contains(".internal");
    }

    @Test
    void theClassesWereFound() {
        assertThat(USES).containsKeys("dev.termlet", "dev.termlet.spi", "dev.termlet.internal.ssh",
                "dev.termlet.terminal", "dev.termlet.fileops", "dev.termlet.fileops.internal.core",
                "dev.termlet.spring", "dev.termlet.spring.internal", "dev.termlet.web", "dev.termlet.web.internal");
    }

    @Test
    void noApiSignatureShowsAnInternalType() throws Exception {
        List<String> leaks = new ArrayList<>();
        try (ScanResult scan = new ClassGraph().acceptPackages("dev.termlet").scan()) {
            for (ClassInfo info : scan.getAllClasses()) {
                if (!published(info.getPackageName()) || internal(info.getPackageName())
                        || info.getClasspathElementFile().getPath().contains("test-classes")) {
                    continue;
                }
                Class<?> c = info.loadClass();
                if (!java.lang.reflect.Modifier.isPublic(c.getModifiers())) {
                    continue;
                }
                List<Class<?>> shown = new ArrayList<>();
                if (c.getSuperclass() != null) {
                    shown.add(c.getSuperclass());
                }
                shown.addAll(List.of(c.getInterfaces()));
                for (java.lang.reflect.Method m : c.getDeclaredMethods()) {
                    if (visible(m.getModifiers()) && !m.isSynthetic()) {
                        shown.add(m.getReturnType());
                        shown.addAll(List.of(m.getParameterTypes()));
                        shown.addAll(List.of(m.getExceptionTypes()));
                    }
                }
                for (java.lang.reflect.Constructor<?> k : c.getDeclaredConstructors()) {
                    if (visible(k.getModifiers())) {
                        shown.addAll(List.of(k.getParameterTypes()));
                    }
                }
                for (java.lang.reflect.Field f : c.getDeclaredFields()) {
                    if (visible(f.getModifiers())) {
                        shown.add(f.getType());
                    }
                }
                for (Class<?> t : shown) {
                    while (t.isArray()) {
                        t = t.getComponentType();
                    }
                    if (t.getPackageName().startsWith("dev.termlet") && internal(t.getPackageName())) {
                        leaks.add(c.getName() + " shows " + t.getName());
                    }
                }
            }
        }
        assertThat(leaks).isEmpty();
    }

    private static boolean visible(int modifiers) {
        return java.lang.reflect.Modifier.isPublic(modifiers) || java.lang.reflect.Modifier.isProtected(modifiers);
    }

    @Test
    void noApiPackageUsesAnInternalOne() {
        List<String> leaks = new ArrayList<>();
        USES.forEach((from, to) -> {
            if (!internal(from) && !ROOTS.contains(from)) {
                to.stream().filter(PackageStructureTest::internal).forEach(p -> leaks.add(from + " -> " + p));
            }
        });
        assertThat(leaks).isEmpty();
    }

    @Test
    void noPackageCyclesBesideTheRoots() {
        List<List<String>> cycles = new ArrayList<>();
        Map<String, Integer> index = new TreeMap<>();
        Map<String, Integer> low = new TreeMap<>();
        List<String> stack = new ArrayList<>();
        for (String p : USES.keySet()) {
            if (!ROOTS.contains(p) && !index.containsKey(p)) {
                strongComponents(p, index, low, stack, cycles);
            }
        }
        assertThat(cycles).isEmpty();
    }

    /** Tarjan's algorithm: collects each strongly connected group of more than one package. */
    private static void strongComponents(String v, Map<String, Integer> index, Map<String, Integer> low,
            List<String> stack, List<List<String>> cycles) {
        index.put(v, index.size());
        low.put(v, index.get(v));
        stack.add(v);
        for (String w : USES.getOrDefault(v, Set.of())) {
            if (ROOTS.contains(w)) {
                continue;
            }
            if (!index.containsKey(w)) {
                strongComponents(w, index, low, stack, cycles);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (stack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            List<String> group = new ArrayList<>();
            String w;
            do {
                w = stack.remove(stack.size() - 1);
                group.add(w);
            } while (!w.equals(v));
            if (group.size() > 1) {
                cycles.add(group);
            }
        }
    }

    @Test
    void theUtilitiesAreALeaf() {
        assertThat(USES.getOrDefault("dev.termlet.internal.util", Set.of())).isSubsetOf("dev.termlet.io");
    }
}
