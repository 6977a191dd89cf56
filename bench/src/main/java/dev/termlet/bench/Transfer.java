package dev.termlet.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.ftp.FTPReply;
import org.apache.commons.net.ftp.FTPSClient;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.kex.KexProposalOption;
import org.apache.sshd.scp.client.ScpClient;
import org.apache.sshd.scp.client.ScpClientCreator;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code transfer sftp|scp|ftp}: uploads and downloads one big file and then many small files, timing each
 * direction, and checks that what came back is what was sent. Prints one {@code key=value} line per
 * measurement. Clients: MINA's {@code SftpClient} and {@code ScpClient}, Commons Net's {@code FTPSClient}
 * (explicit TLS with a protected data channel) or {@code FTPClient} ({@code --no-tls}).
 */
@Command(name = "transfer", mixinStandardHelpOptions = true,
        description = "Measures uploads and downloads over sftp, scp or ftp in MiB/s.")
final class Transfer implements Callable<Integer> {
    @Parameters(index = "0", description = "sftp, scp or ftp")
    String protocol;

    @Mixin
    SshLogin login = new SshLogin();

    @Option(names = "--size", description = "The big file's size: 1g, 256m, 64k (default: ${DEFAULT-VALUE}).")
    String size = "1g";

    @Option(names = "--files", description = "How many small files (default: ${DEFAULT-VALUE}; 0 skips them).")
    int files = 10_000;

    @Option(names = "--file-size", description = "Each small file's size (default: ${DEFAULT-VALUE}).")
    String fileSize = "4k";

    @Option(names = "--remote-dir", description = "Where on the server (default: ${DEFAULT-VALUE}).")
    String remoteDir = "bench-transfer";

    @Option(names = "--local-dir", description = "Local scratch directory (default: ${DEFAULT-VALUE}).")
    Path localDir = Path.of(System.getProperty("java.io.tmpdir"), "termlet-bench-transfer");

    @Option(names = "--no-tls", negatable = true, description = "ftp: plain FTP instead of explicit TLS.")
    boolean noTls;

    private Path bigFile;
    private Path smallDir;
    private Path back;
    /** The cipher negotiated for server-to-client data (SSH protocols only), printed with each figure. */
    private String cipher = "";

    @Override
    public Integer call() throws Exception {
        long bigBytes = parseSize(size);
        long smallBytes = parseSize(fileSize);
        prepare(bigBytes, smallBytes);
        switch (protocol) {
            case "sftp":
            case "scp":
                SshClient client = login.client();
                try (ClientSession session = login.login(client)) {
                    cipher = " cipher=" + session.getNegotiatedKexParameter(KexProposalOption.S2CENC);
                    if (protocol.equals("sftp")) {
                        sftp(session, bigBytes, smallBytes);
                    } else {
                        scp(session, bigBytes, smallBytes);
                    }
                } finally {
                    client.stop();
                }
                return 0;
            case "ftp":
                ftp(bigBytes, smallBytes);
                return 0;
            default:
                System.err.println("transfer: sftp, scp or ftp, not " + protocol);
                return 2;
        }
    }

    static long parseSize(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        long unit = 1;
        char last = t.charAt(t.length() - 1);
        if (last == 'k' || last == 'm' || last == 'g') {
            unit = last == 'k' ? 1L << 10 : last == 'm' ? 1L << 20 : 1L << 30;
            t = t.substring(0, t.length() - 1);
        }
        return Long.parseLong(t) * unit;
    }

