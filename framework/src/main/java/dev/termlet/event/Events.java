package dev.termlet.event;

import dev.termlet.AuthRequest;
import dev.termlet.AuthResult;
import dev.termlet.Client;
import dev.termlet.Pty;
import dev.termlet.WindowSize;
import dev.termlet.terminal.Key;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * The framework's own events: PyserSSH's session events, exec and shell requests, and the connection and
 * authentication events of Syncplify Server!. Names are the canonical ones; the aliases registered with
 * each let users of PyserSSH, Syncplify and SFTPGo keep their names.
 */
public final class Events {
    private Events() {}

    /** After login, when an interactive shell starts: banner shown, before the first prompt. */
    public static final EventType CONNECT = EventType.builder("connect")
            .kind(EventKind.SESSION).values(Client.class)
            .description("An authenticated user's interactive shell starts (after the banner, before the first prompt).")
            .build();

    /** When an SFTP session starts (fired by termlet-fileops). */
    public static final EventType CONNECT_SFTP = EventType.builder("connectsftp")
            .kind(EventKind.SESSION).values(Client.class)
            .description("An authenticated user's SFTP session starts.")
            .build();

    /** The external-auth callback: decides a login attempt. */
    public static final EventType AUTH = EventType.builder("auth")
            .kind(EventKind.PRE).refusable().values(AuthRequest.class).map("username", "password")
            .results(AuthResult.class, Boolean.class)
            .description("A password, public-key or keyboard-interactive attempt is decided: return ALLOW/true,"
                    + " DENY/false, or DEFER/nothing to let the account store decide. Never fired for 'none'.")
            .build();

    /** A shell session with a pseudo-terminal starts. */
    public static final EventType CONNECT_PTY = EventType.builder("connectpty")
            .kind(EventKind.SESSION).values(Client.class, Pty.class, WindowSize.class)
            .map("term", "width", "height", "pixelwidth", "pixelheight", "modes")
            .description("A session with a pseudo-terminal starts; carries the terminal type, size and modes.")
            .build();

    /** The client's terminal changed size. */
    public static final EventType RESIZED = EventType.builder("resized")
            .kind(EventKind.SESSION).values(Client.class, WindowSize.class)
            .map("width", "height", "pixelwidth", "pixelheight")
            .description("The client's window changed size (clamped to 1..1000 cells; bursts coalesce to the latest).")
            .build();

    /** A line was entered at the prompt. */
    public static final EventType COMMAND = EventType.builder("command")
            .kind(EventKind.SESSION).values(Client.class, String.class)
            .description("The user entered a non-blank line at the prompt; the String is the line.")
            .build();

    /** A printable character was typed. */
    public static final EventType TYPE = EventType.builder("type")
            .kind(EventKind.SESSION).values(Client.class, Key.class, String.class)
            .description("A printable character was typed; the String is that one Unicode code point (never an escape"
                    + " sequence or broken UTF-8).")
            .build();

    /** Any key was pressed. */
    public static final EventType RAWTYPE = EventType.builder("rawtype")
            .kind(EventKind.SESSION).values(Client.class, Key.class, byte[].class, String.class)
            .description("Any key was pressed, named keys and escape sequences included; byte[] and String are its raw"
                    + " sequence.")
            .build();

    /** A handler threw. */
    public static final EventType ERROR = EventType.builder("error")
            .kind(EventKind.SESSION).values(Client.class, Throwable.class)
            .description("A handler of this session threw; the session goes on with a fresh prompt.")
            .build();

    /** The idle limit was reached. */
    public static final EventType TIMEOUT = EventType.builder("timeout")
            .kind(EventKind.SESSION).values(Client.class)
            .description("The session waited for input longer than its idle limit; it closes after the handlers run.")
            .build();

    /** The session ended. */
    public static final EventType DISCONNECTED = EventType.builder("disconnected")
            .aliases("OnConnectionClose")
            .kind(EventKind.SESSION).values(Client.class)
            .description("The session ended, however it ended; fires exactly once for every session that started:"
                    + " a shell (after connect), an exec command, an SFTP session (after connectsftp), an SCP command"
                    + " and an FTP login.")
            .build();

    /** Before an interactive shell starts. */
    public static final EventType PRE_SHELL = EventType.builder("pre-shell")
            .aliases("open-shell", "BeforeOpenShell")
            .kind(EventKind.PRE).refusable().values(Client.class)
            .description("A client asks for an interactive shell; a handler can refuse it.")
            .build();

    /** Before a command sent with {@code ssh host cmd} runs. */
    public static final EventType OPEN_EXEC = EventType.builder("open-exec")
            .aliases("BeforeOpenCmd")
            .kind(EventKind.PRE).refusable().values(Client.class, String.class)
            .description("A client asks to run a command (ssh host cmd; the String); a handler can refuse it (exit"
                    + " status 126).")
            .build();

