package dev.termlet.internal.dispatch;

import dev.termlet.annotations.OnUser;
import io.github.classgraph.ClassGraph;
import io.github.classgraph.ClassInfo;
import io.github.classgraph.ScanResult;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;

/** Finds classes with {@link OnUser} methods in a package with ClassGraph and registers an instance of each. */
public final class HandlerScanner {
    private HandlerScanner() {}

    /**
     * Scans a package and its sub-packages.
     *
     * @param packageName the package
     * @param registry where handlers go
     * @param commands where {@code @Command} methods go
     * @return the number of classes registered
     * @throws IllegalStateException if a class cannot be instantiated (the message names it and the fix)
     */
    public static int scan(String packageName, HandlerRegistry registry,
            dev.termlet.internal.command.CommandDispatcher commands) {
        int classes = 0;
        try (ScanResult result = new ClassGraph()
                .enableClassInfo().enableMethodInfo().enableAnnotationInfo().ignoreMethodVisibility()
                .ignoreClassVisibility()
                .acceptPackages(packageName)
                .scan()) {
            io.github.classgraph.ClassInfoList found = result.getClassesWithMethodAnnotation(OnUser.class.getName())
                    .union(result.getClassesWithMethodAnnotation(dev.termlet.annotations.Command.class.getName()));
            for (ClassInfo info : found) {
                if (info.isAbstract() || info.isInterface() || info.isAnnotation()) {
                    continue;
                }
                Class<?> type = info.loadClass();
                Object instance = instantiate(type);
                registry.register(instance);
                commands.register(instance instanceof StaticHolder ? ((StaticHolder) instance).type : instance);
                classes++;
            }
        }
        if (classes == 0) {
            throw new IllegalStateException("scan(\"" + packageName + "\") found no class with @OnUser or @Command methods."
                    + " Check the package name, or register handler objects with register(...).");
        }
        return classes;
    }

    private static Object instantiate(Class<?> type) {
        if (type.getEnclosingClass() != null && !Modifier.isStatic(type.getModifiers())) {
            throw new IllegalStateException(type.getName() + ": an inner class cannot be scanned. Make it static"
                    + " or a top-level class, or register an instance with register(...).");
        }
        try {
            Constructor<?> c = type.getDeclaredConstructor();
            c.setAccessible(true);
            return c.newInstance();
        } catch (NoSuchMethodException e) {
            boolean allStatic = true;
            for (Method m : type.getDeclaredMethods()) {
                boolean handler = m.isAnnotationPresent(OnUser.class)
                        || m.isAnnotationPresent(dev.termlet.annotations.Command.class);
                if (handler && !Modifier.isStatic(m.getModifiers())) {
                    allStatic = false;
                }
            }
            if (allStatic) {
                return new StaticHolder(type);
            }
            throw new IllegalStateException(type.getName() + " has @OnUser or @Command methods but no no-argument"
                    + " constructor. Add one, or register an instance with register(...).");
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot create " + type.getName() + " for its @OnUser methods: " + e, e);
        }
    }

    /** Stands for a class whose handlers are all static. */
    static final class StaticHolder {
        final Class<?> type;

        StaticHolder(Class<?> type) {
            this.type = type;
        }
    }
}
