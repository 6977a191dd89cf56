package dev.termlet.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.termlet.Client;
import dev.termlet.TermletServer;
import dev.termlet.annotations.Command;
import dev.termlet.annotations.OnUser;
import dev.termlet.auth.Account;
import dev.termlet.config.TermletConfig;
import dev.termlet.spring.internal.TermletHealthAutoConfiguration;
import dev.termlet.spring.internal.TermletPropertiesFailureAnalyzer;
import dev.termlet.test.TestClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.aopalliance.intercept.MethodInterceptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.aop.framework.autoproxy.BeanNameAutoProxyCreator;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/** The auto-configuration's beans, switches and failures, and the server's stop with the context. */
@ExtendWith(OutputCaptureExtension.class)
class TermletAutoConfigurationTest {
    @TempDir
    Path dataDir;

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(TermletAutoConfiguration.class,
                        TermletHealthAutoConfiguration.class))
                .withPropertyValues("termlet.listeners[0].port=0", "termlet.data-dir=" + dataDir);
    }

    /** Records the events of sessions. */
    public static class Recorder {
        final CountDownLatch connected = new CountDownLatch(1);
        final CountDownLatch disconnected = new CountDownLatch(1);

        @OnUser("connect")
        void connect(Client client) {
            client.println("Welcome, " + client.user());
            connected.countDown();
        }

        @OnUser("disconnected")
        void disconnected(Client client) {
            disconnected.countDown();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Handlers {
        @Bean
        Recorder recorder() {
            return new Recorder();
        }
    }

    @Test
    void closingTheContextStopsTheServerAndEndsOpenSessions() throws Exception {
        runner().withUserConfiguration(Handlers.class).run(context -> {
            assertThat(context).hasNotFailed();
            TermletServer server = context.getBean(TermletServer.class);
            server.accounts().save(Account.builder("alice").password("secret".toCharArray()).build());
            Recorder recorder = context.getBean(Recorder.class);
            HealthIndicator health = context.getBean("termletHealthIndicator", HealthIndicator.class);
            assertThat(health.health().getStatus()).isEqualTo(Status.UP);
            try (TestClient client = TestClient.password("127.0.0.1", server.port(), "alice", "secret")) {
                client.awaitText("Welcome, alice");
                assertThat(recorder.connected.await(10, TimeUnit.SECONDS)).isTrue();

                context.close();

                assertThat(recorder.disconnected.await(10, TimeUnit.SECONDS)).as("disconnected fired").isTrue();
                client.awaitText("Server is shutting down.");
                assertThat(client.awaitClosed(Duration.ofSeconds(10))).as("the session closed").isTrue();
            }
            assertThat(server.isRunning()).isFalse();
            assertThat(health.health().getStatus()).isEqualTo(Status.DOWN);
        });
    }

    @Test
    void aPortInUseFailsTheStart() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1,
                java.net.InetAddress.getByName("127.0.0.1"))) {
            runner().withPropertyValues("termlet.listeners[0].port=" + taken.getLocalPort()).run(context -> {
                assertThat(context).hasFailed();
                assertThat(context).getFailure().hasStackTraceContaining("cannot start SSH on 127.0.0.1:"
                        + taken.getLocalPort());
            });
        }
    }

    @Test
    void theWebSideWithoutTermletWebIsAClearProblemAndFileServingStillWorksWithoutIt() {
        // termlet-web is an optional dependency of termlet-config: this application does not have it
        assertThat(getClass().getClassLoader().getResource("dev/termlet/web/Web.class")).isNull();
        runner().withPropertyValues("termlet.fileops.enabled=true", "termlet.web.enabled=true").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context).getFailure().hasStackTraceContaining("termlet-web is not on the class path");
        });
        runner().withPropertyValues("termlet.fileops.enabled=true").run(context ->
                assertThat(context).hasNotFailed().hasSingleBean(TermletServer.class));
    }

    @Test
    void termletEnabledFalseTurnsItOff() {
        runner().withUserConfiguration(Handlers.class).withPropertyValues("termlet.enabled=false",
                "termlet.limits.max-sesions=5").run(context -> {
                    assertThat(context).hasNotFailed().doesNotHaveBean(TermletServer.class)
                            .doesNotHaveBean(TermletConfig.class).doesNotHaveBean("termletHealthIndicator");
                });
    }

    @Test
    void theHealthIndicatorCanBeTurnedOff() {
        runner().withPropertyValues("management.health.termlet.enabled=false").run(context ->
                assertThat(context).hasNotFailed().hasSingleBean(TermletServer.class)
                        .doesNotHaveBean("termletHealthIndicator"));
    }

    @Test
    void anApplicationsOwnConfigurationReplacesTheProperties() {
        runner().withPropertyValues("termlet.prompt=from properties> ")
                .withBean(TermletConfig.class, () -> TermletConfig.loader().yaml(String.join("\n",
                        "listeners: [{port: 0}]",
                        "data-dir: " + dataDir,
                        "prompt: 'from yaml> '"), "termlet.yaml").environment(java.util.Map.of())
                        .systemProperties(java.util.Map.of()).load())
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(TermletConfig.class).model().prompt()).isEqualTo("from yaml> ");
                    assertThat(context.getBean(TermletServer.class).isRunning()).isTrue();
                });
    }

    @Test
    void theShutdownGraceIsTheirsWithinHalfTheSpringPhase() {
        runner().run(context -> assertThat(context.getBean(TermletServerLifecycle.class).grace())
                .isEqualTo(Duration.ofSeconds(5)));
        runner().withPropertyValues("termlet.shutdown-grace=12s").run(context ->
                assertThat(context.getBean(TermletServerLifecycle.class).grace()).isEqualTo(Duration.ofSeconds(12)));
        runner().withPropertyValues("termlet.shutdown-grace=40s", "spring.lifecycle.timeout-per-shutdown-phase=20s")
                .run(context -> assertThat(context.getBean(TermletServerLifecycle.class).grace())
                        .isEqualTo(Duration.ofSeconds(10)));
    }

    @Test
    void badPropertiesFailTheStartWithEachProblem() {
        runner().withPropertyValues("termlet.limits.max-sesions=5", "termlet.timeouts.auth=soon").run(context -> {
            assertThat(context).hasFailed();
            Throwable failure = context.getStartupFailure();
            TermletPropertiesException e = findCause(failure, TermletPropertiesException.class);
            assertThat(e.problems()).hasSize(2);
            FailureAnalysis analysis = new TermletPropertiesFailureAnalyzer().analyze(failure);
            assertThat(analysis.getDescription())
                    .startsWith("Termlet's configuration, the termlet.* properties, has 2 problems:")
                    .contains("Property: termlet.limits.max-sesions", "Reason: unknown key 'max-sesions'",
                            "Property: termlet.timeouts.auth");
            assertThat(analysis.getAction()).contains("termlet.limits.max-sesions: did you mean 'max-sessions'?");
        });
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {}

    @Test
    void springBootReportsTheProblemsWithTheirOrigins(CapturedOutput output) {
        SpringApplication app = new SpringApplication(App.class);
        app.setWebApplicationType(WebApplicationType.NONE);
        app.setDefaultProperties(java.util.Map.of("termlet.data-dir", dataDir.toString(),
                "termlet.listeners[0].port", "0", "termlet.listeners[0].adress", "0.0.0.0"));
        ConfigurableApplicationContext context = null;
        try {
            context = app.run();
        } catch (RuntimeException e) {
            assertThat(findCause(e, TermletPropertiesException.class)).isNotNull();
        } finally {
            if (context != null) {
                context.close();
            }
        }
        assertThat(context).as("the application started").isNull();
        assertThat(output).contains("APPLICATION FAILED TO START",
                "Property: termlet.listeners[0].adress",
                "Origin: \"termlet.listeners[0].adress\" from property source \"defaultProperties\"",
                "Reason: unknown key 'adress'",
                "termlet.listeners[0].adress: did you mean 'address'?");
    }

    /** A handler whose method a class-based proxy cannot pass on. */
    public static class PrivateHandler {
        @Command(description = "Says hi.")
        private void hi(Client client) {
            client.println("hi");
        }
    }

    /** A handler interface, for an interface-based proxy. */
    public interface Greeting {
        void greet(Client client);
    }

    /** Its implementation, whose @OnUser method a JDK proxy lacks. */
    public static class GreetingHandler implements Greeting {
        @OnUser("connect")
        @Override
        public void greet(Client client) {
            client.println("hello");
        }
    }

    /** Spring's auto-proxying of the beans named, by their classes or by their interfaces, as for @Transactional. */
    private static BeanNameAutoProxyCreator autoProxy(boolean byClass, String... names) {
        BeanNameAutoProxyCreator creator = new BeanNameAutoProxyCreator();
        creator.setBeanNames(names);
        creator.setInterceptorNames("passThrough");
        creator.setProxyTargetClass(byClass);
        return creator;
    }

    @Test
    void aProxiedHandlerThatCannotBeCalledFailsTheStart() {
        MethodInterceptor passThrough = call -> call.proceed();
        runner().withBean("passThrough", MethodInterceptor.class, () -> passThrough)
                .withBean(BeanNameAutoProxyCreator.class, () -> autoProxy(true, "privateHandler"))
                .withBean("privateHandler", PrivateHandler.class, PrivateHandler::new)
                .run(context -> assertThat(context).getFailure().rootCause()
                        .hasMessageContaining("PrivateHandler#hi is private, and bean 'privateHandler' is a proxy"));
        runner().withBean("passThrough", MethodInterceptor.class, () -> passThrough)
                .withBean(BeanNameAutoProxyCreator.class, () -> autoProxy(false, "greeting"))
                .withBean("greeting", Greeting.class, GreetingHandler::new)
                .run(context -> assertThat(context).getFailure().rootCause()
                        .hasMessageContaining("bean 'greeting' (" + GreetingHandler.class.getName()
                                + ") is an interface-based proxy"));
    }

    /** A handler that needs the server: through an ObjectProvider it may, directly it may not. */
    public static class Admin {
        final ObjectProvider<TermletServer> server;

        Admin(ObjectProvider<TermletServer> server) {
            this.server = server;
        }

        @Command(description = "Counts the sessions.")
        void sessions(Client client) {
            client.println(server.getObject().sessionCount() + " sessions");
        }
    }

    /** The same, with the server injected directly. */
    public static class DirectAdmin {
        DirectAdmin(TermletServer server) {
        }

        @Command(description = "Does nothing.")
        void nothing(Client client) {
        }
    }

    @Test
    void aHandlerMayReachTheServerThroughAnObjectProvider() {
        runner().withBean(Admin.class).run(context -> assertThat(context).hasNotFailed().hasSingleBean(Admin.class));
        runner().withBean(DirectAdmin.class).run(context -> assertThat(context).getFailure().rootCause()
                .hasMessageContaining("inject ObjectProvider<TermletServer>"));
    }

    @Test
    void customizersRunInTheirOrder() {
        List<String> calls = new CopyOnWriteArrayList<>();
        runner().withPropertyValues("termlet.prompt=properties> ")
                .withBean("second", TermletServerCustomizer.class, () -> new Noting("second", 2, calls))
                .withBean("first", TermletServerCustomizer.class, () -> new Noting("first", 1, calls))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(calls).containsExactly("first", "second");
                });
    }

    /** A customizer that notes its name when called. */
    static final class Noting implements TermletServerCustomizer, Ordered {
        private final String name;
        private final int order;
        private final List<String> calls;

        Noting(String name, int order, List<String> calls) {
            this.name = name;
            this.order = order;
            this.calls = calls;
        }

        @Override
        public void customize(TermletServer.Builder builder) {
            calls.add(name);
        }

        @Override
        public int getOrder() {
            return order;
        }
    }

    private static <T extends Throwable> T findCause(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        throw new AssertionError("no " + type.getSimpleName() + " in " + t, t);
    }
}
