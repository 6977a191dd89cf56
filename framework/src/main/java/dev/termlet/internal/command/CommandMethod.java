package dev.termlet.internal.command;

import dev.termlet.Client;
import dev.termlet.annotations.Argument;
import dev.termlet.annotations.Command;
import dev.termlet.annotations.Option;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * One {@link Command} method: its metadata, its parameters as picocli options and positional parameters,
 * and a method handle compiled once. A fresh picocli model is made for every invocation, since a parsed
 * model holds values.
 */
final class CommandMethod {
    final String name;
    final List<String> aliases;
    final String category;
    final String description;
    final Set<String> permissions;
    final boolean hidden;
    final String where;
    private final MethodHandle invoker;
    private final Param[] params;

    /** How one method parameter is filled. */
    static final class Param {
        final boolean client;
        final boolean option;
        final Class<?> type;
        final Class<?> element;
        final String[] names;
        final String label;
        final String description;
        final String defaultValue;
        final boolean required;

        Param(boolean client, boolean option, Class<?> type, Class<?> element, String[] names, String label,
                String description, String defaultValue, boolean required) {
            this.client = client;
            this.option = option;
            this.type = type;
            this.element = element;
            this.names = names;
            this.label = label;
            this.description = description;
            this.defaultValue = defaultValue;
            this.required = required;
        }

        boolean multi() {
            return Collection.class.isAssignableFrom(type) || type.isArray();
        }
    }

    /** A fresh picocli model with the arguments aligned to the method's parameters. */
    static final class Model {
        final CommandSpec spec;
        final ArgSpec[] args;

        Model(CommandSpec spec, ArgSpec[] args) {
            this.spec = spec;
            this.args = args;
        }
    }

    /** How to write a file that uses Termlet's annotations and picocli's, said where the two were mixed up. */
    static final String BOTH = "In a file that uses both, import picocli.CommandLine and write @CommandLine.Command"
            + " and @CommandLine.Option for picocli's (see docs/commands.md).";

    CommandMethod(Object target, Method m) {
        Command c = m.getAnnotation(Command.class);
        this.where = m.getDeclaringClass().getName() + "#" + m.getName();
        this.name = c.name().isEmpty() ? m.getName().toLowerCase(Locale.ROOT) : c.name();
        this.aliases = List.of(c.aliases());
        this.category = c.category();
        this.description = c.description();
        this.permissions = Set.copyOf(List.of(c.permissions()));
        this.hidden = c.hidden();
        for (String n : names()) {
            if (!n.matches("[A-Za-z0-9][A-Za-z0-9._:-]*")) {
                throw new IllegalArgumentException(where + ": command name '" + n
                        + "' must be one word of letters, digits, '.', '_', ':' or '-'.");
            }
        }
        Class<?> ret = m.getReturnType();
        if (ret != void.class && ret != int.class && ret != Integer.class) {
            throw new IllegalArgumentException(where + ": a @Command returns void or an int exit status, not "
                    + ret.getSimpleName() + ".");
        }
        Parameter[] ps = m.getParameters();
        this.params = new Param[ps.length];
        boolean restTaken = false;
        for (int i = 0; i < ps.length; i++) {
            Parameter p = ps[i];
            Class<?> type = p.getType();
            if (type == Client.class) {
                params[i] = new Param(true, false, type, null, null, null, null, null, false);
                continue;
            }
            Class<?> element = elementType(p.getParameterizedType(), type);
            if (element == null) {
                throw new IllegalArgumentException(where + ": parameter " + (i + 1) + " (" + type.getSimpleName()
                        + ") needs an element type, for example List<String>.");
            }
            if (p.isAnnotationPresent(picocli.CommandLine.Option.class)
                    || p.isAnnotationPresent(picocli.CommandLine.Parameters.class)) {
                throw new IllegalArgumentException(where + ": parameter " + (i + 1) + " carries picocli's @"
                        + (p.isAnnotationPresent(picocli.CommandLine.Option.class) ? "Option" : "Parameters")
                        + ", which Termlet does not read; use dev.termlet.annotations.Option or Argument. " + BOTH);
            }
            Option o = p.getAnnotation(Option.class);
            Argument a = p.getAnnotation(Argument.class);
            if (o != null) {
                String[] names = o.names();
                if (names.length == 0) {
                    if (!p.isNamePresent()) {
                        throw new IllegalArgumentException(where + ": parameter " + (i + 1) + " needs @Option(names ="
                                + " ...), or compile with -parameters so that its name can be used.");
                    }
                    names = new String[] {"--" + p.getName()};
                }
                boolean flag = type == boolean.class || type == Boolean.class;
                params[i] = new Param(false, true, type, element, names, flag ? null : p.getName().toUpperCase(Locale.ROOT),
                        o.description(), o.defaultValue(), o.required());
            } else {
                if (restTaken) {
                    throw new IllegalArgumentException(where + ": parameter " + (i + 1) + " comes after a List"
                            + " argument, which takes all remaining arguments; move it before, or make it an @Option.");
                }
                String label = a != null && !a.label().isEmpty() ? a.label()
                        : p.isNamePresent() ? p.getName().toUpperCase(Locale.ROOT) : "ARG" + i;
                String dflt = a != null ? a.defaultValue() : "";
                boolean required = (a == null || a.required()) && dflt.isEmpty();
                params[i] = new Param(false, false, type, element, null, label, a != null ? a.description() : "",
                        dflt, required);
                restTaken = params[i].multi();
            }
        }
        try {
            m.setAccessible(true);
            MethodHandle mh = MethodHandles.lookup().unreflect(m);
            if (!Modifier.isStatic(m.getModifiers())) {
                mh = mh.bindTo(target);
            }
            this.invoker = mh.asSpreader(Object[].class, ps.length)
                    .asType(MethodType.methodType(Object.class, Object[].class));
        } catch (IllegalAccessException | RuntimeException e) {
            throw new IllegalArgumentException(where + ": cannot be called (" + e.getMessage() + ").", e);
        }
        model();
    }

