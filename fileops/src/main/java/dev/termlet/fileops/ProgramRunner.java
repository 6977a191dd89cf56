package dev.termlet.fileops;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a hook program: a clean environment ({@code PATH} and the hook's variables, never the server's own),
 * no standard input, stdout and stderr drained by their own threads (bounded, so a chatty program never
 * blocks and never fills memory), and a time limit past which the program and everything it started are
 * killed.
 */
final class ProgramRunner {
    private static final Logger LOG = LoggerFactory.getLogger(ProgramRunner.class);
    private static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    /** How much of each output stream is kept (the rest is read and dropped). */
    static final int KEEP = 64 * 1024;

    private ProgramRunner() {}

    /**
     * What a run gave.
     *
     * @param exitCode the exit status, or -1 if the program did not start or was killed
     * @param timedOut whether it was killed at the time limit
     * @param stdout the first {@link #KEEP} bytes of its standard output, as UTF-8
     * @param problem why it failed to start, or null
     */
    record Result(int exitCode, boolean timedOut, String stdout, String problem) {
        boolean ok() {
            return exitCode == 0 && !timedOut && problem == null;
        }

        String describe() {
            if (problem != null) {
                return problem;
            }
            return timedOut ? "timed out, killed" : "exit status " + exitCode;
        }
    }

    /**
     * Runs a program and waits for it.
     *
     * @param program the program
     * @param args its arguments
     * @param env its environment besides {@code PATH}
     * @param timeout the time limit
     * @param logOutput whether its output may be logged (at debug); false when it may hold secrets
     * @return what happened
     * @throws InterruptedException if the waiting thread was interrupted (the program is killed first)
     */
    static Result run(Path program, List<String> args, Map<String, String> env, Duration timeout, boolean logOutput)
            throws InterruptedException {
        ProcessBuilder pb = builder(program, args, env);
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            return new Result(-1, false, "", "cannot start: " + e.getMessage());
        }
        Drain out = Drain.start(process.getInputStream(), "termlet-hook-out-" + process.pid());
        Drain err = Drain.start(process.getErrorStream(), "termlet-hook-err-" + process.pid());
        boolean finished;
        try {
            finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            killTree(process);
            throw e;
        }
        if (!finished) {
            killTree(process);
        }
        String stdout = out.text(Duration.ofSeconds(2));
        String stderr = err.text(Duration.ofSeconds(2));
        if (LOG.isDebugEnabled()) {
            LOG.debug("hook {} stdout: {}", program, logOutput ? shorten(stdout) : "(" + stdout.length() + " chars, not logged)");
            LOG.debug("hook {} stderr: {}", program, logOutput ? shorten(stderr) : "(" + stderr.length() + " chars, not logged)");
        }
        return new Result(finished ? process.exitValue() : -1, !finished, stdout, null);
    }

    /**
     * A process builder for a hook program: its arguments, and a clean environment of the hook's variables and
     * the server's {@code PATH}.
     *
     * @param program the program
     * @param args its arguments
     * @param env its environment besides {@code PATH}
     * @return the builder (standard streams still to be set)
     */
    static ProcessBuilder builder(Path program, List<String> args, Map<String, String> env) {
        List<String> command = new ArrayList<>();
        command.add(program.toString());
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command);
        Map<String, String> environment = pb.environment();
        environment.clear();
        env.forEach((k, v) -> environment.put(k, v == null ? "" : v));
        // the server's PATH, set last: a hook's own variables never choose where its commands come from
        String path = System.getenv("PATH");
        environment.put("PATH", path == null || path.isEmpty() ? DEFAULT_PATH : path);
        return pb;
    }

    /** Kills a process and every process it started, children first (they are found through the parent). */
    static void killTree(Process process) {
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String shorten(String s) {
        String t = s.strip();
        return t.length() > 4096 ? t.substring(0, 4096) + "..." : t;
    }

    /** Reads one stream to its end on its own daemon thread, keeping the first {@link #KEEP} bytes. */
    private static final class Drain implements Runnable {
        private final InputStream in;
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        private final Thread thread;

        private Drain(InputStream in, String name) {
            this.in = in;
            this.thread = new Thread(this, name);
            thread.setDaemon(true);
        }

        static Drain start(InputStream in, String name) {
            Drain d = new Drain(in, name);
            d.thread.start();
            return d;
        }

        @Override
        public void run() {
            byte[] buf = new byte[8192];
            try (InputStream s = in) {
                int n;
                while ((n = s.read(buf)) >= 0) {
                    synchronized (kept) {
                        int room = KEEP - kept.size();
                        if (room > 0) {
                            kept.write(buf, 0, Math.min(room, n));
                        }
                    }
                }
            } catch (IOException e) {
                // the stream closed under us: the program was killed
            }
        }

        String text(Duration wait) throws InterruptedException {
            thread.join(wait.toMillis());
            if (thread.isAlive()) {
                // a detached grandchild still holds the pipe: stop waiting, close our end
                try {
                    in.close();
                } catch (IOException e) {
                    // nothing to do
                }
            }
            synchronized (kept) {
                return kept.toString(StandardCharsets.UTF_8);
            }
        }
    }
}
