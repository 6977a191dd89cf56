package dev.termlet.fileops.internal.hooks;

import java.util.Map;

/**
 * What one hook outbox file holds: the configured hook the notification belongs to, the event, and the event's
 * own data. Nothing in it says what to run or where to send: on delivery the hook is looked up by {@code hook}
 * in the running server's configuration and the call is rebuilt from that hook and {@code data}
 * ({@link SftpgoForms#render(HookTarget, dev.termlet.event.EventType, long, Map)}), so a file written by
 * someone else can at most ask for a configured hook to be told about an event it is configured for.
 *
 * @param hook the {@link HookTarget#id()} of the configured hook
 * @param event the canonical name of the event ({@code upload}, {@code upload-failed}, ...)
 * @param createdMillis when the event happened, milliseconds since the epoch
 * @param data the event's data, as {@link SftpgoForms#capture} keys it
 */
public record OutboxEntry(String hook, String event, long createdMillis, Map<String, String> data) {

    public OutboxEntry {
        if (hook == null || hook.isEmpty() || event == null || event.isEmpty() || createdMillis <= 0
                || data == null) {
            throw new IllegalArgumentException("an outbox entry needs a hook, an event, a time and data");
        }
        data = Map.copyOf(data);
    }
}
