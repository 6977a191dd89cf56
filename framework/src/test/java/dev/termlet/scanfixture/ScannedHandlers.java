package dev.termlet.scanfixture;

import dev.termlet.Client;
import dev.termlet.annotations.OnUser;

/** Found by the ClassGraph scan in ServerFeaturesTest. */
public class ScannedHandlers {
    @OnUser("command")
    void command(Client client, String line) {
        client.println("scanned: " + line);
    }

    @OnUser("exec")
    static int exec(Client client, String command) {
        client.println("static exec: " + command);
        return command.equals("fail") ? 7 : 0;
    }
}
