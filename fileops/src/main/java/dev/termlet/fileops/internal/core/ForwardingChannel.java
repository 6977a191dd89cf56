package dev.termlet.fileops.internal.core;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;

/** A channel that hands every call to another; wrappers (quota, throttle) override what they watch. */
public class ForwardingChannel implements SeekableByteChannel {
    /** The channel wrapped. */
    protected final SeekableByteChannel in;

    ForwardingChannel(SeekableByteChannel in) {
        this.in = in;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return in.read(dst);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        return in.write(src);
    }

    @Override
    public long position() throws IOException {
        return in.position();
    }

    @Override
    public SeekableByteChannel position(long p) throws IOException {
        in.position(p);
        return this;
    }

    @Override
    public long size() throws IOException {
        return in.size();
    }

    @Override
    public SeekableByteChannel truncate(long size) throws IOException {
        in.truncate(size);
        return this;
    }

    @Override
    public boolean isOpen() {
        return in.isOpen();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
