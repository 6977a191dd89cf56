package dev.termlet.internal.dispatch;

import dev.termlet.event.Outcome;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.termlet.AuthRequest;
import dev.termlet.AuthResult;
import dev.termlet.Client;
import dev.termlet.RefusedException;
import dev.termlet.WindowSize;
import dev.termlet.annotations.Delivery;
import dev.termlet.annotations.OnUser;
import dev.termlet.auth.AuthMethod;
import dev.termlet.event.EventRegistry;
import dev.termlet.event.Events;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mockito.Mockito;

/** Start-up validation, ordering, binding and refusal of @OnUser handlers. */
class HandlerRegistryTest {
    private final HandlerRegistry registry = new HandlerRegistry(EventRegistry.standard());

    static class Misspelled {
        @OnUser("comand")
        void command(Client c, String line) {}
    }

    @Test
    void unknownEventSuggestsTheClosestName() {
        registry.register(new Misspelled());
        assertThatThrownBy(registry::validate).hasMessageContaining(Misspelled.class.getName() + "#command")
                .hasMessageContaining("unknown event 'comand'").hasMessageContaining("Did you mean 'command'?");
    }

    static class WrongParameter {
        @OnUser("resized")
        void resized(Client c, AuthRequest r) {}
    }

    @Test
    void parameterTheEventCannotSupplyIsNamed() {
        registry.register(new WrongParameter());
        assertThatThrownBy(registry::validate).hasMessageContaining(WrongParameter.class.getName() + "#resized")
                .hasMessageContaining("parameter 2 of type AuthRequest cannot be supplied by event 'resized'")
                .hasMessageContaining("Client, WindowSize, Map<String, Object>");
    }

    static class WrongReturn {
        @OnUser("connect")
        String connect(Client c) {
            return "x";
        }
    }

    @Test
    void returnTypeTheEventCannotUseIsNamed() {
        registry.register(new WrongReturn());
        assertThatThrownBy(registry::validate).hasMessageContaining("#connect: returns String")
                .hasMessageContaining("Declare it to return void");
    }

    static class AsyncSessionEvent {
        @OnUser(value = "command", delivery = Delivery.ASYNC)
        void command(String line) {}
    }

    @Test
    void asyncOnlyForPostEvents() {
        registry.register(new AsyncSessionEvent());
        assertThatThrownBy(registry::validate).hasMessageContaining("delivery = ASYNC is only for post-events");
    }

    @Test
    void allProblemsAreReportedTogether() {
        registry.register(new Misspelled());
        registry.register(new WrongReturn());
        assertThat(registry.problems()).hasSize(2);
    }

    static class Ordered {
        final List<String> calls = new ArrayList<>();

        @OnUser(value = "command", order = 10)
        void late(String line) {
            calls.add("late " + line);
        }

        @OnUser(value = "command", order = -5)
        void early(String line) {
            calls.add("early " + line);
        }

        @OnUser("command")
        void middle(Client client, String line) {
            calls.add("middle " + client.user());
        }
    }

    @Test
    void handlersRunInOrder() {
        Ordered h = new Ordered();
        registry.register(h);
        Client client = Mockito.mock(Client.class);
        Mockito.when(client.user()).thenReturn("bob");
        registry.toDispatcher().fire(EventValues.of(Events.COMMAND, client, "x"), null);
        assertThat(h.calls).containsExactly("early x", "middle bob", "late x");
    }

    static class Refusers {
        final List<String> calls = new ArrayList<>();

        @OnUser(value = "pre-shell", order = 1)
        boolean first(Client c) {
            calls.add("first");
            return true;
        }

        @OnUser(value = "open-shell", order = 2)
        void second(Client c) {
            calls.add("second");
            throw new RefusedException("maintenance");
        }

        @OnUser(value = "BeforeOpenShell", order = 3)
        boolean third(Client c) {
            calls.add("third");
            return false;
        }
    }

    @Test
    void refusalStopsAtTheFirstRefusingHandlerAndAliasesShareOneEvent() {
        Refusers h = new Refusers();
        registry.register(h);
        Outcome o = registry.toDispatcher().fire(EventValues.of(Events.PRE_SHELL, Mockito.mock(Client.class)), null);
        assertThat(o.refused()).isTrue();
        assertThat(o.reason()).isEqualTo("maintenance");
        assertThat(h.calls).containsExactly("first", "second");
    }

    static class AuthDecisions {
        @OnUser(value = "auth", order = 1)
        AuthResult defer(AuthRequest r) {
            return AuthResult.DEFER;
        }

        @OnUser(value = "auth", order = 2)
        boolean pyStyle(Map<String, Object> data) {
            return "pw".equals(data.get("password"));
        }
    }

