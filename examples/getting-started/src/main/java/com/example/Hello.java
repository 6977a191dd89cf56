package com.example;

import dev.termlet.Client;
import dev.termlet.annotations.OnUser;

/**
 * The app: plain methods that handle Termlet's events. {@code hello} answers {@code world!}, other lines are
 * echoed; the built-in {@code exit} (or Ctrl-D) ends the session.
 */
public class Hello {
    @OnUser("connect")
    void welcome(Client client) {
        client.println("Welcome, " + client.user() + "!");
    }

    @OnUser("command")
    void command(Client client, String line) {
        if (line.equals("hello")) {
            client.println("world!");
        } else {
            client.println("You said: " + line);
        }
    }
}
