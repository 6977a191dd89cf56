package dev.termlet.spring;

import dev.termlet.Termlet;
import dev.termlet.TermletServer;
import dev.termlet.config.ConfigException;
import dev.termlet.config.TermletConfig;
import dev.termlet.spring.internal.HandlerBeans;
import dev.termlet.spring.internal.PropertyTree;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Termlet's auto-configuration: a {@link TermletConfig} from the {@code termlet.*} properties (the keys of
 * {@code termlet.yaml}, checked whole), a {@link TermletServer} set up from it with every singleton bean that has
 * {@code @OnUser} or {@code @Command} methods registered, the application's Micrometer registry (when it has one) and
 * the {@link TermletServerCustomizer} beans applied, and a {@link TermletServerLifecycle} that starts it when the
 * context has refreshed and stops it gracefully when the context closes. {@code termlet.enabled=false} turns it off;
 * {@code termlet.shutdown-grace} (5 s) is how long sessions get to end. An application's own {@code TermletConfig}
 * (from a {@code termlet.yaml}, say) or {@code TermletServer} bean replaces the one made here.
 */
@AutoConfiguration
@ConditionalOnProperty(prefix = PropertyTree.PREFIX, name = "enabled", havingValue = "true", matchIfMissing = true)
public class TermletAutoConfiguration {
    /** The grace period when {@code termlet.shutdown-grace} is not set. */
    public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(5);

    private static final Logger LOG = LoggerFactory.getLogger(TermletAutoConfiguration.class);

    /** Made by Spring. */
    public TermletAutoConfiguration() {}

    /**
     * The configuration from the {@code termlet.*} properties.
     *
     * @param environment the application's environment
     * @return the checked configuration
     * @throws TermletPropertiesException listing every problem with its property and where it was written
     */
    @Bean
    @ConditionalOnMissingBean
    public TermletConfig termletConfig(ConfigurableEnvironment environment) {
        PropertyTree properties = PropertyTree.bind(environment);
        try {
            return TermletConfig.loader().tree(properties.tree(), PropertyTree.SOURCE)
                    .environment(PropertyTree.referenceEnvironment()).systemProperties(Map.of()).load();
        } catch (ConfigException e) {
            throw properties.exception(e);
        }
    }

    /**
     * The server, built and not started: set up from the configuration, with the handler beans, the meter registry
     * and the customizers. Its account store can be filled before the lifecycle starts it.
     *
     * @param config the configuration
     * @param beans the bean factory, searched for handler beans
     * @param registries the application's Micrometer registry, if it has exactly one (or a primary one)
     * @param customizers the customizers, applied in order
     * @return the server
     */
    @Bean(destroyMethod = "")
    @ConditionalOnMissingBean
    public TermletServer termletServer(TermletConfig config, ConfigurableListableBeanFactory beans,
            ObjectProvider<MeterRegistry> registries, ObjectProvider<TermletServerCustomizer> customizers) {
        TermletServer.Builder builder = config.apply(Termlet.server()).builder();
        Map<String, Object> handlers = HandlerBeans.find(beans);
        if (!handlers.isEmpty()) {
            LOG.info("Termlet handler beans: {}", handlers.keySet());
            builder.register(handlers.values().toArray());
        }
        MeterRegistry registry = registries.getIfUnique();
        if (registry != null) {
            builder.meterRegistry(registry);
        }
        customizers.orderedStream().forEach(c -> c.customize(builder));
        return builder.build();
    }

    /**
     * Starts and stops the server with the context. The grace period is {@code termlet.shutdown-grace}, at most half
     * of {@code spring.lifecycle.timeout-per-shutdown-phase} (30 s), so that the stop ends within the phase.
     *
     * @param server the server
     * @param environment the application's environment
     * @return the lifecycle
     */
    @Bean
    @ConditionalOnMissingBean
    public TermletServerLifecycle termletServerLifecycle(TermletServer server, ConfigurableEnvironment environment) {
        Binder binder = Binder.get(environment);
        Duration grace = binder.bind(PropertyTree.PREFIX + ".shutdown-grace", Duration.class)
                .orElse(DEFAULT_SHUTDOWN_GRACE);
        Duration phase = binder.bind("spring.lifecycle.timeout-per-shutdown-phase", Duration.class)
                .orElse(Duration.ofSeconds(30));
        if (grace.compareTo(phase.dividedBy(2)) > 0) {
            LOG.warn("termlet.shutdown-grace {} is more than half of spring.lifecycle.timeout-per-shutdown-phase {};"
                    + " using {}: raise the phase's timeout for a longer grace", grace, phase, phase.dividedBy(2));
            grace = phase.dividedBy(2);
        }
        return new TermletServerLifecycle(server, grace);
    }
}
