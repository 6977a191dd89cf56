package dev.termlet.demos;

import dev.termlet.Client;
import dev.termlet.Termlet;
import dev.termlet.TermletServer;
import dev.termlet.annotations.OnUser;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * The chat demo: one room for everyone logged in. Messages from others appear above the line you are
 * typing, which stays as it was. On several nodes of a cluster (termlet-cluster's {@code Cluster}), messages and
 * notices reach the users of every node through the server's {@link TermletServer#sessions()}; nicknames and the
 * history are each node's own.
 */
@Command(name = "chat", mixinStandardHelpOptions = true,
        description = "A chat room: nicknames, /who, /me, /msg, /nick, join and leave notices, history on join.")
public final class ChatDemo implements Callable<Integer> {

    @Mixin
    DemoOptions options = new DemoOptions();

    /** The room: who is in it and the last messages. */
    public static final class Room {
        private static final int HISTORY = 50;
        private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm");
        private final Map<Client, String> members = new ConcurrentHashMap<>();
        private final ArrayDeque<String> history = new ArrayDeque<>();
        private volatile Supplier<List<Client>> sessions = List::of;

        /**
         * Lets the room reach the server's sessions on the other nodes of a cluster (each node runs the chat too); on
         * a server alone it changes nothing.
         *
         * @param server the server the room is registered with
         * @return this room
         */
        public Room attach(TermletServer server) {
            this.sessions = server::sessions;
            return this;
        }

        /** @return the chat sessions of the other nodes */
        private List<Client> elsewhere() {
            return sessions.get().stream().filter(c -> c.node().isPresent()).collect(Collectors.toList());
        }

        private void say(String line, Client except) {
            String stamped = TIME.format(LocalTime.now()) + " " + line;
            synchronized (history) {
                history.addLast(stamped);
                while (history.size() > HISTORY) {
                    history.removeFirst();
                }
            }
            // println from another session's thread: printed above that client's input line
            members.keySet().forEach(c -> {
                if (c != except) {
                    c.println(stamped);
                }
            });
            // the users of the other nodes: their node prints it above their line
            elsewhere().forEach(c -> c.println(stamped));
        }

        private String uniqueNick(String wanted) {
            String nick = wanted;
            for (int i = 2; members.containsValue(nick); i++) {
                nick = wanted + i;
            }
            return nick;
        }

        @OnUser("connect")
        void join(Client c) {
            List<String> past;
            synchronized (history) {
                past = new ArrayList<>(history);
            }
            if (!past.isEmpty()) {
                c.println("-- last messages --");
                past.forEach(c::println);
                c.println("-- you are here --");
            }
            String nick = uniqueNick(c.user());
            members.put(c, nick);
            c.prompt(nick + "> ");
            c.println("Welcome, " + nick + ". /who lists people, /me acts, /msg NICK TEXT whispers, /quit leaves.");
            say("* " + nick + " joined", c);
        }

        @OnUser("command")
        void line(Client c, String line) {
            String nick = members.get(c);
            if (!line.startsWith("/")) {
                say("<" + nick + "> " + line, c);
                return;
            }
            String[] parts = line.split("\\s+", 3);
            switch (parts[0]) {
                case "/who":
                    java.util.Set<String> here = new java.util.TreeSet<>(members.values());
                    elsewhere().forEach(o -> here.add(o.user() + "@" + o.node().orElseThrow()));
                    c.println("In the room: " + String.join(", ", here));
                    break;
                case "/me":
                    say("* " + nick + " " + (parts.length > 1 ? line.substring(4) : ""), null);
                    break;
                case "/msg":
                    if (parts.length < 3) {
                        c.println("usage: /msg NICK TEXT");
                        break;
                    }
                    // a nickname here, or user@node of another node
                    Client to = members.entrySet().stream().filter(e -> e.getValue().equals(parts[1]))
                            .map(Map.Entry::getKey).findFirst()
                            .or(() -> elsewhere().stream().filter(o -> parts[1].equals(o.user() + "@"
                                    + o.node().orElseThrow())).findFirst())
                            .orElse(null);
                    if (to == null) {
                        c.println("nobody called " + parts[1]);
                    } else {
                        to.println("[" + nick + " whispers] " + parts[2]);
                        c.println("[to " + parts[1] + "] " + parts[2]);
                    }
                    break;
                case "/nick":
                    if (parts.length < 2 || !parts[1].matches("[\\p{L}\\p{N}_.-]{1,24}")) {
                        c.println("usage: /nick NAME (letters, digits, _ . -; up to 24)");
                    } else if (members.containsValue(parts[1])) {
                        c.println(parts[1] + " is taken");
                    } else {
                        members.put(c, parts[1]);
                        c.prompt(parts[1] + "> ");
                        say("* " + nick + " is now " + parts[1], null);
                    }
                    break;
                case "/quit":
                    c.close();
                    break;
                default:
                    c.println("unknown command " + parts[0] + "; try /who, /me, /msg, /nick, /quit");
            }
        }

        @OnUser("disconnected")
        void leave(Client c) {
            String nick = members.remove(c);
            if (nick != null) {
                say("* " + nick + " left", null);
            }
        }
    }

    /**
     * Builds the server from the options, creates the {@code --user} accounts and opens the port.
     *
     * @return the running server
     */
    public TermletServer start() {
        return server().start();
    }

    /**
     * Builds the server from the options and creates the {@code --user} accounts, without opening the port.
     *
     * @return the server, not started
     */
    public TermletServer server() {
        Room room = new Room();
        TermletServer server = options.apply(Termlet.server())
                .builtins(false)                         // every line is a message; /quit leaves
                .banner("Termlet chat")
                .register(room)
                .build();
        room.attach(server);
        options.seedAccounts(server.accounts());
        return server;
    }

    @Override
    public Integer call() throws Exception {
        return options.run("chat", server());
    }
}