    /** A command sent with {@code ssh host cmd}. */
    public static final EventType EXEC = EventType.builder("exec")
            .kind(EventKind.SESSION).values(Client.class, String.class).results(Integer.class)
            .description("Runs a command sent with ssh host cmd; the first handler returning an int sets the exit"
                    + " status. Without exec handlers the line goes to the command handlers.")
            .build();

    /** Before the SFTP subsystem starts (fired by termlet-fileops). */
    public static final EventType OPEN_SFTP = EventType.builder("open-sftp")
            .aliases("BeforeOpenSFTP")
            .kind(EventKind.PRE).refusable().values(Client.class)
            .description("A client asks for the SFTP subsystem, before any SFTP request is answered; a handler can"
                    + " refuse it (the channel closes with exit status 1).")
            .build();

    /** Before the server sends its SSH identification. */
    public static final EventType SOFTWARE_ID = EventType.builder("software-id")
            .aliases("BeforeSendSoftwareID")
            .kind(EventKind.PRE).values(InetSocketAddress.class, String.class).results(String.class)
            .description("A connection was admitted and the server is about to send its identification; the String"
                    + " is the software version (SSH-2.0-<that>) and a handler may return another (printable ASCII,"
                    + " no '-' or space in its first word).")
            .build();

    /** A client asks the server to connect somewhere for it ({@code ssh -L}). */
    public static final EventType OPEN_FORWARD_LOCAL = EventType.builder("open-forward-local")
            .aliases("BeforeOpenClientFwd")
            .kind(EventKind.PRE).refusable().values(ForwardRequest.class)
            .description("A client asks to open a local forwarding (ssh -L, direct-tcpip) that its account allows; a"
                    + " handler can refuse it (the channel open fails).")
            .build();

    /** A client asks the server to listen for it ({@code ssh -R}). */
    public static final EventType OPEN_FORWARD_REMOTE = EventType.builder("open-forward-remote")
            .aliases("BeforeOpenServerFwd")
            .kind(EventKind.PRE).refusable().values(ForwardRequest.class)
            .description("A client asks for a remote forwarding (ssh -R, tcpip-forward) that its account allows; a"
                    + " handler can refuse it (the request fails).")
            .build();

    /** A TCP connection arrived. */
    public static final EventType NEW_CONNECTION = EventType.builder("new-connection")
            .aliases("OnNewConnection", "post-connect")
            .kind(EventKind.PRE).refusable().values(InetSocketAddress.class, String.class, ConnectionOpened.class)
            .description("A TCP connection arrived, before any SSH or FTP exchange (the String is the client's IP"
                    + " address, the ConnectionOpened also says the protocol); a handler can refuse it.")
            .build();

    /** A user asks to start authenticating. */
    public static final EventType AUTH_REQUEST = EventType.builder("auth-request")
            .aliases("OnAuthRequest")
            .kind(EventKind.PRE).refusable().values(AuthRequest.class)
            .description("A user name is first presented on a connection; a handler can refuse every attempt for it.")
            .build();

    /** The server lets the user attempt authentication. */
    public static final EventType AUTH_ALLOWED = EventType.builder("auth-allowed")
            .aliases("OnAuthRequestAllowed")
            .kind(EventKind.POST).values(AuthRequest.class)
            .description("The server lets the user attempt authentication.")
            .build();

    /** The server refuses to let the user attempt authentication. */
    public static final EventType AUTH_DENIED = EventType.builder("auth-denied")
            .aliases("OnAuthRequestDenied")
            .kind(EventKind.POST).values(AuthRequest.class)
            .description("The server refused to let the user attempt authentication.")
            .build();

    /** A password attempt. */
    public static final EventType AUTH_PASSWORD = EventType.builder("auth-password")
            .aliases("OnAuthPassword")
            .kind(EventKind.PRE).refusable().values(AuthRequest.class).map("username", "password")
            .description("A password attempt, before it is checked; a handler can refuse it.")
            .build();

    /** A public-key attempt (signature verified). */
    public static final EventType AUTH_PUBLICKEY = EventType.builder("auth-publickey")
            .aliases("OnAuthPKI")
            .kind(EventKind.PRE).refusable().values(AuthRequest.class)
            .description("A public-key attempt, before the key is checked; a handler can refuse it.")
            .build();

    /** Sets the questions of a keyboard-interactive login. */
    public static final EventType AUTH_INTERACTIVE_QUESTIONS = EventType.builder("auth-interactive-questions")
            .aliases("OnAuthInteractiveSetQuestions")
            .kind(EventKind.PRE).values(AuthRequest.class).results(List.class)
            .description("A keyboard-interactive login starts; a handler may return the List<Question> to ask"
                    + " (by default one password question).")
            .build();

    /** The answers of a keyboard-interactive login arrived. */
    public static final EventType AUTH_INTERACTIVE = EventType.builder("auth-interactive")
            .aliases("OnAuthInteractive")
            .kind(EventKind.PRE).refusable().values(AuthRequest.class).map("username", "password")
            .description("The answers of a keyboard-interactive login arrived, before they are checked; a handler"
                    + " can refuse them.")
            .build();

