package dev.termlet.fileops.internal.ftp;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.ftpserver.DataConnectionConfiguration;
import org.apache.ftpserver.ssl.SslConfiguration;

/**
 * Apache FtpServer's data connection settings, releasing only the passive ports it reserved. With "any free port"
 * (the default, {@code 0}) FtpServer reserves nothing, binds a port the system picks, and then warns at every
 * transfer that it is "releasing an unreserved passive port": normal client behaviour must not log a WARN.
 */
public final class PassivePortRelease implements DataConnectionConfiguration {
    private final DataConnectionConfiguration in;
    private final Set<Integer> reserved = ConcurrentHashMap.newKeySet();

    /** @param in the settings FtpServer made */
    public PassivePortRelease(DataConnectionConfiguration in) {
        this.in = in;
    }

    @Override
    public int requestPassivePort() {
        int port = in.requestPassivePort();
        if (port > 0) {
            reserved.add(port);
        }
        return port;
    }

    @Override
    public void releasePassivePort(int port) {
        if (reserved.remove(port)) {
            in.releasePassivePort(port);
        }
    }

    @Override
    public int getIdleTime() {
        return in.getIdleTime();
    }

    @Override
    public boolean isActiveEnabled() {
        return in.isActiveEnabled();
    }

    @Override
    public boolean isActiveIpCheck() {
        return in.isActiveIpCheck();
    }

    @Override
    public String getActiveLocalAddress() {
        return in.getActiveLocalAddress();
    }

    @Override
    public int getActiveLocalPort() {
        return in.getActiveLocalPort();
    }

    @Override
    public String getPassiveAddress() {
        return in.getPassiveAddress();
    }

    @Override
    public String getPassiveExernalAddress() {
        return in.getPassiveExernalAddress();
    }

    @Override
    public String getPassivePorts() {
        return in.getPassivePorts();
    }

    @Override
    public boolean isPassiveIpCheck() {
        return in.isPassiveIpCheck();
    }

    @Override
    public SslConfiguration getSslConfiguration() {
        return in.getSslConfiguration();
    }

    @Override
    public boolean isImplicitSsl() {
        return in.isImplicitSsl();
    }
}
