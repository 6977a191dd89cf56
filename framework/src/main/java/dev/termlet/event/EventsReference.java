package dev.termlet.event;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Renders an event registry as the Markdown events reference ({@code docs/events.md}); a test keeps that
 * file equal to what the registry says.
 */
public final class EventsReference {
    private EventsReference() {}

    /**
     * Renders every event of a registry.
     *
     * @param registry the registry
     * @return the Markdown page
     */
    public static String render(EventRegistry registry) {
        StringBuilder sb = new StringBuilder();
        sb.append("# Events reference\n\n");
        sb.append("Generated from the event registry by `EventsReference`; `EventsReferenceTest` fails when this\n");
        sb.append("page and the registry disagree. Regenerate with\n");
        sb.append("`mvn -pl demo-apps -am test -Dtest=EventsReferenceTest -Dsurefire.failIfNoSpecifiedTests=false"
                + " -Dtermlet.updateDocs=true`.\n\n");
        sb.append("Names match ignoring case, and `_` matches `-`. *Kind*: `pre` runs before the operation and can"
                + " refuse it; `session` runs on the session's own thread, in order; `post` runs after, asynchronously"
                + " unless the handler asks for `delivery = SYNC`. A handler may take any of the *values* by type, in"
                + " any order, and the *map* (a `Map<String, Object>` with PyserSSH's keys) where there is one. An alias"
                + " with a condition in brackets matches only those occurrences of its event.\n\n");
        sb.append("| event | aliases | kind | refusable | values | map keys | returns |\n");
        sb.append("|---|---|---|---|---|---|---|\n");
        for (EventType t : registry.all()) {
            sb.append("| `").append(t.name()).append("` | ")
                    .append(t.aliases().isEmpty() ? "" : t.aliases().stream()
                            .map(a -> "`" + a + "`" + (t.aliasCondition(a) == null ? "" : " (" + t.aliasCondition(a) + ")"))
                            .collect(Collectors.joining(", ")))
                    .append(" | ").append(t.kind().name().toLowerCase(java.util.Locale.ROOT))
                    .append(" | ").append(t.refusable() ? "yes" : "no")
                    .append(" | ").append(t.values().stream().map(Class::getSimpleName).collect(Collectors.joining(", ")))
                    .append(" | ").append(t.mapKeys() == null ? "" : String.join(", ", t.mapKeys()))
                    .append(" | ").append(returns(t))
                    .append(" |\n");
        }
        sb.append("\n## When each event fires\n\n");
        for (EventType t : registry.all()) {
            sb.append("- `").append(t.name()).append("`: ").append(t.description()).append('\n');
        }
        return sb.toString();
    }

    private static String returns(EventType t) {
        List<String> r = new ArrayList<>();
        r.add("void");
        if (t.refusable()) {
            r.add("boolean");
        }
        t.results().forEach(c -> r.add(c.getSimpleName()));
        return String.join(", ", r);
    }
}
