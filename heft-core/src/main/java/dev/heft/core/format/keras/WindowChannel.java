package dev.heft.core.format.keras;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;

/**
 * A read-only window {@code [base, base + length)} of a file, seen as a channel starting at 0. A STORED zip entry is
 * its bytes verbatim at an offset, so the HDF5 library can read {@code model.weights.h5} in place through this window:
 * nothing is inflated or copied, and only the header pages it asks for are read.
 */
final class WindowChannel implements SeekableByteChannel {
    private final FileChannel channel;
    private final long base;
    private final long length;
    private long position;

    WindowChannel(FileChannel channel, long base, long length) {
        this.channel = channel;
        this.base = base;
        this.length = length;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (position >= length) {
            return -1;
        }
        int want = (int) Math.min(dst.remaining(), length - position);
        ByteBuffer slice = dst.slice().limit(want);
        int n = channel.read(slice, base + position);
        if (n > 0) {
            dst.position(dst.position() + n);
            position += n;
        }
        return n;
    }

    @Override
    public int write(ByteBuffer src) {
        throw new NonWritableChannelException();
    }

    @Override
    public long position() {
        return position;
    }

    @Override
    public SeekableByteChannel position(long newPosition) {
        if (newPosition < 0) {
            throw new IllegalArgumentException("negative position " + newPosition);
        }
        position = newPosition;
        return this;
    }

    @Override
    public long size() {
        return length;
    }

    @Override
    public SeekableByteChannel truncate(long size) {
        throw new NonWritableChannelException();
    }

    @Override
    public boolean isOpen() {
        return channel.isOpen();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
