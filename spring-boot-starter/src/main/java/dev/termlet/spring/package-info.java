/**
 * Termlet in a Spring Boot application: {@link dev.termlet.spring.TermletAutoConfiguration} builds the server from the
 * {@code termlet.*} properties, registers every bean with {@code @OnUser} or {@code @Command} methods, measures it on
 * the application's Micrometer registry and starts and stops it with the application context;
 * {@link dev.termlet.spring.TermletServerCustomizer} beans adjust the builder.
 */
package dev.termlet.spring;
