package dev.heft.core.hub;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import jdk.net.ExtendedSocketOptions;

/**
 * One HTTP/1.1 connection (plain or TLS) with heft's own read buffer: every read waits at most until a
 * {@link Deadline} (the socket's read timeout is set to what is left of it before each read, so a server that
 * trickles a byte a second still ends at the deadline), and a line is never longer than its caller allows. Used by one
 * thread at a time: the {@link ConnectionPool} lends it out.
 *
 * <p>The bytes come through a {@link Wire}: a socket's streams ({@link #Connection(Origin, Socket)}), or for the
 * fuzz target (Http1FuzzTest) an answer held in memory, so that the same framing code reads both.
 */
final class Connection implements AutoCloseable {
    private static final int BUFFER = 16 << 10;

    /** Where a connection's bytes come from and go to. */
    interface Wire {
        /**
         * Reads up to {@code len} bytes, waiting at most {@code timeoutMillis} (at least 1) for the first: the count
         * read, or -1 at the end of the stream.
         *
         * @throws SocketTimeoutException when nothing arrived in time
         */
        int read(byte[] dst, int off, int len, int timeoutMillis) throws IOException;

        /** Writes all of {@code bytes} and flushes them. */
        void write(byte[] bytes) throws IOException;

        void close() throws IOException;
    }

    /**
     * A socket's streams, the read timeout set before each read, and on Linux TCP_QUICKACK before each read as well.
     * Why: a server that writes an answer's head and its body in two writes with Nagle's algorithm on (the JDK's own
     * HttpServer does) holds a body shorter than a segment until the head is acknowledged, and Linux delays that
     * acknowledgement by up to 40 ms; on loopback every 206 of a header read waited those 40 ms (strace: the head,
     * then the body 40-43 ms later). Acknowledging at once costs one setsockopt per read and no extra packets beyond
     * the ACKs that would be sent anyway. The kernel leaves quick-ACK mode by itself, hence before every read.
     */
    private record SocketWire(Socket socket, InputStream in, OutputStream out, boolean quickAck) implements Wire {
        SocketWire(Socket socket) throws IOException {
            this(socket, socket.getInputStream(), socket.getOutputStream(), supportsQuickAck(socket));
        }

        private static boolean supportsQuickAck(Socket socket) {
            return socket.supportedOptions().contains(ExtendedSocketOptions.TCP_QUICKACK);
        }

        @Override
        public int read(byte[] dst, int off, int len, int timeoutMillis) throws IOException {
            socket.setSoTimeout(timeoutMillis);
            if (quickAck) {
                socket.setOption(ExtendedSocketOptions.TCP_QUICKACK, true);
            }
            return in.read(dst, off, len);
        }

        @Override
        public void write(byte[] bytes) throws IOException {
            out.write(bytes);
            out.flush();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    final Origin origin;
    private final Wire wire;
    private final byte[] buf = new byte[BUFFER];
    private int pos;
    private int lim;
    private int served;
    private long idleSince;

    Connection(Origin origin, Socket socket) throws IOException {
        this(origin, new SocketWire(socket));
    }

    Connection(Origin origin, Wire wire) {
        this.origin = origin;
        this.wire = wire;
    }

    /** Whether an earlier request went over this connection (so the server may have closed it meanwhile). */
    boolean reused() {
        return served > 0;
    }

    void markServed() {
        served++;
        idleSince = System.nanoTime();
    }

    long idleSince() {
        return idleSince;
    }

    void write(byte[] request) throws IOException {
        wire.write(request);
    }

    /** Bytes received and not yet taken. */
    int buffered() {
        return lim - pos;
    }

    /**
     * A line ending in LF (its CR, if any, dropped), as ISO-8859-1 text; null when the connection closed before its
     * first byte.
     *
     * @throws Http1.Malformed when the line runs past {@code max} bytes
     */
    String readLine(int max, Deadline deadline) throws IOException {
        int scanned = pos;
        while (true) {
            for (int i = scanned; i < lim; i++) {
                if (buf[i] == '\n') {
                    int end = i > pos && buf[i - 1] == '\r' ? i - 1 : i;
                    if (end - pos > max) {
                        throw new Http1.Malformed("a line of more than " + max + " bytes");
                    }
                    String line = new String(buf, pos, end - pos, StandardCharsets.ISO_8859_1);
                    pos = i + 1;
                    return line;
                }
            }
            if (lim - pos > max + 1) {
                throw new Http1.Malformed("a line of more than " + max + " bytes");
            }
            scanned = lim;
            int before = pos;
            if (fill(deadline) < 0) {
                if (lim == pos) {
                    return null;
                }
                throw new EOFException("the connection closed in the middle of a line");
            }
            scanned -= before - pos; // fill may have moved the unread bytes to the start of the buffer
        }
    }

    /**
     * Reads up to {@code len} bytes (at least one, waiting for it), or -1 when the connection closed. A read of at least
     * a buffer's size with nothing buffered goes straight into {@code dst}, as {@code BufferedInputStream} does: one
     * system call then takes whatever the socket holds, up to {@code len}, without a copy. Through the 16 KiB buffer a
     * DeepSeek-V3 shard's 145 KB header took 9 or more reads (and as many TCP_QUICKACK calls), 1,909 reads for its 163
     * headers (strace). Never more than {@code len}, so never past the body its caller frames.
     */
    int read(byte[] dst, int off, int len, Deadline deadline) throws IOException {
        if (pos == lim && len >= buf.length) {
            return wireRead(dst, off, len, deadline);
        }
        if (pos == lim && fill(deadline) < 0) {
            return -1;
        }
        int n = Math.min(len, lim - pos);
        System.arraycopy(buf, pos, dst, off, n);
        pos += n;
        return n;
    }

    /** Drops {@code n} buffered bytes (n at most {@link #buffered()}). */
    void skipBuffered(int n) {
        pos += n;
    }

    /** The buffered byte at {@code i} past the read position. */
    byte peek(int i) {
        return buf[pos + i];
    }

    /** Reads more bytes into the buffer; -1 at the end of the stream. */
    private int fill(Deadline deadline) throws IOException {
        if (pos == lim) {
            pos = 0;
            lim = 0;
        } else if (lim == buf.length) {
            System.arraycopy(buf, pos, buf, 0, lim - pos);
            lim -= pos;
            pos = 0;
        }
        int n = wireRead(buf, lim, buf.length - lim, deadline);
        if (n > 0) {
            lim += n;
        }
        return n;
    }

    /** One read from the wire into {@code dst}, waiting at most until the deadline: the count, or -1 at the end. */
    private int wireRead(byte[] dst, int off, int len, Deadline deadline) throws IOException {
        long nanos = deadline.remainingNanos();
        if (nanos <= 0) {
            throw new Http1.Timeout();
        }
        // The timeout bounds each read; setting it to what is left of the deadline bounds them all together.
        int millis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, (nanos + 999_999) / 1_000_000));
        try {
            return wire.read(dst, off, len, millis);
        } catch (SocketTimeoutException e) {
            throw new Http1.Timeout();
        }
    }

    @Override
    public void close() {
        try {
            wire.close();
        } catch (IOException e) {
            // nothing more to do with a connection that is being dropped
        }
    }
}
