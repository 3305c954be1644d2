package dev.heft.core.hub;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * heft's HTTP/1.1 connections, kept alive per {@link Origin} and reused request after request, at most
 * {@link NetworkSettings#connections()} per origin at once (a request waits for one, under its deadline). https goes
 * through the JDK's TLS ({@link SSLContext#getDefault()}: its trust store, its protocols) with the host name checked
 * against the certificate (endpoint identification "HTTPS", RFC 2818); the TLS context is made only when an https URL
 * is first asked for, since loading the trust store costs more CPU than all the requests of a repo on loopback.
 *
 * <p>Why not {@code java.net.http}: it costs about 3.5 ms of CPU per request in a short-lived JVM (its
 * asynchronous pipeline of executors, subscribers and HTTP/2 frames runs interpreted or C1-compiled), more than
 * everything else of a remote inspect; a blocking exchange over a socket costs a small fraction of that. Header reads
 * are small (one range request each), so HTTP/2 multiplexing buys nothing that a few kept-alive connections do not.
 *
 * <p>A long-running caller (a server) may share one pool between resolves; otherwise each {@link HubClient} has its
 * own and closes it.
 */
public final class ConnectionPool implements AutoCloseable {
    /** An idle connection older than this is not reused (servers close idle connections after 5 to 60 s). */
    private static final Duration MAX_IDLE = Duration.ofSeconds(4);

    private final NetworkSettings settings;
    private final Map<Origin, Slot> slots = new HashMap<>();
    private SSLSocketFactory tls;
    private boolean closed;

    /** The connections of one origin: a permit per connection in use, and the idle ones, most recent last. */
    private final class Slot {
        final Semaphore permits = new Semaphore(settings.connections());
        final ArrayDeque<Connection> idle = new ArrayDeque<>();
    }

    public ConnectionPool(NetworkSettings settings) {
        this.settings = settings;
    }

    /**
     * A connection to {@code origin}: an idle one (unless {@code fresh}), else a new one. Waits for a free slot at most
     * until the deadline.
     *
     * @throws Http1.Timeout          when no slot frees up, or the connection cannot be made, in time
     * @throws UnknownHostException   when the host name does not resolve
     * @throws IOException            when the connection or its TLS handshake fails
     */
    Connection acquire(Origin origin, Deadline deadline, boolean fresh) throws IOException {
        Slot slot = slot(origin);
        try {
            if (!slot.permits.tryAcquire(Math.max(0, deadline.remainingNanos()), TimeUnit.NANOSECONDS)) {
                throw new Http1.Timeout();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for a connection", e);
        }
        if (!fresh) {
            Connection idle = takeIdle(slot);
            if (idle != null) {
                return idle;
            }
        }
        try {
            return open(origin, deadline);
        } catch (IOException | RuntimeException e) {
            slot.permits.release();
            throw e;
        }
    }

    /** Takes a connection back: kept for the next request when {@code reusable}, closed otherwise. */
    void release(Connection c, boolean reusable) {
        Slot slot = slot(c.origin);
        boolean kept = false;
        if (reusable) {
            c.markServed();
            synchronized (this) {
                if (!closed) {
                    slot.idle.addLast(c);
                    kept = true;
                }
            }
        }
        if (!kept) {
            c.close();
        }
        slot.permits.release();
    }

    private synchronized Slot slot(Origin origin) {
        return slots.computeIfAbsent(origin, o -> new Slot());
    }

    private Connection takeIdle(Slot slot) {
        List<Connection> stale = new ArrayList<>();
        Connection found = null;
        synchronized (this) {
            long now = System.nanoTime();
            while (!slot.idle.isEmpty()) {
                Connection c = slot.idle.pollLast();
                if (now - c.idleSince() < MAX_IDLE.toNanos()) {
                    found = c;
                    break;
                }
                stale.add(c);
            }
        }
        stale.forEach(Connection::close);
        return found;
    }

    private Connection open(Origin origin, Deadline deadline) throws IOException {
        InetSocketAddress address = new InetSocketAddress(origin.socketHost(), origin.port());
        if (address.isUnresolved()) {
            throw new UnknownHostException(origin.socketHost());
        }
        long connectMillis = Math.min(settings.connectTimeout().toMillis(), deadline.remainingNanos() / 1_000_000);
        if (connectMillis <= 0) {
            throw new Http1.Timeout();
        }
        Socket raw = new Socket();
        try {
            raw.setTcpNoDelay(true);
            raw.connect(address, (int) Math.min(Integer.MAX_VALUE, connectMillis));
            if (!origin.secure()) {
                return new Connection(origin, raw);
            }
            SSLSocket s = (SSLSocket) tls().createSocket(raw, origin.socketHost(), origin.port(), true);
            SSLParameters p = s.getSSLParameters();
            p.setEndpointIdentificationAlgorithm("HTTPS");
            p.setApplicationProtocols(new String[] {"http/1.1"});
            s.setSSLParameters(p);
            s.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, deadline.remainingNanos() / 1_000_000)));
            s.startHandshake();
            return new Connection(origin, s);
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    private synchronized SSLSocketFactory tls() throws IOException {
        if (tls == null) {
            try {
                tls = SSLContext.getDefault().getSocketFactory();
            } catch (NoSuchAlgorithmException e) {
                throw new IOException("this JVM has no TLS: " + e.getMessage(), e);
            }
        }
        return tls;
    }

    /** Closes the idle connections; those lent out are closed when they come back. */
    @Override
    public void close() {
        List<Connection> idle = new ArrayList<>();
        synchronized (this) {
            closed = true;
            for (Slot s : slots.values()) {
                idle.addAll(s.idle);
                s.idle.clear();
            }
        }
        idle.forEach(Connection::close);
    }
}
