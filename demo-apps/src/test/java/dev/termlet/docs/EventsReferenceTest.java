package dev.termlet.docs;

import dev.termlet.event.EventRegistry;
import dev.termlet.event.EventType;
import dev.termlet.event.Events;
import dev.termlet.event.EventsReference;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/events.md says exactly what the registry says, with every module's events (framework, file ops, web). */
class EventsReferenceTest {
    private static final Path DOC = Path.of("..", "docs", "events.md");

    @Test
    void docsMatchTheRegistry() throws Exception {
        String rendered = EventsReference.render(EventRegistry.standard());
        if (Boolean.getBoolean("termlet.updateDocs")) {
            Files.writeString(DOC, rendered, StandardCharsets.UTF_8);
        }
        assertThat(Files.readString(DOC, StandardCharsets.UTF_8))
                .as("docs/events.md is out of date; regenerate it (see the command at its top)")
                .isEqualTo(rendered);
    }

    @Test
    void everyAliasFindsItsEvent() {
        EventRegistry r = EventRegistry.standard();
        for (EventType t : r.all()) {
            assertThat(r.find(t.name())).contains(t);
            for (String alias : t.aliases()) {
                assertThat(r.find(alias)).as(alias).contains(t);
                assertThat(r.find(alias.toUpperCase())).as(alias).contains(t);
            }
        }
        assertThat(r.find("OnAuthPKI")).contains(Events.AUTH_PUBLICKEY);
        assertThat(r.find("auth_success")).contains(Events.AUTH_SUCCESS);
        assertThat(r.find("BeforeFileUpload")).isPresent();
        assertThat(r.find("AfterShrZipDownload")).as("the web side's share events").isPresent();
    }
}
