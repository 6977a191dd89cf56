package dev.termlet.web.internal;

import dev.termlet.auth.Account;
import dev.termlet.fileops.Protocol;
import dev.termlet.fileops.internal.core.FileGate;
import dev.termlet.fileops.internal.core.VirtualRoot;
import dev.termlet.spi.ForeignConnection;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web side's logins, all through the server's own pipeline ({@link ForeignConnection#authenticate}: auth
 * events, external authenticator, account store, protector strikes and bans, connection limits).
 *
 * <ul>
 *   <li>A browser logs in once and gets a random session token (a cookie) and a CSRF token; the login ends on
 *       logout, after {@code idle} without a request, or when the account is removed, disabled or gets a new
 *       password.</li>
 *   <li>A WebDAV client sends Basic credentials with every request. The first request logs in; the login is then
 *       kept for the same user, address and password (held as an HMAC under a key of this process, never as the
 *       password) until it has been idle for {@code davIdle}, so a client's hundreds of requests make one
 *       connection, one {@code connection-closed}, and one password check.</li>
 * </ul>
 */
public final class Logins implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Logins.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final FileGate gate;
    private final Path homes;
    private final Duration idle;
    private final Duration davIdle;
    private final Map<String, Login> browsers = new ConcurrentHashMap<>();
    private final Map<String, Login> davs = new ConcurrentHashMap<>();
    /** The password hash each login was made with, to end it when the password changes. */
    private final Map<Login, String> hashes = new ConcurrentHashMap<>();
    private final SecretKeySpec key;
    private final ScheduledExecutorService reaper;

    /**
     * @param gate the file gate (accounts, events)
     * @param homes the real directory of the homes
     * @param idle how long a browser login lasts without a request
     * @param davIdle how long a WebDAV client's login is kept without a request
     */
    public Logins(FileGate gate, Path homes, Duration idle, Duration davIdle) {
        this.gate = gate;
        this.homes = homes;
        this.idle = idle;
        this.davIdle = davIdle;
        byte[] k = new byte[32];
        RANDOM.nextBytes(k);
        this.key = new SecretKeySpec(k, "HmacSHA256");
        this.reaper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "termlet-web-logins");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(1, Math.min(30, Math.min(idle.toSeconds(), davIdle.toSeconds()) / 2));
        reaper.scheduleWithFixedDelay(this::reap, every, every, TimeUnit.SECONDS);
    }

    /** A browser login: the session token for the cookie, and the login. */
    public record Browser(String token, Login login) {}

    /**
     * Logs a browser in.
     *
     * @param remote the client's address
     * @param user the user name
     * @param password the password; never logged
     * @return the login, or empty when the credentials are wrong (the protector has counted the failure)
     * @throws IOException when the server refuses the connection (a ban, a limit); the message says why
     */
    public Optional<Browser> browser(SocketAddress remote, String user, char[] password) throws IOException {
        Login l = login(remote, user, password, Protocol.HTTP);
        if (l == null) {
            return Optional.empty();
        }
        String token = token();
        browsers.put(token, l);
        return Optional.of(new Browser(token, l));
    }

    /**
     * @param token a session token from a cookie, or null
     * @return its login while it lasts
     */
    public Optional<Login> byToken(String token) {
        if (token == null) {
            return Optional.empty();
        }
        Login l = browsers.get(token);
        if (l == null || l.ended() || l.idleNanos() > idle.toNanos()) {
            if (l != null) {
                end(browsers, token, l);
            }
            return Optional.empty();
        }
        l.touch();
        return Optional.of(l);
    }

    /**
     * Ends a browser's login (logout).
     *
     * @param token its session token
     */
    public void logout(String token) {
        Login l = token == null ? null : browsers.get(token);
        if (l != null) {
            end(browsers, token, l);
        }
    }

    /**
     * The login of a WebDAV request with Basic credentials: the one kept for the same user, address and password,
     * or a new one.
     *
     * @param remote the client's address
     * @param user the user name
     * @param password the password; never logged
     * @return the login, or empty when the credentials are wrong
     * @throws IOException when the server refuses the connection
     */
    public Optional<Login> basic(SocketAddress remote, String user, char[] password) throws IOException {
        String k = user + '\u0000' + dev.termlet.protector.Addresses.host(remote) + '\u0000' + mac(password);
        Login kept = davs.get(k);
        if (kept != null && !kept.ended() && kept.idleNanos() <= davIdle.toNanos()) {
            kept.touch();
            return Optional.of(kept);
        }
        if (kept != null) {
            end(davs, k, kept);
        }
        Login l = login(remote, user, password, Protocol.WEBDAV);
        if (l == null) {
            return Optional.empty();
        }
        Login raced = davs.putIfAbsent(k, l);
        if (raced != null && !raced.ended()) {
            // another request of the same client logged in at the same time: keep one
            forget(l);
            raced.touch();
            return Optional.of(raced);
        }
        if (raced != null) {
            davs.put(k, l);
        }
        return Optional.of(l);
    }

    private Login login(SocketAddress remote, String user, char[] password, Protocol protocol) throws IOException {
        Login[] made = new Login[1];
        ForeignConnection c = gate.context().admit(remote, protocol.name(), () -> {
            Login l = made[0];
            if (l != null) {
                forget(l);
            }
        });
        boolean ok = false;
        try {
            if (!Account.validName(user) || !c.authenticate(user, new String(password))) {
                return null;
            }
            if (gate.live(user, c.accountExpected()).revoked()) {
                LOG.info("account of {} was removed or disabled while logging in over {}", user, protocol);
                return null;
            }
            Path home = gate.homeOf(homes, user);
            VirtualRoot.createHome(home);
            VirtualRoot root = new VirtualRoot(home.toRealPath(), () -> gate.context().umask(user));
            Login l = new Login(c, root, protocol, gate, protocol == Protocol.HTTP ? token() : null,
                    gate.context().sessionStarted(protocol.name().toLowerCase(java.util.Locale.ROOT)));
            made[0] = l;
            hashes.put(l, gate.context().accounts().find(user).map(Account::passwordHash).orElse(""));
            ok = true;
            return l;
        } finally {
            if (!ok) {
                c.close();
            }
        }
    }

    private String mac(char[] password) {
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(key);
            return Base64.getEncoder().encodeToString(m.doFinal(new String(password).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing", e);
        }
    }

    private static String token() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private void end(Map<String, Login> from, String key, Login l) {
        from.remove(key, l);
        hashes.remove(l);
        l.end();
    }

    /** Ends a login wherever it is kept. */
    private void forget(Login l) {
        browsers.values().remove(l);
        davs.values().remove(l);
        hashes.remove(l);
        l.end();
    }

    private void reap() {
        try {
            browsers.forEach((k, l) -> {
                if (l.ended() || l.idleNanos() > idle.toNanos()) {
                    end(browsers, k, l);
                }
            });
            davs.forEach((k, l) -> {
                if (l.ended() || l.idleNanos() > davIdle.toNanos()) {
                    end(davs, k, l);
                }
            });
        } catch (RuntimeException e) {
            LOG.warn("could not end idle web logins: {}", e.toString());
        }
    }

    /**
     * Ends the logins of an account that was removed, disabled or given a new password.
     *
     * @param account the account as it is now
     * @param removed whether it was removed
     */
    public void accountChanged(Account account, boolean removed) {
        for (Map.Entry<Login, String> e : hashes.entrySet()) {
            Login l = e.getKey();
            if (l.user().equals(account.name()) && (removed || !account.enabled()
                    || !e.getValue().equals(account.passwordHash()))) {
                LOG.info("ending the {} login of {}: the account was {}", l.protocol(), account.name(),
                        removed ? "removed" : !account.enabled() ? "disabled" : "given a new password");
                forget(l);
            }
        }
    }

    @Override
    public void close() {
        reaper.shutdownNow();
        browsers.forEach((k, l) -> end(browsers, k, l));
        davs.forEach((k, l) -> end(davs, k, l));
    }
}
