package dev.termlet.fileops.internal.ftp;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import org.apache.ftpserver.impl.FtpHandler;
import org.apache.ftpserver.impl.FtpIoSession;
import org.apache.ftpserver.listener.Listener;
import org.apache.ftpserver.listener.ListenerFactory;
import org.apache.mina.core.write.WriteToClosedSessionException;
import org.junit.jupiter.api.Test;

/** FtpServer's handler is wrapped so that a write found closed after the session's filters are gone is quiet. */
class ClosedWritesTest {

    @Test
    void theListenersHandlerIsWrappedOnce() throws Exception {
        Listener listener = new ListenerFactory().createListener();
        ClosedWrites.quiet(listener);
        ClosedWrites.quiet(listener);
        Object h = handler(listener);
        assertThat(h).isInstanceOf(ClosedWrites.QuietHandler.class);
        Field next = ClosedWrites.QuietHandler.class.getDeclaredField("next");
        next.setAccessible(true);
        assertThat(next.get(h)).as("wrapped once").isNotInstanceOf(ClosedWrites.QuietHandler.class)
                .isInstanceOf(FtpHandler.class);
    }

    @Test
    void aWriteFoundClosedStopsThereAndAnyOtherErrorGoesOn() throws Exception {
        List<String> calls = new ArrayList<>();
        InvocationHandler record = (proxy, method, args) -> {
            calls.add(method.getName() + (args != null && args.length > 1 ? ":" + args[1].getClass().getSimpleName()
                    : ""));
            return null;
        };
        FtpHandler inner = (FtpHandler) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {FtpHandler.class}, record);
        ClosedWrites.QuietHandler quiet = new ClosedWrites.QuietHandler(inner);
        FtpIoSession session = new FtpIoSession(new org.apache.mina.core.session.DummySession(), null);
        quiet.exceptionCaught(session, new WriteToClosedSessionException(
                new org.apache.mina.core.write.DefaultWriteRequest("221 Goodbye.")));
        quiet.exceptionCaught(session, new IllegalStateException("other"));
        quiet.sessionClosed(session);
        assertThat(calls).containsExactly("exceptionCaught:IllegalStateException", "sessionClosed");
        assertThat(session.isClosing()).as("the session is closed").isTrue();
    }

    private static Object handler(Listener listener) throws ReflectiveOperationException {
        Field f = listener.getClass().getDeclaredField("handler");
        f.setAccessible(true);
        return f.get(listener);
    }
}
