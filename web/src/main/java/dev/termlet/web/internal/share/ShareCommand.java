package dev.termlet.web.internal.share;

import dev.termlet.fileops.Protocol;
import dev.termlet.fileops.internal.core.FileSession;
import dev.termlet.spi.ShellWords;
import dev.termlet.web.internal.Login;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.AbstractCommandSupport;
import org.apache.sshd.server.command.CommandFactory;
import org.apache.sshd.server.session.ServerSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SSH command {@code share}, for a user logged in over SSH ({@code ssh host share ...}):
 * <pre>
 * share create PATH [--mode read|write|upload-only] [--expires 7d] [--password SECRET|-] [--max-uses N]
 * share list
 * share delete ID
 * </pre>
 * {@code create} prints the link on the first line; {@code --password -} reads the password from standard input
 * (so it is not on a command line). It serves exec requests only, as the file server's {@code md5sum} does: it is
 * put before the server's own command handling, so it is no command of the interactive prompt, and the
 * {@code open-exec} and {@code exec} handlers do not see it. Exit statuses: 0 done, 1 refused, 2 usage.
 */
public final class ShareCommand extends AbstractCommandSupport {
    private static final Logger LOG = LoggerFactory.getLogger(ShareCommand.class);
    static final String USAGE = "usage: share create PATH [--mode read|write|upload-only] [--expires 7d]"
            + " [--password SECRET|-] [--max-uses N]\n       share list\n       share delete ID\n";

    private final Shares shares;
    private final Function<SocketAddress, String> base;
    private final List<String> words;

    private ShareCommand(String command, Shares shares, Function<SocketAddress, String> base, List<String> words) {
        super(command, null);
        this.shares = shares;
        this.base = base;
        this.words = words;
    }

    /**
     * Serves {@code share} and hands every other command to the next factory.
     *
     * @param shares the shares
     * @param base the base address of links, given the address the SSH client connected to
     * @param next the next factory
     * @return the factory
     */
    public static CommandFactory factory(Shares shares, Function<SocketAddress, String> base, CommandFactory next) {
        return (ChannelSession channel, String command) -> {
            List<String> words;
            try {
                words = ShellWords.split(command);
            } catch (ShellWords.SyntaxException e) {
                words = null;
            }
            if (words != null && !words.isEmpty() && words.get(0).equals("share")) {
                return new ShareCommand(command, shares, base, words.subList(1, words.size()));
            }
            if (next == null) {
                throw new IOException("unknown command");
            }
            return next.createCommand(channel, command);
        };
    }

    @Override
    public void run() {
        int status;
        try {
            status = execute();
        } catch (IOException e) {
            LOG.warn("share command failed: {}", e.getMessage());
            status = 1;
            err("share: the command failed");
        } catch (Usage e) {
            err("share: " + e.getMessage() + "\n" + USAGE);
            status = 2;
        } catch (Shares.Refused e) {
            err("share: " + e.getMessage());
            status = 1;
        }
        onExit(status);
    }

    /** A command line that is not right. */
    private static final class Usage extends Exception {
        private static final long serialVersionUID = 1L;

        Usage(String message) {
            super(message);
        }
    }

    private int execute() throws IOException, Usage, Shares.Refused {
        ServerSession session = getServerSession();
        String user = session.getUsername();
        if (!session.isAuthenticated() || user == null) {
            throw new Shares.Refused(403, "not logged in");
        }
        if (words.isEmpty() || words.get(0).equals("-h") || words.get(0).equals("--help")
                || words.get(0).equals("help")) {
            out(USAGE);
            return words.isEmpty() ? 2 : 0;
        }
        Login login = shares.login(user, session.getRemoteAddress(), Protocol.SSH);
        FileSession own = login.session();
        if (own.revoked()) {
            throw new Shares.Refused(403, "permission denied: account removed or disabled");
        }
        String link = base.apply(session.getIoSession().getLocalAddress());
        switch (words.get(0)) {
            case "create":
                return create(login, own, session, link);
            case "list":
                if (words.size() != 1) {
                    throw new Usage("list takes no arguments");
                }
                for (Share s : shares.store().of(user)) {
                    out(line(s, link) + "\n");
                }
                return 0;
            case "delete":
                if (words.size() != 2) {
                    throw new Usage("say which share: share delete ID");
                }
                Optional<Share> s = shares.store().byId(words.get(1)).filter(x -> x.owner().equals(user));
                if (s.isEmpty()) {
                    throw new Shares.Refused(404, "no such share: " + words.get(1));
                }
                shares.store().delete(s.get().id());
                out("deleted " + s.get().id() + "\n");
                return 0;
            default:
                throw new Usage("unknown subcommand: " + words.get(0));
        }
    }