    /** An authentication attempt failed. */
    public static final EventType AUTH_FAIL = EventType.builder("auth-fail")
            .aliases("OnAuthFail")
            .kind(EventKind.POST).values(AuthRequest.class)
            .description("An authentication attempt failed.")
            .build();

    /** A user authenticated. */
    public static final EventType AUTH_SUCCESS = EventType.builder("auth-success")
            .aliases("OnAuthSuccess", "post-login")
            .kind(EventKind.POST).values(AuthRequest.class)
            .description("A user authenticated.")
            .build();

    /** A command was refused because the account lacks a permission it needs. */
    public static final EventType COMMAND_DENIED = EventType.builder("command-denied")
            .kind(EventKind.POST).values(Client.class, String.class)
            .description("A @Command was refused because the account lacks a permission it needs; the String is"
                    + " the line. The client got exit status 126.")
            .build();

    /** Tab was pressed: the application may offer completions. */
    public static final EventType COMPLETE = EventType.builder("complete")
            .kind(EventKind.SESSION).values(Client.class, String.class).results(List.class)
            .description("Tab was pressed while editing a line (the String, up to the cursor); a handler may"
                    + " return a List<String> of candidates, offered with the command completions.")
            .build();

    /** The protector recorded a strike against an address. */
    public static final EventType PROTECTOR_STRIKE = EventType.builder("protector-strike")
            .aliases("OnProtectorStrike")
            .kind(EventKind.POST).values(dev.termlet.protector.Strike.class)
            .description("The protector recorded a strike (failed login, unknown user, no authentication, protocol"
                    + " violation, unknown command) against an address.")
            .build();

    /** An address was banned or added to the block-list. */
    public static final EventType BLOCKLIST_ADD = EventType.builder("blocklist-add")
            .aliases("OnBlocklistAdd")
            .kind(EventKind.POST).values(dev.termlet.protector.Ban.class)
            .description("An address was banned for a while (past the protector's threshold, or by hand) or added to"
                    + " the permanent block-list.")
            .build();

    /** A banned or blocked address tried to connect. */
    public static final EventType BLOCKLIST_HIT = EventType.builder("blocklist-hit")
            .aliases("OnBlocklistHit")
            .kind(EventKind.POST).values(dev.termlet.protector.Ban.class)
            .description("A banned or blocked address tried to connect and was refused before any SSH exchange.")
            .build();

    /** A connection ended (SSH here; termlet-fileops fires it for FTP too). */
    public static final EventType CONNECTION_CLOSED = EventType.builder("connection-closed")
            .aliases("post-disconnect", "OnConnectionClosed")
            .kind(EventKind.POST).values(ConnectionClosed.class)
            .description("A connection ended: the client's address, the user (null if none authenticated), the"
                    + " protocol (SSH or FTP) and how long it lasted; after the disconnected of each of its sessions.")
            .build();

    /** An account was created. */
    public static final EventType ACCOUNT_ADD = EventType.builder("account-add")
            .aliases("user-add")
            .kind(EventKind.POST).values(dev.termlet.auth.Account.class)
            .description("An account was created in the account store (by code, the accounts command or an admin);"
                    + " SFTPGo's user action 'add'.")
            .build();

    /** An account was changed. */
    public static final EventType ACCOUNT_UPDATE = EventType.builder("account-update")
            .aliases("user-update")
            .kind(EventKind.POST).values(dev.termlet.auth.Account.class)
            .description("An account was changed in the account store; SFTPGo's user action 'update'.")
            .build();

    /** An account was removed. */
    public static final EventType ACCOUNT_DELETE = EventType.builder("account-delete")
            .aliases("user-delete")
            .kind(EventKind.POST).values(dev.termlet.auth.Account.class)
            .description("An account was removed from the account store (the value is the account as it was);"
                    + " SFTPGo's user action 'delete'.")
            .build();

    /** @return every framework event, in the order of the events reference */
    public static List<EventType> all() {
        return List.of(CONNECT, CONNECT_SFTP, AUTH, CONNECT_PTY, RESIZED, COMMAND, TYPE, RAWTYPE, ERROR, TIMEOUT,
                DISCONNECTED, PRE_SHELL, OPEN_EXEC, EXEC, OPEN_SFTP, OPEN_FORWARD_LOCAL, OPEN_FORWARD_REMOTE, NEW_CONNECTION,
                SOFTWARE_ID, AUTH_REQUEST, AUTH_ALLOWED, AUTH_DENIED,
                AUTH_PASSWORD, AUTH_PUBLICKEY, AUTH_INTERACTIVE_QUESTIONS, AUTH_INTERACTIVE, AUTH_FAIL, AUTH_SUCCESS,
                CONNECTION_CLOSED, ACCOUNT_ADD, ACCOUNT_UPDATE, ACCOUNT_DELETE, COMMAND_DENIED, COMPLETE, PROTECTOR_STRIKE, BLOCKLIST_ADD, BLOCKLIST_HIT);
    }
}
