package dev.termlet.internal.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.termlet.annotations.OnUser;
import dev.termlet.event.EventKind;
import dev.termlet.event.EventRegistry;
import dev.termlet.event.EventType;
import dev.termlet.event.Outcome;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The dispatcher's table of handlers by event type, and occurrences with values in fields and in arrays. */
class DispatcherTableTest {

    static EventType type(String name, int values) {
        Class<?>[] types = new Class<?>[values];
        for (int i = 0; i < values; i++) {
            types[i] = String.class;
        }
        return EventType.builder(name).kind(EventKind.POST).values(types).build();
    }

    /** "evc4" and "evar" have the same hash code, so the table must probe past the first. */
    static final EventType AA = type("evc4", 1);
    static final EventType BB = type("evar", 1);
    static final EventType SIX = EventType.builder("six").kind(EventKind.POST)
            .values(String.class, Integer.class, Long.class, Double.class, Character.class, Boolean.class).build();
    static final EventType NONE = type("none", 0);

    static class Handlers {
        final List<String> seen = new ArrayList<>();

        @OnUser("evc4")
        void aa(String s) {
            seen.add("aa " + s);
        }

        @OnUser("evar")
        void bb(String s) {
            seen.add("bb " + s);
        }

        @OnUser("six")
        void six(Boolean f, Character e, String a, Long c) {
            seen.add(f + "," + e + "," + a + "," + c);
        }
    }

    @Test
    void eachTypeFindsItsOwnHandlersEvenWhenHashCodesCollide() {
        assertThat(AA.hashCode()).isEqualTo(BB.hashCode());
        EventRegistry events = new EventRegistry();
        events.register(AA);
        events.register(BB);
        events.register(SIX);
        events.register(NONE);
        HandlerRegistry r = new HandlerRegistry(events);
        Handlers h = new Handlers();
        r.register(h);
        Dispatcher d = r.toDispatcher();

        d.fire(EventValues.of(AA, "1"), null);
        d.fire(EventValues.of(type("evar", 1), "2"), null); // an equal type, not the same instance
        d.fire(EventValues.of(SIX, "a", 2, 3L, 4.0, 'e', true), null);
        assertThat(d.fire(EventValues.of(NONE), null)).isSameAs(Outcome.NONE);
        assertThat(d.has(NONE)).isFalse();
        assertThat(d.has(AA)).isTrue();
        assertThat(h.seen).containsExactly("aa 1", "bb 2", "true,e,a,3");
    }

    @Test
    void listenersGetEveryValueWhetherHeldInFieldsOrInAnArray() {
        EventRegistry events = new EventRegistry();
        events.register(SIX);
        EventType two = type("two", 2);
        events.register(two);
        Dispatcher d = new HandlerRegistry(events).toDispatcher();
        List<String> seen = new ArrayList<>();
        d.add(SIX, "six listener", false, (t, v) -> seen.add(t.name() + " " + java.util.Arrays.toString(v)));
        d.add(two, "two listener", false, (t, v) -> seen.add(t.name() + " " + java.util.Arrays.toString(v)));

        d.fire(EventValues.of(SIX, "a", 2, 3L, 4.0, 'e', true), null);
        d.fire(EventValues.of(two, "x", "y"), null);
        d.fire(EventValues.of(two, new Object[] {"p", "q"}), null);
        assertThat(seen).containsExactly("six [a, 2, 3, 4.0, e, true]", "two [x, y]", "two [p, q]");
    }

    @Test
    void anOccurrenceBuiltFromFieldsGivesTheSameArrayEachTime() {
        EventValues v = EventValues.of(type("three", 3), "a", "b", "c");
        assertThat(v.array()).containsExactly("a", "b", "c");
        assertThat(v.array()).isSameAs(v.array());
        assertThat(v.get(2)).isEqualTo("c");
    }
}