    private int create(Login login, FileSession own, ServerSession session, String link)
            throws IOException, Usage, Shares.Refused {
        String path = null;
        String mode = "read";
        Duration life = null;
        String password = null;
        int maxUses = 0;
        List<String> a = new ArrayList<>(words.subList(1, words.size()));
        for (int i = 0; i < a.size(); i++) {
            String w = a.get(i);
            String value = null;
            String name = w;
            if (w.startsWith("--") && w.contains("=")) {
                name = w.substring(0, w.indexOf('='));
                value = w.substring(w.indexOf('=') + 1);
            }
            switch (name) {
                case "--mode":
                case "--expires":
                case "--password":
                case "--max-uses":
                    if (value == null) {
                        if (i + 1 >= a.size()) {
                            throw new Usage(name + " needs a value");
                        }
                        value = a.get(++i);
                    }
                    if (name.equals("--mode")) {
                        mode = value;
                    } else if (name.equals("--expires")) {
                        life = Shares.duration(value);
                        if (life == null) {
                            throw new Usage("--expires takes a lifetime such as 7d, 12h, 1h30m or PT30M");
                        }
                    } else if (name.equals("--password")) {
                        password = value;
                    } else {
                        try {
                            maxUses = Integer.parseInt(value);
                        } catch (NumberFormatException e) {
                            throw new Usage("--max-uses takes a whole number");
                        }
                    }
                    break;
                default:
                    if (w.startsWith("-") && !w.equals("-")) {
                        throw new Usage("unknown option: " + w);
                    }
                    if (path != null) {
                        throw new Usage("one path only");
                    }
                    path = w;
            }
        }
        if (path == null) {
            throw new Usage("say what to share: share create PATH");
        }
        char[] secret = password == null ? null : password.equals("-") ? readPassword() : password.toCharArray();
        // the events go to the SSH connection's queue, after its other events
        FileSession firing = new FileSession(own.user(), own.account(), own.revoked(), Protocol.SSH, own.remote(),
                own.sessionId(), own.root(), session, null);
        Instant expires = life == null ? null : shares.now().plus(life.compareTo(Shares.MAX_LIFETIME) > 0
                ? Shares.MAX_LIFETIME.plusDays(1) : life);
        try {
            Share s = shares.create(login, firing, new Shares.Spec(path, Shares.mode(mode), expires, secret, maxUses));
            out(link + "/s/" + s.token() + "\n" + line(s, link) + "\n");
            return 0;
        } finally {
            if (secret != null) {
                Arrays.fill(secret, '\0');
            }
        }
    }

    private char[] readPassword() throws IOException {
        InputStream in = getInputStream();
        byte[] b = in.readNBytes(1024);
        String s = new String(b, StandardCharsets.UTF_8);
        int nl = s.indexOf('\n');
        s = (nl >= 0 ? s.substring(0, nl) : s).replace("\r", "");
        if (s.isEmpty()) {
            throw new IOException("no password on standard input");
        }
        return s.toCharArray();
    }

    private static String line(Share s, String link) {
        return s.id() + "  " + s.path() + "  " + Shares.wire(s.mode())
                + "  expires " + (s.expires() == null ? "never" : s.expires().toString())
                + "  uses " + s.uses() + (s.maxUses() > 0 ? "/" + s.maxUses() : "")
                + (s.passwordProtected() ? "  password" : "") + "  " + link + "/s/" + s.token();
    }

    private void out(String text) {
        write(getOutputStream(), text);
    }

    private void err(String text) {
        write(getErrorStream(), text.endsWith("\n") ? text : text + "\n");
    }

    private static void write(OutputStream o, String text) {
        try {
            o.write(text.getBytes(StandardCharsets.UTF_8));
            o.flush();
        } catch (IOException ignored) {
            // the client has gone
        }
    }

    /**
     * The host part of a base address for a local address.
     *
     * @param local the address the client connected to
     * @return the host for a URL ({@code [::1]} for IPv6)
     */
    public static String urlHost(SocketAddress local) {
        String h = local instanceof InetSocketAddress ? ((InetSocketAddress) local).getHostString() : "localhost";
        return h.contains(":") ? "[" + h + "]" : h;
    }
}
