package dev.heft.core.hub;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A response body read on heft's terms: one buffer list requested at a time (so the client never holds more than a
 * few of its buffers ahead of heft), every byte delivered counted, and every wait bounded by a {@link Deadline}. The
 * response is handed over as soon as its headers arrive ({@link #getBody()} completes at once), so a caller can read
 * the first bytes of a body it will never finish and then {@link #cancel()} it; the JDK's {@code ofInputStream}
 * cannot bound a blocked read by time, which is why this exists.
 */
final class BodyQueue implements HttpResponse.BodySubscriber<BodyQueue> {
    private static final Object END = new Object();

    private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final AtomicLong received;
    private volatile Flow.Subscription subscription;
    private List<ByteBuffer> current = List.of();
    private int index;
    private boolean ended;

    /** @param received the counter every delivered body byte is added to (shared by all requests of a resolve) */
    BodyQueue(AtomicLong received) {
        this.received = received;
    }

    @Override
    public CompletionStage<BodyQueue> getBody() {
        return CompletableFuture.completedFuture(this);
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        s.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> item) {
        long n = 0;
        for (ByteBuffer b : item) {
            n += b.remaining();
        }
        received.addAndGet(n);
        queue.add(item);
    }

    @Override
    public void onError(Throwable throwable) {
        queue.add(throwable);
    }

    @Override
    public void onComplete() {
        queue.add(END);
    }

    /**
     * Reads up to {@code length} bytes into {@code dst}; fewer only at the end of the body (then the count read, or -1
     * when nothing was left).
     *
     * @throws BodyTimeout when the deadline passes first
     * @throws IOException  when the connection broke
     */
    int read(byte[] dst, int offset, int length, Deadline deadline) throws IOException {
        int done = 0;
        while (done < length) {
            ByteBuffer b = buffer(deadline);
            if (b == null) {
                return done == 0 ? -1 : done;
            }
            int n = Math.min(length - done, b.remaining());
            b.get(dst, offset + done, n);
            done += n;
        }
        return done;
    }

    /** Whether the body is known to be over (its end already arrived) without waiting for anything. */
    boolean atEndNow() {
        while (!ended) {
            if (index < current.size() && current.get(index).hasRemaining()) {
                return false;
            }
            Object next = queue.peek();
            if (next == null) {
                return false;
            }
            if (next == END) {
                ended = true;
                return true;
            }
            if (next instanceof Throwable) {
                return false;
            }
            try {
                advance(queue.take());
            } catch (InterruptedException | IOException e) {
                return false;
            }
        }
        return true;
    }

    /** Stops the transfer: the client drops what it has not delivered (and, over HTTP/1.1, the connection). */
    void cancel() {
        Flow.Subscription s = subscription;
        if (s != null) {
            s.cancel();
        }
    }

    /** The next buffer with bytes left, or null at the end of the body. */
    private ByteBuffer buffer(Deadline deadline) throws IOException {
        while (true) {
            while (index < current.size()) {
                ByteBuffer b = current.get(index);
                if (b.hasRemaining()) {
                    return b;
                }
                index++;
            }
            if (ended) {
                return null;
            }
            Object next;
            try {
                long wait = deadline.remainingNanos();
                next = wait <= 0 ? queue.poll() : queue.poll(wait, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while reading an HTTP answer", e);
            }
            if (next == null) {
                throw new BodyTimeout();
            }
            advance(next);
        }
    }

    @SuppressWarnings("unchecked")
    private void advance(Object next) throws IOException {
        if (next == END) {
            ended = true;
            current = List.of();
            index = 0;
            return;
        }
        if (next instanceof Throwable t) {
            throw t instanceof IOException io ? io : new IOException(t.getMessage(), t);
        }
        current = (List<ByteBuffer>) next;
        index = 0;
        Flow.Subscription s = subscription;
        if (s != null) {
            s.request(1);
        }
    }

    /** The deadline passed while waiting for body bytes. */
    static final class BodyTimeout extends IOException {
        private static final long serialVersionUID = 1L;

        BodyTimeout() {
            super("no more of the answer arrived in time");
        }
    }
}
