package dev.termlet.fileops.internal.hooks;

import java.util.List;
import java.util.Map;

/**
 * One hook invocation: the program's arguments and environment, or the HTTP method, URL and body. It is built
 * in memory from a configured {@link HookTarget} and an event's data ({@link SftpgoForms}) and never stored:
 * the outbox keeps an {@link OutboxEntry} and the call is built again from the configuration when it is sent.
 *
 * @param hook the {@link HookTarget#id()} it goes to
 * @param event the SFTPGo action or event name, for logs
 * @param createdMillis when the event happened, milliseconds since the epoch
 * @param args the program's arguments (empty for HTTP)
 * @param env the program's environment besides {@code PATH} (empty for HTTP)
 * @param method {@code POST} or {@code GET} (null for programs)
 * @param url the full URL with its query (null for programs)
 * @param body the JSON body of a POST, or null
 */
public record HookCall(String hook, String event, long createdMillis, List<String> args, Map<String, String> env,
        String method, String url, String body) {

    public HookCall {
        args = args == null ? List.of() : List.copyOf(args);
        env = env == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(env));
    }
}
