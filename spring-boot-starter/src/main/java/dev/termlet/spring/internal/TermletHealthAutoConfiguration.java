package dev.termlet.spring.internal;

import dev.termlet.TermletServer;
import dev.termlet.spring.TermletAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * With Spring Boot Actuator (3.x), the health contributor {@code termlet}: UP while the server accepts connections,
 * with its addresses, sessions and connections; DOWN before it started and once it stops.
 * {@code management.health.termlet.enabled=false} turns it off.
 */
@AutoConfiguration(after = TermletAutoConfiguration.class)
@ConditionalOnClass({HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class})
@ConditionalOnBean(TermletServer.class)
@ConditionalOnEnabledHealthIndicator("termlet")
public class TermletHealthAutoConfiguration {
    /** Made by Spring. */
    public TermletHealthAutoConfiguration() {}

    /**
     * @param server the server
     * @return the health indicator
     */
    @Bean
    @ConditionalOnMissingBean(name = "termletHealthIndicator")
    public HealthIndicator termletHealthIndicator(TermletServer server) {
        return () -> {
            Health.Builder health = server.isRunning() ? Health.up() : Health.down();
            if (server.isRunning()) {
                health.withDetail("addresses", server.addresses().toString())
                        .withDetail("sessions", server.sessionCount())
                        .withDetail("connections", server.connectionCount());
            }
            return health.build();
        };
    }
}