    private static Class<?> elementType(Type generic, Class<?> type) {
        if (type.isArray()) {
            return type.getComponentType();
        }
        if (!Collection.class.isAssignableFrom(type)) {
            return type;
        }
        if (generic instanceof ParameterizedType) {
            Type[] args = ((ParameterizedType) generic).getActualTypeArguments();
            if (args.length == 1 && args[0] instanceof Class) {
                return (Class<?>) args[0];
            }
        }
        return null;
    }

    /** @return the name and the aliases */
    List<String> names() {
        List<String> all = new ArrayList<>();
        all.add(name);
        all.addAll(aliases);
        return all;
    }

    /** @return the parameters */
    Param[] params() {
        return params.clone();
    }

    /** @return a fresh picocli model of this command */
    Model model() {
        CommandSpec spec = CommandSpec.create().name(name).aliases(aliases.toArray(new String[0]));
        spec.usageMessage().description(description).sortOptions(false);
        spec.parser().caseInsensitiveEnumValuesAllowed(true).collectErrors(false);
        ArgSpec[] args = new ArgSpec[params.length];
        int index = 0;
        for (int i = 0; i < params.length; i++) {
            Param p = params[i];
            if (p.client) {
                continue;
            }
            if (p.option) {
                OptionSpec.Builder b = OptionSpec.builder(p.names).type(p.type).description(p.description)
                        .required(p.required);
                if (p.element != p.type) {
                    b.auxiliaryTypes(p.element);
                }
                if (p.label != null) {
                    b.paramLabel("<" + p.label.toLowerCase(Locale.ROOT) + ">");
                }
                if (!p.defaultValue.isEmpty()) {
                    b.defaultValue(p.defaultValue);
                }
                args[i] = b.build();
                spec.addOption((OptionSpec) args[i]);
            } else {
                PositionalParamSpec.Builder b = PositionalParamSpec.builder().type(p.type).paramLabel(p.label)
                        .description(p.description).required(p.required);
                if (p.multi()) {
                    b.index(index + "..*").arity(p.required ? "1..*" : "0..*").auxiliaryTypes(p.element);
                } else {
                    b.index(Integer.toString(index)).arity(p.required ? "1" : "0..1");
                    index++;
                }
                if (!p.defaultValue.isEmpty()) {
                    b.defaultValue(p.defaultValue);
                }
                args[i] = b.build();
                spec.addPositional((PositionalParamSpec) args[i]);
            }
        }
        spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true).description("Show this help.").build());
        return new Model(spec, args);
    }

    /**
     * A picocli command line over a fresh model, with Termlet's converters.
     *
     * @param model the model
     * @return the command line
     */
    static CommandLine commandLine(Model model) {
        CommandLine cl = new CommandLine(model.spec);
        Conversions.register(cl);
        return cl;
    }

    /**
     * Calls the method with the values a parsed model holds.
     *
     * @param client the client
     * @param model the parsed model
     * @return the method's result
     * @throws Throwable whatever the method throws
     */
    Object invoke(Client client, Model model) throws Throwable {
        Object[] values = new Object[params.length];
        for (int i = 0; i < params.length; i++) {
            Param p = params[i];
            if (p.client) {
                values[i] = client;
            } else {
                Object v = model.args[i].getValue();
                if (v == null && p.type.isPrimitive()) {
                    v = primitiveZero(p.type);
                }
                if (v == null && List.class.isAssignableFrom(p.type)) {
                    v = List.of();
                } else if (v == null && Set.class.isAssignableFrom(p.type)) {
                    v = new LinkedHashSet<>();
                }
                values[i] = v;
            }
        }
        return (Object) invoker.invokeExact(values);
    }

    private static Object primitiveZero(Class<?> t) {
        if (t == boolean.class) {
            return false;
        }
        if (t == char.class) {
            return '\0';
        }
        if (t == long.class) {
            return 0L;
        }
        if (t == double.class) {
            return 0d;
        }
        if (t == float.class) {
            return 0f;
        }
        if (t == short.class) {
            return (short) 0;
        }
        if (t == byte.class) {
            return (byte) 0;
        }
        return 0;
    }
}