    @Test
    void authMapAndDecisions() {
        registry.register(new AuthDecisions());
        Dispatcher d = registry.toDispatcher();
        AuthRequest ok = new AuthRequest("u", AuthMethod.PASSWORD, "pw", null, null, null, "c1");
        AuthRequest bad = new AuthRequest("u", AuthMethod.PASSWORD, "no", null, null, null, "c1");
        assertThat(d.fire(EventValues.withMap(Events.AUTH, ok::toMap, ok), null).result()).isEqualTo(Boolean.TRUE);
        assertThat(d.fire(EventValues.withMap(Events.AUTH, bad::toMap, bad), null).refused()).isTrue();
    }

    static class Thrower {
        @OnUser("resized")
        void resized(WindowSize s) {
            throw new IllegalArgumentException("bad");
        }

        @OnUser(value = "resized", order = 1)
        void after(WindowSize s) {}
    }

    @Test
    void throwingSessionHandlerIsReportedAndOthersStillRun() {
        registry.register(new Thrower());
        Outcome o = registry.toDispatcher().fire(
                EventValues.of(Events.RESIZED, Mockito.mock(Client.class), WindowSize.DEFAULT), null);
        assertThat(o.refused()).isFalse();
        assertThat(o.failures()).singleElement()
                .satisfies(f -> assertThat(f.handler()).endsWith("Thrower#resized"));
    }

    /** What one handler does, by the line it is given. */
    public static class Behaves {
        @OnUser("pre-shell")
        boolean preShell(Client c) {
            String what = c.toString();
            throwIfAsked(what);
            return !what.equals("false");
        }

        @OnUser("auth")
        AuthResult auth(AuthRequest r) {
            String what = r.user();
            throwIfAsked(what);
            switch (what) {
                case "false": return AuthResult.DENY;
                case "accept": return AuthResult.ALLOW;
                case "defer": return AuthResult.DEFER;
                default: return null;
            }
        }

        @OnUser("resized")
        void resized(WindowSize s) {
            if (s.columns() == 1) {
                throw new IllegalStateException("one column");
            }
        }

        static void throwIfAsked(String what) {
            if (what.equals("refuse")) {
                throw new RefusedException("not now");
            }
            if (what.equals("throw")) {
                throw new IllegalStateException("broken");
            }
        }
    }

    /** Listens after the others without deciding, so that the events have two handlers. */
    public static class Bystander {
        @OnUser(value = "pre-shell", order = 100)
        void preShell() {}

        @OnUser(value = "auth", order = 100)
        void auth() {}

        @OnUser(value = "resized", order = 100)
        void resized() {}
    }

    @Test
    void anEventsOnlyHandlerDecidesAsOneOfSeveralDoes() {
        HandlerRegistry twoRegistry = new HandlerRegistry(EventRegistry.standard());
        registry.register(new Behaves());
        twoRegistry.register(new Behaves());
        twoRegistry.register(new Bystander());
        Dispatcher one = registry.toDispatcher();
        Dispatcher two = twoRegistry.toDispatcher();
        for (String what : List.of("false", "true", "refuse", "throw", "defer", "accept", "none")) {
            Client c = Mockito.mock(Client.class);
            Mockito.when(c.toString()).thenReturn(what);
            AuthRequest r = new AuthRequest(what, AuthMethod.PASSWORD, "pw", null, null, null, "c1");
            for (java.util.function.Supplier<EventValues> v : List.<java.util.function.Supplier<EventValues>>of(
                    () -> EventValues.of(Events.PRE_SHELL, c), () -> EventValues.withMap(Events.AUTH, r::toMap, r))) {
                Outcome a = one.fire(v.get(), null);
                Outcome b = two.fire(v.get(), null);
                assertThat(a.refused()).as(what).isEqualTo(b.refused());
                assertThat(a.reason()).as(what).isEqualTo(b.reason());
                assertThat(a.result()).as(what).isEqualTo(b.result());
                assertThat(a.failures()).as(what).hasSameSizeAs(b.failures());
            }
        }
        Client c = Mockito.mock(Client.class);
        Mockito.when(c.toString()).thenReturn("false");
        assertThat(one.fire(EventValues.of(Events.PRE_SHELL, c), null).refused()).isTrue();
        Mockito.when(c.toString()).thenReturn("throw");
        Outcome thrown = one.fire(EventValues.of(Events.PRE_SHELL, c), null);
        assertThat(thrown.refused()).as("a refusable event fails closed").isTrue();
        assertThat(thrown.failures()).singleElement().satisfies(f -> assertThat(f.handler()).endsWith("#preShell"));
        Mockito.when(c.toString()).thenReturn("refuse");
        assertThat(one.fire(EventValues.of(Events.PRE_SHELL, c), null).reason()).isEqualTo("not now");
        AuthRequest accept = new AuthRequest("accept", AuthMethod.PASSWORD, "pw", null, null, null, "c1");
        assertThat(one.fire(EventValues.withMap(Events.AUTH, accept::toMap, accept), null).result())
                .isEqualTo(AuthResult.ALLOW);
        Outcome broken = one.fire(EventValues.of(Events.RESIZED, c, new WindowSize(1, 24, 0, 0)), null);
        assertThat(broken.refused()).isFalse();
        assertThat(broken.failures()).singleElement().satisfies(f -> assertThat(f.handler()).endsWith("#resized"));
        assertThat(one.fire(EventValues.of(Events.RESIZED, c, WindowSize.DEFAULT), null)).isSameAs(Outcome.NONE);
    }

