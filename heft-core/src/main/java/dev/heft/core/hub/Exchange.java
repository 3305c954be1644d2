package dev.heft.core.hub;

import java.io.EOFException;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One answer on a lent {@link Connection}: its head, and its body read by its framing (RFC 9112, section 6.3):
 * chunked, a Content-Length, or (neither) up to the end of the connection; 204 and 304 have none. The body is read
 * only as far as the caller asks; {@link #close()} gives the connection back to the pool for the next request when the
 * body was read to its end and the server keeps the connection, and closes it otherwise (so an unread rest of a body,
 * however long, is never read).
 */
final class Exchange implements AutoCloseable {
    private enum Framing {
        NONE,
        LENGTH,
        CHUNKED,
        UNTIL_CLOSE
    }

    /** Where a connection goes when its exchange is over ({@link ConnectionPool#release}, or a caller's wrapper). */
    interface Release {
        void release(Connection connection, boolean reusable);
    }

    final Http1.Head head;
    private final Connection connection;
    private final Release pool;
    private final AtomicLong received;
    private final Framing framing;
    private final boolean keepAlive;
    /** Bytes left of the Content-Length, or of the current chunk. */
    private long left;

    private boolean chunkStarted;
    private boolean ended;
    private boolean released;

    /**
     * @param received the counter every body byte read is added to
     * @throws Http1.Malformed when the head's framing fields contradict each other
     */
    Exchange(Http1.Head head, Connection connection, Release pool, AtomicLong received) throws Http1.Malformed {
        this.head = head;
        this.connection = connection;
        this.pool = pool;
        this.received = received;
        HttpFields f = head.fields();
        boolean close = !head.http11() || f.hasToken("Connection", "close");
        List<String> lengths = f.allValues("Content-Length");
        List<String> codings = f.allValues("Transfer-Encoding");
        if (head.status() == 204 || head.status() == 304) {
            framing = Framing.NONE;
        } else if (!codings.isEmpty()) {
            // Transfer-Encoding overrides Content-Length; both at once may be a smuggling attempt, so the connection
            // is not used again (RFC 9112, section 6.3, item 3). Only chunked as the last coding is understood.
            String last = codings.getLast();
            int comma = last.lastIndexOf(',');
            String lastCoding = (comma < 0 ? last : last.substring(comma + 1)).strip();
            if (!lastCoding.equalsIgnoreCase("chunked")) {
                throw new Http1.Malformed(
                        "a body in transfer coding '" + Http.shorten(last) + "' (heft asked for none)");
            }
            if (codings.size() > 1 || last.contains(",")) {
                throw new Http1.Malformed("a body in transfer codings '" + Http.shorten(String.join(", ", codings))
                        + "' (heft asked for none)");
            }
            framing = Framing.CHUNKED;
            close |= !lengths.isEmpty();
        } else if (!lengths.isEmpty()) {
            long n = -1;
            for (String v : lengths) {
                // A list ("42, 42") only where a proxy merged fields; the usual single value is read without a split.
                for (String part : v.indexOf(',') < 0 ? new String[] {v} : v.split(",", -1)) {
                    long p = Http1.parseDecimal(part);
                    if (p < 0 || (n >= 0 && p != n)) {
                        throw new Http1.Malformed(
                                "an invalid Content-Length '" + Http.shorten(String.join(", ", lengths)) + "'");
                    }
                    n = p;
                }
            }
            framing = n == 0 ? Framing.NONE : Framing.LENGTH;
            left = n;
        } else {
            framing = Framing.UNTIL_CLOSE;
            close = true;
        }
        this.keepAlive = !close;
        this.ended = framing == Framing.NONE;
    }

    /**
     * Reads up to {@code len} body bytes into {@code dst}: fewer only at the end of the body (then the count read, or
     * -1 when nothing was left).
     *
     * @throws Http1.Timeout   when the deadline passes first
     * @throws Http1.Malformed when the chunked framing is broken
     * @throws IOException     when the connection broke or closed before the body's end
     */
    int read(byte[] dst, int off, int len, Deadline deadline) throws IOException {
        if (len == 0) {
            return 0;
        }
        int done = 0;
        while (done < len && !ended) {
            int n = switch (framing) {
                case NONE -> 0;
                case LENGTH -> readLength(dst, off + done, len - done, deadline);
                case CHUNKED -> readChunked(dst, off + done, len - done, deadline);
                case UNTIL_CLOSE -> readUntilClose(dst, off + done, len - done, deadline);
            };
            received.addAndGet(n);
            done += n;
        }
        return done == 0 && ended ? -1 : done;
    }

    /** Whether the whole body has been read. */
    boolean atEnd() {
        return ended;
    }

    private int readLength(byte[] dst, int off, int len, Deadline deadline) throws IOException {
        int n = connection.read(dst, off, (int) Math.min(len, left), deadline);
        if (n < 0) {
            throw new EOFException("the connection closed with " + left + " bytes of the Content-Length still due");
        }
        left -= n;
        ended = left == 0;
        return n;
    }

    private int readUntilClose(byte[] dst, int off, int len, Deadline deadline) throws IOException {
        int n = connection.read(dst, off, len, deadline);
        if (n < 0) {
            ended = true;
            return 0;
        }
        return n;
    }

    /** chunked-body = *chunk last-chunk trailer-section CRLF (RFC 9112, section 7.1). */
    private int readChunked(byte[] dst, int off, int len, Deadline deadline) throws IOException {
        if (left == 0) {
            if (chunkStarted) {
                String crlf = connection.readLine(0, deadline);
                if (crlf == null || !crlf.isEmpty()) {
                    throw new Http1.Malformed("a chunk that does not end where its size says");
                }
            }
            String line = connection.readLine(Http1.MAX_LINE, deadline);
            if (line == null) {
                throw new EOFException("the connection closed before the last chunk");
            }
            left = chunkSize(line);
            chunkStarted = true;
            if (left == 0) {
                Http1.readFields(connection, deadline, "trailer");
                ended = true;
                return 0;
            }
        }
        int n = connection.read(dst, off, (int) Math.min(len, left), deadline);
        if (n < 0) {
            throw new EOFException("the connection closed in the middle of a chunk");
        }
        left -= n;
        return n;
    }

    /** chunk-size = 1*HEXDIG, then optional chunk extensions after ';' (ignored). */
    private static long chunkSize(String line) throws Http1.Malformed {
        int semi = line.indexOf(';');
        String hex = (semi < 0 ? line : line.substring(0, semi)).strip();
        if (hex.isEmpty() || hex.length() > 15) {
            throw new Http1.Malformed("an invalid chunk size '" + Http.shorten(line) + "'");
        }
        long n = 0;
        for (int i = 0; i < hex.length(); i++) {
            int d = Character.digit(hex.charAt(i), 16);
            if (d < 0) {
                throw new Http1.Malformed("an invalid chunk size '" + Http.shorten(line) + "'");
            }
            n = n * 16 + d;
        }
        return n;
    }

    /**
     * Ends a chunked body whose data has all been read when its last chunk already sits in the buffer ({@code CRLF 0
     * CRLF CRLF}, no trailers), without waiting for anything: the common case of a caller that read exactly the bytes it
     * needed.
     */
    private void endFromBuffer() {
        if (framing != Framing.CHUNKED || ended || left != 0 || !chunkStarted) {
            return;
        }
        byte[] last = {'\r', '\n', '0', '\r', '\n', '\r', '\n'};
        if (connection.buffered() < last.length) {
            return;
        }
        for (int i = 0; i < last.length; i++) {
            if (connection.peek(i) != last[i]) {
                return;
            }
        }
        connection.skipBuffered(last.length);
        ended = true;
    }

    /**
     * Gives the connection back for the next request when the body is over and nothing else came on it, else closes
     * it. Safe to call more than once.
     */
    @Override
    public void close() {
        if (released) {
            return;
        }
        released = true;
        endFromBuffer();
        pool.release(connection, ended && keepAlive && connection.buffered() == 0);
    }
}
