package dev.termlet.internal.command;

import dev.termlet.Client;
import dev.termlet.auth.AccountStore;
import java.time.Instant;
import java.util.List;

/** What the built-in commands need from the server. */
public interface BuiltinContext {

    /** @return the running sessions */
    List<Client> sessions();

    /** @return when the server started */
    Instant startedAt();

    /** @return the account store */
    AccountStore accounts();

    /** @return the protector, for {@code bans} */
    dev.termlet.protector.Protector protector();

    /** @return the command dispatcher, for {@code help} */
    CommandDispatcher commands();
}
