package dev.termlet.spring;

import dev.termlet.TermletServer;

/**
 * Adjusts the server's builder after the {@code termlet.*} properties and the handler beans were applied, before the
 * server is built: an authenticator, an account store, extensions, anything the properties do not set. Every bean of
 * this type is called, in {@link org.springframework.core.annotation.Order @Order}.
 *
 * <pre>{@code
 * @Bean
 * TermletServerCustomizer accounts(MyAccountStore store) {
 *     return builder -> builder.accounts(store);
 * }
 * }</pre>
 */
@FunctionalInterface
public interface TermletServerCustomizer {
    /**
     * Adjusts the builder.
     *
     * @param builder the builder, set up from the properties, with the handler beans registered
     */
    void customize(TermletServer.Builder builder);
}
