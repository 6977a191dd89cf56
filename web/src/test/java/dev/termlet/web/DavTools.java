package dev.termlet.web;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** What the WebDAV tests share: the server's certificate as PEM, and running a client program. */
final class DavTools {
    private DavTools() {}

    /** @return the server's certificate as PEM */
    static String pem(WebFixture f) throws Exception {
        Path dir = f.data.resolve("web");
        char[] pass = Files.readString(dir.resolve("tls.p12.pass"), StandardCharsets.US_ASCII).trim().toCharArray();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(dir.resolve("tls.p12"))) {
            ks.load(in, pass);
        }
        byte[] der = ks.getCertificate(ks.aliases().nextElement()).getEncoded();
        return "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END CERTIFICATE-----\n";
    }

    /** @return the server's certificate in a PEM file under a directory */
    static Path pemFile(WebFixture f, Path dir) throws Exception {
        Path p = dir.resolve("server.pem");
        Files.writeString(p, pem(f), StandardCharsets.US_ASCII);
        return p;
    }

    /**
     * The outcome of a program.
     *
     * @param exit its exit status
     * @param out what it wrote (stdout and stderr)
     */
    record Run(int exit, String out) {}

    /**
     * Runs a program to its end (at most five minutes).
     *
     * @param env extra environment
     * @param dir the working directory
     * @param command the program and its arguments
     * @return the outcome
     */
    static Run run(Map<String, String> env, Path dir, String... command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("did not end: " + Arrays.toString(command));
        }
        return new Run(p.exitValue(), out);
    }

    /**
     * curl against the server: {@code -sS --cacert}, the body to a file, and the status and headers out.
     *
     * @param f the fixture
     * @param dir a scratch directory (holds the PEM file)
     * @param args curl's other arguments (method, headers, URL...)
     * @return the answer
     */
    static Answer curl(WebFixture f, Path dir, String... args) throws Exception {
        Path pem = dir.resolve("server.pem");
        if (!Files.exists(pem)) {
            pemFile(f, dir);
        }
        Path body = Files.createTempFile(dir, "body", ".out");
        Path headers = Files.createTempFile(dir, "headers", ".out");
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "--http1.1", "--cacert", pem.toString(),
                "-o", body.toString(), "-D", headers.toString(), "-w", "%{http_code}"));
        cmd.addAll(Arrays.asList(args));
        Run r = run(Map.of(), dir, cmd.toArray(new String[0]));
        if (r.exit() != 0) {
            throw new AssertionError("curl failed (" + r.exit() + "): " + r.out());
        }
        return new Answer(Integer.parseInt(r.out().strip()), Files.readString(headers, StandardCharsets.UTF_8),
                Files.readString(body, StandardCharsets.UTF_8));
    }

    /**
     * An HTTP answer.
     *
     * @param status the status
     * @param headers the raw headers
     * @param body the body
     */
    record Answer(int status, String headers, String body) {
        /** @return a header's value, or null */
        String header(String name) {
            for (String line : headers.split("\r?\n")) {
                int c = line.indexOf(':');
                if (c > 0 && line.substring(0, c).strip().equalsIgnoreCase(name)) {
                    return line.substring(c + 1).strip();
                }
            }
            return null;
        }
    }
}
