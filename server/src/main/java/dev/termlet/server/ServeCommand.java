package dev.termlet.server;

import dev.termlet.TermletServer;
import dev.termlet.config.ConfigException;
import dev.termlet.config.ServerSetup;
import dev.termlet.config.TermletConfig;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code termlet serve}: the server of the configuration, with the handler classes of the jars in {@code lib/} (the
 * packages named by {@code scan}), metrics for Prometheus and a health endpoint; it runs until SIGTERM or Ctrl-C.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Run the server of the configuration until SIGTERM or Ctrl-C.")
final class ServeCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);

    @Mixin
    ConfigOption config = new ConfigOption();

    @Option(names = "--lib", paramLabel = "DIR",
            description = "Jars of shell apps; the packages named by 'scan' are searched in them (default: "
                    + "$TERMLET_HOME/lib, else ./lib).")
    Path lib;

    @Option(names = "--metrics", paramLabel = "ADDRESS:PORT",
            description = "Serve /metrics (Prometheus) and /health here; 'off' for none (default: "
                    + "127.0.0.1:9464).")
    String metrics = "127.0.0.1:9464";

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        TermletConfig c;
        try {
            c = config.load();
        } catch (ConfigException e) {
            CheckConfigCommand.report(spec.commandLine().getErr(), config, e);
            return 2;
        }
        // the warnings were logged by TermletConfig.load
        Path libDir = lib != null ? lib : defaultLib();
        ClassLoader apps = appClassLoader(libDir);
        Thread.currentThread().setContextClassLoader(apps);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        ServerSetup setup = c.apply(dev.termlet.Termlet.server().meterRegistry(registry));
        TermletServer server = setup.builder().start();
        MetricsEndpoint endpoint = null;
        try {
            if (!metrics.equalsIgnoreCase("off")) {
                endpoint = MetricsEndpoint.start(metrics, registry, server);
            }
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        MetricsEndpoint stopEndpoint = endpoint;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            if (stopEndpoint != null) {
                stopEndpoint.close();
            }
        }, "termlet-shutdown"));
        out.println("termlet serving SSH on " + server.host() + ":" + server.port());
        setup.fileOps().filter(f -> f.ftpPort() > 0)
                .ifPresent(f -> out.println("termlet serving FTP on " + server.host() + ":" + f.ftpPort()));
        setup.web().filter(w -> w.port() > 0)
                .ifPresent(w -> out.println("termlet serving HTTPS on " + server.host() + ":" + w.port()));
        setup.web().filter(w -> w.httpPort() > 0)
                .ifPresent(w -> out.println("termlet serving HTTP (no TLS) on " + server.host() + ":" + w.httpPort()));
        if (endpoint != null) {
            out.println("termlet serving metrics on http://" + endpoint.address() + "/metrics and /health");
        }
        out.flush();
        server.await();
        return 0;
    }

    /** {@code $TERMLET_HOME/lib} when the launch script set it, else {@code ./lib}. */
    private static Path defaultLib() {
        String home = System.getenv("TERMLET_HOME");
        return home != null && !home.isBlank() ? Path.of(home, "lib") : Path.of("lib");
    }

    /**
     * A class loader over every jar in a directory (none when it does not exist), on top of the server's own.
     *
     * @throws IOException if the directory cannot be listed
     */
    static ClassLoader appClassLoader(Path dir) throws IOException {
        List<URL> jars = new ArrayList<>();
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path p : (Iterable<Path>) files.sorted()::iterator) {
                    if (p.getFileName().toString().endsWith(".jar") && Files.isRegularFile(p)) {
                        jars.add(p.toUri().toURL());
                    }
                }
            }
        }
        LOG.info("shell apps: {} jar(s) in {}", jars.size(), dir.toAbsolutePath());
        return new URLClassLoader("termlet-apps", jars.toArray(new URL[0]), ServeCommand.class.getClassLoader());
    }
}
