package dev.termlet.fileops.internal.ftp;

import dev.termlet.fileops.internal.core.Quotas;

import java.io.IOException;
import java.io.OutputStream;
import java.net.SocketException;
import org.apache.ftpserver.command.AbstractCommand;
import org.apache.ftpserver.ftplet.DataConnection;
import org.apache.ftpserver.ftplet.DefaultFtpReply;
import org.apache.ftpserver.ftplet.FtpException;
import org.apache.ftpserver.ftplet.FtpFile;
import org.apache.ftpserver.ftplet.FtpReply;
import org.apache.ftpserver.ftplet.FtpRequest;
import org.apache.ftpserver.impl.FtpIoSession;
import org.apache.ftpserver.impl.FtpServerContext;
import org.apache.ftpserver.impl.IODataConnectionFactory;
import org.apache.ftpserver.util.IoUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * FTP's {@code STOR} and {@code APPE}, in place of Apache FtpServer's own: the same exchange (150, the data, then
 * the reply), but the upload is settled (put in place, counted against the quota, its {@code upload} or
 * {@code upload-failed} event fired) before the reply goes out. FtpServer's commands answer 226 and only then let an
 * {@link org.apache.ftpserver.ftplet.Ftplet} see the end of the command, so a client that acts on the file as soon
 * as it reads 226 (rclone's MFMT on another connection) could find it missing. Here 226 means the file is in
 * place; a commit that fails answers 451, a refusal after arrival 550. The checks before the command (path,
 * permission, quota, {@code pre-upload}) stay in {@link FtpEvents#beforeCommand}.
 */
public final class FtpUpload extends AbstractCommand {
    private static final Logger LOG = LoggerFactory.getLogger(FtpUpload.class);

    private final FtpEvents events;
    private final boolean append;

    /**
     * @param events the FTP side, which settles the upload
     * @param append {@code APPE} (write at the end of the file) rather than {@code STOR} (from 0, or from REST)
     */
    public FtpUpload(FtpEvents events, boolean append) {
        this.events = events;
        this.append = append;
    }

    @Override
    public void execute(FtpIoSession session, FtpServerContext context, FtpRequest request)
            throws IOException, FtpException {
        try {
            long offset = append ? 0 : session.getFileOffset();
            String name = request.getArgument();
            if (name == null) {
                session.write(new DefaultFtpReply(501, "Syntax error in parameters or arguments"));
                return;
            }
            if (session.getDataConnection() instanceof IODataConnectionFactory
                    && ((IODataConnectionFactory) session.getDataConnection()).getInetAddress() == null) {
                session.write(new DefaultFtpReply(503, "PORT or PASV must be issued first"));
                return;
            }
            FtpFile file = session.getFileSystemView().getFile(name);
            if (file == null || (append && file.doesExist() && !file.isFile())) {
                session.write(new DefaultFtpReply(550, name + ": not a plain file"));
                return;
            }
            if (!file.isWritable()) {
                session.write(new DefaultFtpReply(550, name + ": permission denied"));
                return;
            }
            if (append && file.doesExist()) {
                offset = file.getSize();
            }
            session.write(new DefaultFtpReply(150, "File status okay; about to open data connection"))
                    .awaitUninterruptibly(10_000);
            DataConnection data;
            try {
                data = session.getDataConnection().openConnection();
            } catch (Exception e) {
                LOG.debug("no data connection for an upload", e);
                session.write(new DefaultFtpReply(425, "Can't open data connection"));
                return;
            }
            IOException failure = null;
            OutputStream out = null;
            try {
                out = file.createOutputStream(offset);
                data.transferFromClient(session.getFtpletSession(), out);
                out.close();
            } catch (IOException e) {
                LOG.debug("upload transfer failed", e);
                failure = e;
            } catch (RuntimeException e) {
                LOG.warn("upload transfer failed", e);
                failure = new IOException(e.toString(), e);
            } finally {
                IoUtils.close(out);
            }
            FtpReply reply = events.settleUpload(session.getFtpletSession(), failure);
            session.write(reply);
        } finally {
            session.resetState();
            session.getDataConnection().closeDataConnection();
        }
    }

    /** The reply to an upload that did not complete, as FtpServer gives it (quota: 552). */
    static FtpReply failed(IOException why) {
        if (why instanceof Quotas.QuotaExceededException) {
            return new DefaultFtpReply(552, why.getMessage());
        }
        if (why instanceof SocketException) {
            return new DefaultFtpReply(426, "Connection closed; transfer aborted");
        }
        return new DefaultFtpReply(551, "Requested action aborted: the upload failed");
    }
}
