package dev.termlet.internal;

import dev.termlet.Authenticator;
import dev.termlet.auth.AccountStore;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The resolved configuration of one server, as the builder made it.
 *
 * @param bindAddress the address to listen on
 * @param port the port, 0 for any free port
 * @param dataDir the data directory (host keys, accounts, history)
 * @param accounts the account store
 * @param authenticator an external authenticator, or null
 * @param banner the text shown when a shell starts, or null
 * @param prompt the default prompt
 * @param idleTimeout how long a session may wait for input; zero for no limit
 * @param authTimeout how long a connection may take from its TCP accept to authentication (SSH and FTP)
 * @param maxAuthAttempts the most authentication attempts per connection
 * @param maxSessions the most connections in all
 * @param maxSessionsPerUser the most authenticated connections per user
 * @param maxSessionsPerAddress the most connections per remote address
 * @param maxLineLength the longest input line accepted
 * @param historySize lines of history kept per user
 * @param showRefusalReasons whether refusal reasons are shown to clients
 * @param eventQueueLimit the most asynchronous events waiting per connection
 * @param builtins whether the built-in commands are on
 * @param disabledBuiltins built-in commands turned off by name
 * @param completionRoot where {@code Path} arguments are completed from, or null
 * @param protector the protector's settings
 * @param maxUnauthenticated the most connections that have not authenticated yet
 * @param umask the umask for files and directories users create, where the account sets none (0 to 0777)
 * @param maxChannelsPerConnection the most channels open at once on one connection
 * @param startupsBegin the number of unauthenticated connections at which random early drop begins
 * @param startupsRate the drop probability, in percent, at {@code startupsBegin}; it rises linearly to 100 at
 *     {@code maxUnauthenticated}
 * @param maxUnauthenticatedPerAddress the most unauthenticated connections from one address (IPv6: one network
 *     of the protector's IPv6 prefix)
 * @param proxyProtocol the trusted load balancers that send PROXY protocol headers, or null for none
 */
public record Settings(
        String bindAddress,
        int port,
        Path dataDir,
        AccountStore accounts,
        Authenticator authenticator,
        String banner,
        String prompt,
        Duration idleTimeout,
        Duration authTimeout,
        int maxAuthAttempts,
        int maxSessions,
        int maxSessionsPerUser,
        int maxSessionsPerAddress,
        int maxLineLength,
        int historySize,
        boolean showRefusalReasons,
        int eventQueueLimit,
        boolean builtins,
        java.util.Set<String> disabledBuiltins,
        Path completionRoot,
        dev.termlet.protector.ProtectorSettings protector,
        int maxUnauthenticated,
        int umask,
        int maxChannelsPerConnection,
        int startupsBegin,
        int startupsRate,
        int maxUnauthenticatedPerAddress,
        dev.termlet.ProxyProtocol proxyProtocol) {}
