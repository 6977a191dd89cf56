package dev.termlet;

import dev.termlet.auth.AuthMethod;
import java.net.SocketAddress;
import java.security.PublicKey;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One login attempt, as {@code auth}, {@code auth-password}, {@code auth-publickey} and
 * {@code auth-interactive} handlers and {@link Authenticator}s see it. {@link #toString()} never shows the
 * password or answers.
 */
public final class AuthRequest {
    private final String user;
    private final AuthMethod method;
    private final String password;
    private final PublicKey publicKey;
    private final List<String> answers;
    private final SocketAddress remoteAddress;
    private final String connectionId;
    private final String protocol;

    /**
     * Creates a request over SSH.
     *
     * @param user the user name the client sent
     * @param method the SSH authentication method
     * @param password the password, for {@link AuthMethod#PASSWORD}; else null
     * @param publicKey the key, for {@link AuthMethod#PUBLICKEY}; else null
     * @param answers the answers, for {@link AuthMethod#KEYBOARD_INTERACTIVE}; else empty
     * @param remoteAddress the client's address
     * @param connectionId the id of the SSH connection
     */
    public AuthRequest(String user, AuthMethod method, String password, PublicKey publicKey,
            List<String> answers, SocketAddress remoteAddress, String connectionId) {
        this(user, method, password, publicKey, answers, remoteAddress, connectionId, "SSH");
    }

    /**
     * Creates a request.
     *
     * @param user the user name the client sent
     * @param method the authentication method
     * @param password the password, for {@link AuthMethod#PASSWORD}; else null
     * @param publicKey the key, for {@link AuthMethod#PUBLICKEY}; else null
     * @param answers the answers, for {@link AuthMethod#KEYBOARD_INTERACTIVE}; else empty
     * @param remoteAddress the client's address
     * @param connectionId the id of the connection
     * @param protocol the protocol logged in over: {@code SSH} or {@code FTP}
     */
    public AuthRequest(String user, AuthMethod method, String password, PublicKey publicKey,
            List<String> answers, SocketAddress remoteAddress, String connectionId, String protocol) {
        this.protocol = Objects.requireNonNull(protocol, "protocol");
        this.user = Objects.requireNonNull(user, "user");
        this.method = Objects.requireNonNull(method, "method");
        this.password = password;
        this.publicKey = publicKey;
        this.answers = answers == null ? List.of() : List.copyOf(answers);
        this.remoteAddress = remoteAddress;
        this.connectionId = connectionId;
    }

    /** @return the protocol of the attempt: {@code SSH} or {@code FTP} */
    public String protocol() {
        return protocol;
    }

    /** @return the user name the client sent */
    public String user() {
        return user;
    }

    /** @return the SSH authentication method of this attempt */
    public AuthMethod method() {
        return method;
    }

    /** @return the password for a password attempt, else null */
    public String password() {
        return password;
    }

    /** @return the offered public key for a public-key attempt (its signature already checked), else null */
    public PublicKey publicKey() {
        return publicKey;
    }

    /** @return the keyboard-interactive answers in question order; empty for other methods */
    public List<String> answers() {
        return answers;
    }

    /** @return the client's address */
    public SocketAddress remoteAddress() {
        return remoteAddress;
    }

    /** @return the id of the SSH connection this attempt belongs to */
    public String connectionId() {
        return connectionId;
    }

    /**
     * The PyserSSH form of this request: a map with {@code username} and {@code password}.
     *
     * @return a new mutable map
     */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("username", user);
        map.put("password", password != null ? password : answers.isEmpty() ? null : answers.get(0));
        return map;
    }

    @Override
    public String toString() {
        return "AuthRequest[user=" + user + ", method=" + method.wireName() + ", from=" + remoteAddress + "]";
    }
}