    static class Statics {
        static int calls;

        @OnUser("timeout")
        static void timeout() {
            calls++;
        }
    }

    @Test
    void staticHandlersFromAScannedHolder() {
        registry.register(new HandlerScanner.StaticHolder(Statics.class));
        registry.toDispatcher().fire(EventValues.of(Events.TIMEOUT, Mockito.mock(Client.class)), null);
        assertThat(Statics.calls).isEqualTo(1);
    }

    static class Shapes {
        final List<String> seen = new ArrayList<>();

        @OnUser("connectpty")
        private void three(Client c, dev.termlet.Pty pty, WindowSize size) {
            seen.add("three " + size.columns());
        }

        @OnUser("connectpty")
        void five(Client a, Client b, WindowSize s, Map<String, Object> data, dev.termlet.event.EventType t) {
            seen.add("five " + data.get("width") + " " + t.name());
        }

        @OnUser("auth")
        boolean primitive(AuthRequest r) {
            return !r.user().equals("eve");
        }

        @OnUser(value = "auth", order = -1)
        private AuthResult object() {
            seen.add("object");
            return AuthResult.DEFER;
        }
    }

    static class Inherits extends Shapes {
    }

    @Test
    void handlersUpToFourParametersAreCalledThroughSpunClassesAndBehaveAlike() {
        Inherits shapes = new Inherits();
        registry.register(shapes);
        Dispatcher d = registry.toDispatcher();
        assertThat(registry.handlersOf(Events.CONNECT_PTY)).extracting(HandlerMethod::spun)
                .containsExactly(false, true);
        assertThat(registry.handlersOf(Events.AUTH)).allSatisfy(h -> assertThat(h.spun()).isTrue());
        WindowSize size = new WindowSize(100, 30, 0, 0);
        Client client = Mockito.mock(Client.class);
        Outcome o = d.fire(EventValues.withMap(Events.CONNECT_PTY, () -> Map.of("width", 100), client, null, size),
                null);
        assertThat(o.failures()).isEmpty();
        assertThat(shapes.seen).containsExactly("five 100 connectpty", "three 100");
        AuthRequest eve = new AuthRequest("eve", AuthMethod.PASSWORD, "pw", null, null, null, "c1");
        AuthRequest bob = new AuthRequest("bob", AuthMethod.PASSWORD, "pw", null, null, null, "c1");
        assertThat(d.fire(EventValues.withMap(Events.AUTH, eve::toMap, eve), null).refused()).isTrue();
        assertThat(d.fire(EventValues.withMap(Events.AUTH, bob::toMap, bob), null).result()).isEqualTo(true);
        assertThat(shapes.seen).endsWith("object", "object");
    }

    /** A narrowing alias: its handler runs only for the occurrences its test accepts. */
    static final dev.termlet.event.EventType SAID = dev.termlet.event.EventType.builder("said")
            .kind(dev.termlet.event.EventKind.PRE).refusable().values(String.class)
            .narrowingAlias("SaidLoudly", "upper case only", v -> v[0].toString().equals(v[0].toString().toUpperCase()))
            .build();

    static class Listeners {
        final List<String> seen = new ArrayList<>();

        @OnUser("said")
        void all(String s) {
            seen.add("all " + s);
        }

        @OnUser("saidloudly")
        boolean loud(String s) {
            seen.add("loud " + s);
            return !s.equals("NO");
        }
    }

    @Test
    void aNarrowingAliasRunsItsHandlerOnlyForMatchingOccurrences() {
        EventRegistry events = new EventRegistry();
        events.register(SAID);
        HandlerRegistry r = new HandlerRegistry(events);
        Listeners l = new Listeners();
        r.register(l);
        Dispatcher d = r.toDispatcher();
        assertThat(d.fire(EventValues.of(SAID, "quiet"), null).refused()).isFalse();
        assertThat(d.fire(EventValues.of(SAID, "HEY"), null).refused()).isFalse();
        assertThat(d.fire(EventValues.of(SAID, "NO"), null).refused()).isTrue();
        assertThat(l.seen).containsExactly("all quiet", "all HEY", "loud HEY", "all NO", "loud NO");
        assertThat(events.find("Said_Loudly")).isEmpty();
        assertThat(events.find("SAIDLOUDLY")).contains(SAID);
        assertThat(SAID.aliasCondition("SaidLoudly")).isEqualTo("upper case only");
        assertThat(SAID.aliasFilter("said")).isNull();
    }
}