    /** Writes the local sources once (incompressible bytes), reused by later runs of the same sizes. */
    private void prepare(long bigBytes, long smallBytes) throws IOException {
        Files.createDirectories(localDir);
        bigFile = localDir.resolve("big-" + bigBytes + ".bin");
        if (!Files.exists(bigFile) || Files.size(bigFile) != bigBytes) {
            byte[] block = new byte[1 << 20];
            Random random = new Random(42);
            Path tmp = localDir.resolve("big.tmp");
            try (OutputStream out = Files.newOutputStream(tmp)) {
                for (long left = bigBytes; left > 0; left -= block.length) {
                    random.nextBytes(block);
                    out.write(block, 0, (int) Math.min(block.length, left));
                }
            }
            Files.move(tmp, bigFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        smallDir = localDir.resolve("small-" + files + "x" + smallBytes).resolve("small");
        Path complete = smallDir.resolveSibling(".complete");
        if (files > 0 && !Files.exists(complete)) {
            Files.createDirectories(smallDir);
            byte[] data = new byte[(int) smallBytes];
            Random random = new Random(7);
            for (int i = 0; i < files; i++) {
                random.nextBytes(data);
                Files.write(smallDir.resolve(name(i)), data);
            }
            Files.createFile(complete);
        }
        back = localDir.resolve("back");
        delete(back);
        Files.createDirectories(back);
    }

    private static String name(int i) {
        return String.format(Locale.ROOT, "f%05d.bin", i);
    }

    private void report(String what, String direction, long bytes, int count, long nanos, boolean ok) {
        double seconds = nanos / 1e9;
        System.out.printf(Locale.ROOT, "scenario=transfer protocol=%s label=%s what=%s direction=%s bytes=%d files=%d"
                + " seconds=%.2f rate=%.1fMiB/s filesPerSecond=%.0f ok=%s%s%n",
                protocol.equals("ftp") && !noTls ? "ftps" : protocol, login.label, what,
                direction, bytes, count, seconds, bytes / (double) (1 << 20) / seconds, count / seconds, ok, cipher);
        System.out.flush();
    }

    private boolean sameBig(Path copy) throws IOException {
        return Files.mismatch(bigFile, copy) == -1L;
    }

    private boolean sameSmall(Path dir) throws IOException {
        for (int i = 0; i < files; i++) {
            if (Files.mismatch(smallDir.resolve(name(i)), dir.resolve(name(i))) != -1L) {
                return false;
            }
        }
        return true;
    }

    private void sftp(ClientSession session, long bigBytes, long smallBytes) throws IOException {
        try (SftpClient sftp = SftpClientFactory.instance().createSftpClient(session)) {
            mkdirs(sftp, remoteDir);
            String remoteBig = remoteDir + "/big.bin";
            long t0 = System.nanoTime();
            try (OutputStream out = sftp.write(remoteBig)) {
                Files.copy(bigFile, out);
            }
            long up = System.nanoTime() - t0;
            Path copy = back.resolve("big.bin");
            t0 = System.nanoTime();
            try (InputStream in = sftp.read(remoteBig)) {
                Files.copy(in, copy);
            }
            long down = System.nanoTime() - t0;
            boolean ok = sameBig(copy);
            report("big", "upload", bigBytes, 1, up, ok);
            report("big", "download", bigBytes, 1, down, ok);
            sftp.remove(remoteBig);
            Files.delete(copy);
            if (files == 0) {
                return;
            }
            String remoteSmall = remoteDir + "/small";
            mkdirs(sftp, remoteSmall);
            t0 = System.nanoTime();
            for (int i = 0; i < files; i++) {
                try (OutputStream out = sftp.write(remoteSmall + "/" + name(i))) {
                    Files.copy(smallDir.resolve(name(i)), out);
                }
            }
            up = System.nanoTime() - t0;
            Path smallBack = Files.createDirectories(back.resolve("small"));
            t0 = System.nanoTime();
            for (int i = 0; i < files; i++) {
                try (InputStream in = sftp.read(remoteSmall + "/" + name(i))) {
                    Files.copy(in, smallBack.resolve(name(i)));
                }
            }
            down = System.nanoTime() - t0;
            ok = sameSmall(smallBack);
            report("small", "upload", smallBytes * files, files, up, ok);
            report("small", "download", smallBytes * files, files, down, ok);
            removeDir(sftp, remoteSmall);
        }
    }

    /** Best effort: empties and removes a remote directory; a failure is reported, not fatal to the figures. */
    private static void removeDir(SftpClient sftp, String dir) {
        try {
            for (SftpClient.DirEntry e : sftp.readDir(dir)) {
                if (!e.getFilename().equals(".") && !e.getFilename().equals("..")) {
                    sftp.remove(dir + "/" + e.getFilename());
                }
            }
            sftp.rmdir(dir);
        } catch (IOException e) {
            System.err.println("transfer: could not clean up " + dir + ": " + e);
        }
    }

    private static void mkdirs(SftpClient sftp, String dir) throws IOException {
        StringBuilder path = new StringBuilder(dir.startsWith("/") ? "/" : "");
        for (String part : dir.split("/")) {
            if (part.isEmpty()) {
                continue;
            }
            path.append(part);
            try {
                sftp.stat(path.toString());
            } catch (IOException e) {
                sftp.mkdir(path.toString());
            }
            path.append('/');
        }
    }

    private void scp(ClientSession session, long bigBytes, long smallBytes) throws IOException {
        ScpClient scp = ScpClientCreator.instance().createScpClient(session);
        try (SftpClient sftp = SftpClientFactory.instance().createSftpClient(session)) {
            mkdirs(sftp, remoteDir);
        }
        String remoteBig = remoteDir + "/big.bin";
        long t0 = System.nanoTime();
        scp.upload(bigFile, remoteBig);
        long up = System.nanoTime() - t0;
        Path copy = back.resolve("big.bin");
        t0 = System.nanoTime();
        scp.download(remoteBig, copy);
        long down = System.nanoTime() - t0;
        boolean ok = sameBig(copy);
        report("big", "upload", bigBytes, 1, up, ok);
        report("big", "download", bigBytes, 1, down, ok);
        Files.delete(copy);
        if (files == 0) {
            return;
        }
        // one recursive copy of the directory, as `scp -r` does: one channel for all the files
        t0 = System.nanoTime();
        scp.upload(smallDir, remoteDir, ScpClient.Option.Recursive);
        up = System.nanoTime() - t0;
        t0 = System.nanoTime();
        scp.download(remoteDir + "/small", back, ScpClient.Option.Recursive, ScpClient.Option.TargetIsDirectory);
        down = System.nanoTime() - t0;
        ok = sameSmall(back.resolve("small"));
        report("small", "upload", smallBytes * files, files, up, ok);
        report("small", "download", smallBytes * files, files, down, ok);
        try (SftpClient sftp = SftpClientFactory.instance().createSftpClient(session)) {
            sftp.remove(remoteBig);
            removeDir(sftp, remoteDir + "/small");
        }
    }

    private void ftp(long bigBytes, long smallBytes) throws IOException {
        FTPClient ftp = noTls ? new FTPClient() : new FTPSClient(false);
        ftp.setBufferSize(1 << 18);
        ftp.connect("127.0.0.1", login.port);
        if (!FTPReply.isPositiveCompletion(ftp.getReplyCode())) {
            throw new IOException("ftp: " + ftp.getReplyString());
        }
        try {
            if (ftp instanceof FTPSClient) {
                ((FTPSClient) ftp).execPBSZ(0);
                ((FTPSClient) ftp).execPROT("P");
            }
            if (!ftp.login(login.user, login.password)) {
                throw new IOException("ftp login: " + ftp.getReplyString());
            }
            ftp.setFileType(FTP.BINARY_FILE_TYPE);
            ftp.enterLocalPassiveMode();
            for (String part : remoteDir.split("/")) {
                if (!part.isEmpty()) {
                    ftp.makeDirectory(part);
                    check(ftp, ftp.changeWorkingDirectory(part), "CWD " + part);
                }
            }
            long t0 = System.nanoTime();
            try (InputStream in = Files.newInputStream(bigFile)) {
                check(ftp, ftp.storeFile("big.bin", in), "STOR big.bin");
            }
            long up = System.nanoTime() - t0;
            Path copy = back.resolve("big.bin");
            t0 = System.nanoTime();
            try (OutputStream out = Files.newOutputStream(copy)) {
                check(ftp, ftp.retrieveFile("big.bin", out), "RETR big.bin");
            }
            long down = System.nanoTime() - t0;
            boolean ok = sameBig(copy);
            report("big", "upload", bigBytes, 1, up, ok);
            report("big", "download", bigBytes, 1, down, ok);
            ftp.deleteFile("big.bin");
            Files.delete(copy);
            if (files == 0) {
                return;
            }
            ftp.makeDirectory("small");
            check(ftp, ftp.changeWorkingDirectory("small"), "CWD small");
            t0 = System.nanoTime();
            for (int i = 0; i < files; i++) {
                try (InputStream in = Files.newInputStream(smallDir.resolve(name(i)))) {
                    check(ftp, ftp.storeFile(name(i), in), "STOR " + name(i));
                }
            }
            up = System.nanoTime() - t0;
            Path smallBack = Files.createDirectories(back.resolve("small"));
            t0 = System.nanoTime();
            for (int i = 0; i < files; i++) {
                try (OutputStream out = Files.newOutputStream(smallBack.resolve(name(i)))) {
                    check(ftp, ftp.retrieveFile(name(i), out), "RETR " + name(i));
                }
            }
            down = System.nanoTime() - t0;
            ok = sameSmall(smallBack);
            report("small", "upload", smallBytes * files, files, up, ok);
            report("small", "download", smallBytes * files, files, down, ok);
            for (int i = 0; i < files; i++) {
                ftp.deleteFile(name(i));
            }
            ftp.changeToParentDirectory();
            ftp.removeDirectory("small");
            ftp.logout();
        } finally {
            ftp.disconnect();
        }
    }

    private static void check(FTPClient ftp, boolean done, String what) throws IOException {
        if (!done) {
            throw new IOException(what + ": " + ftp.getReplyString().trim());
        }
    }

    private static void delete(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(p)) {
            for (Path q : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(q);
            }
        }
    }
}
