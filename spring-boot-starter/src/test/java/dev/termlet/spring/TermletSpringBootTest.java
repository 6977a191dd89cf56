package dev.termlet.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.termlet.Client;
import dev.termlet.TermletServer;
import dev.termlet.annotations.Command;
import dev.termlet.annotations.OnUser;
import dev.termlet.auth.Account;
import dev.termlet.auth.JsonAccountStore;
import dev.termlet.test.ExecResult;
import dev.termlet.test.TestClient;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.aopalliance.intercept.MethodInterceptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.annotation.Order;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * An application as users write it: termlet.* properties, a handler bean that uses a Spring service, an account made
 * by a customizer, and Actuator's meter registry; logged in to over SSH with termlet-test's client.
 */
@SpringBootTest(classes = TermletSpringBootTest.App.class, properties = {
        "termlet.listeners[0].port=0",
        "termlet.prompt=app> ",
        "termlet.banner=${app.name} over SSH",
        "termlet.limits.max-sessions-per-user=3",
        "app.name=Tasks"})
class TermletSpringBootTest {
    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void dataDir(DynamicPropertyRegistry registry) {
        registry.add("termlet.data-dir", () -> dataDir.toString());
    }

    /** A Spring service the handler uses. */
    static class Greeter {
        String greet(String user) {
            return "Hello from Spring, " + user;
        }
    }

    /** The handler bean: an event, and a command that uses the service. */
    static class Shell {
        private final Greeter greeter;

        Shell(Greeter greeter) {
            this.greeter = greeter;
        }

        @OnUser("connect")
        void welcome(Client client) {
            client.println(greeter.greet(client.user()));
        }

        @Command(description = "Greets the user.")
        int greet(Client client) {
            client.println(greeter.greet(client.user()) + " (command)");
            return 0;
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import({Greeter.class, Shell.class})
    static class App {
        static final AtomicInteger ADVISED = new AtomicInteger();

        /** Proxies the handler bean by its class, with advice that counts calls, as @Transactional would. */
        @Bean
        static BeanPostProcessor countingProxy() {
            return new BeanPostProcessor() {
                @Override
                public Object postProcessAfterInitialization(Object bean, String name) {
                    if (!(bean instanceof Shell)) {
                        return bean;
                    }
                    ProxyFactory proxy = new ProxyFactory(bean);
                    proxy.setProxyTargetClass(true);
                    proxy.addAdvice((MethodInterceptor) call -> {
                        ADVISED.incrementAndGet();
                        return call.proceed();
                    });
                    return proxy.getProxy();
                }
            };
        }

        @Bean
        @Order(1)
        TermletServerCustomizer account() {
            return builder -> {
                JsonAccountStore store = JsonAccountStore.open(dataDir);
                store.save(Account.builder("alice").password("secret".toCharArray()).build());
                builder.accounts(store);
            };
        }

        @Bean
        @Order(2)
        TermletServerCustomizer laterCustomizerWins() {
            return builder -> builder.prompt("tasks> ");
        }
    }

    @Autowired
    TermletServer server;

    @Autowired
    MeterRegistry meters;

    @Autowired
    Shell shell;

    @Test
    void theHandlerBeanAnswersThroughItsProxy() {
        assertThat(AopUtils.isCglibProxy(shell)).isTrue();
        int before = App.ADVISED.get();
        try (TestClient client = TestClient.password("127.0.0.1", server.port(), "alice", "secret")) {
            client.awaitText("Tasks over SSH");                       // termlet.banner, with its placeholder
            client.awaitText("Hello from Spring, alice");             // @OnUser("connect") on the bean
            client.awaitScreen(s -> s.cursorLine().equals("tasks>"));  // the customizer ran after the properties
            client.typeLine("greet");
            client.awaitText("Hello from Spring, alice (command)");
            ExecResult r = client.exec("greet");
            assertThat(r.status()).isZero();
            assertThat(r.out()).isEqualTo("Hello from Spring, alice (command)\n");
        }
        assertThat(App.ADVISED.get() - before).as("calls through the proxy's advice").isGreaterThanOrEqualTo(3);
    }

    @Test
    void thePropertiesConfiguredTheServer() {
        assertThat(server.isRunning()).isTrue();
        assertThat(server.dataDir()).isEqualTo(dataDir);
        assertThat(server.host()).isEqualTo("127.0.0.1");
        assertThat(server.port()).isPositive();
    }

    @Test
    void theServerIsMeasuredOnTheApplicationsRegistry() {
        try (TestClient client = TestClient.password("127.0.0.1", server.port(), "alice", "secret")) {
            client.awaitText("Hello from Spring, alice");
        }
        assertThat(meters.get("termlet.logins").tag("method", "password").tag("outcome", "success").counter()
                .count()).isGreaterThanOrEqualTo(1);
        assertThat(meters.get("termlet.sessions.started").tag("kind", "shell").counter().count())
                .isGreaterThanOrEqualTo(1);
        assertThat(meters.find("termlet.connections.open").gauge()).isNotNull();
    }

    @Test
    void theHealthIsUpWhileItServes(@Autowired @Qualifier("termletHealthIndicator") HealthIndicator health) {
        assertThat(health.health().getStatus()).isEqualTo(Status.UP);
        assertThat(health.health().getDetails()).containsKeys("addresses", "sessions", "connections");
    }
}
