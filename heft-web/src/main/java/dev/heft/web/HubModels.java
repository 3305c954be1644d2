package dev.heft.web;

import dev.heft.core.api.Heft;
import dev.heft.core.api.Model;
import dev.heft.core.error.RemoteModelException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Hub repos a server has read ({@code heft serve --allow-hub}), held for a while and shared by the requests that name
 * them. The page asks a dozen questions of one model at once (memory at several contexts, fit, the FLOPs): without
 * this each of them read the repo's headers over the network again, and each took a place in the heavy lane
 * ({@link HeavyRequests}), whose small queue then answered most of them 503. Now the first request reads the repo,
 * requests for the same repo that arrive meanwhile wait for that one read (never a second one), and later requests
 * take the model that was read, as cheap requests.
 *
 * <p>Bounded: at most {@value #MAX_HELD} repos (a 91,991-tensor DeepSeek-V3 model is tens of MB of the server's 2 GB
 * heap, see {@link ServerLimits}), the least recently used dropped first, each for {@link #FRESH_NANOS} at most so that
 * a repo pushed to meanwhile is read again. A read that fails is not held: the next request tries again.
 */
final class HubModels {
    static final int MAX_HELD = 4;

    /** Ten minutes: a page session's worth of questions about one repo. */
    static final long FRESH_NANOS = 10L * 60 * 1_000_000_000;

    /**
     * How long a repo must stay fresh for {@link #isHeld} to say yes. The front chooses a request's lane from
     * {@code isHeld} and the handler calls {@link #get} later: a repo whose ten minutes ran out in between would be
     * read over the network on a cheap-lane thread, the very thing the heavy lane exists to prevent. Cheap requests
     * wait for a thread milliseconds, not a minute, so a held repo cannot expire in that gap.
     */
    static final long LANE_MARGIN_NANOS = 60L * 1_000_000_000;

    private record Held(CompletableFuture<Model> model, long readAt) {}

    private final Function<String, Model> open;
    private final LongSupplier clock;
    private final Map<String, Held> held = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Held> eldest) {
            return size() > MAX_HELD;
        }
    };

    HubModels(Heft heft) {
        this(heft::open, System::nanoTime);
    }

    /** @param open reads a repo ({@link Heft#open}); {@code clock} in nanoseconds: both replaceable in tests */
    HubModels(Function<String, Model> open, LongSupplier clock) {
        this.open = open;
        this.clock = clock;
    }

    /** The model of the Hub repo {@code id} ({@code hf://...}), read at most once while it is held. */
    Model get(String id) {
        CompletableFuture<Model> mine;
        CompletableFuture<Model> theirs = null;
        synchronized (held) {
            Held h = held.get(id);
            if (h != null && fresh(h)) {
                theirs = h.model();
                mine = null;
            } else {
                mine = new CompletableFuture<>();
                held.put(id, new Held(mine, clock.getAsLong()));
            }
        }
        if (theirs != null) {
            return await(id, theirs); // outside the lock: a read takes seconds, other repos must not wait for it
        }
        try {
            Model m = open.apply(id);
            mine.complete(m);
            return m;
        } catch (RuntimeException | Error e) {
            synchronized (held) {
                held.computeIfPresent(id, (k, h) -> h.model() == mine ? null : h);
            }
            mine.completeExceptionally(e);
            throw e;
        }
    }

    /**
     * Whether {@code id}'s model has been read and is held for at least {@link #LANE_MARGIN_NANOS} more, so that a
     * request for it admitted now costs no read when its handler runs.
     */
    boolean isHeld(String id) {
        synchronized (held) {
            Held h = held.get(id);
            return h != null
                    && clock.getAsLong() - h.readAt() < FRESH_NANOS - LANE_MARGIN_NANOS
                    && h.model().isDone()
                    && !h.model().isCompletedExceptionally();
        }
    }

    int size() {
        synchronized (held) {
            return held.size();
        }
    }

    private boolean fresh(Held h) {
        return clock.getAsLong() - h.readAt() < FRESH_NANOS;
    }

    /**
     * The read another request started: its model, or the same exception it ended with. A handler thread is only
     * interrupted when the server stops; the request then gets a typed answer like any other failed read, not an
     * internal error.
     */
    private static Model await(String id, CompletableFuture<Model> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RemoteModelException(
                    RemoteModelException.Reason.CONNECTION,
                    "stopped waiting for the read of " + id + ": the server is stopping",
                    e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new CompletionException(e.getCause());
        }
    }
}
