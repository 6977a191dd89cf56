package dev.termlet.protector;

import java.time.Instant;

/**
 * A ban of an address or range, as {@code blocklist-add} and {@code blocklist-hit} handlers see it.
 *
 * @param address the banned address or CIDR range
 * @param until when a temporary ban ends; null for a permanent block
 * @param offences how many times the address has been banned (1 for the first ban); 0 for permanent blocks
 * @param reason why
 */
public record Ban(String address, Instant until, int offences, String reason) {

    /** @return whether this is a permanent block-list entry */
    public boolean permanent() {
        return until == null;
    }
}
