package dev.heft.core.hub;

import dev.heft.core.error.RemoteModelException;
import dev.heft.core.error.RemoteModelException.Reason;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;

/**
 * GET requests on heft's terms, over heft's own HTTP/1.1 connections ({@link ConnectionPool}): redirects followed by hand (at most
 * {@link NetworkSettings#maxRedirects()}, never to a scheme other than http/https, never in a circle), the Hub token
 * sent to the Hub's own origin only (never to a redirect target on another host, as huggingface_hub does), 429/5xx and
 * dropped connections retried with backoff, every wait bounded by a deadline, every body byte counted. Bodies are read
 * through {@link Answer}, which reads at most what the caller asks for, whatever the server sends.
 */
final class Http {
    /** Bodies of redirects and errors are read up to this many bytes (to keep the connection), then dropped. */
    private static final int SMALL_BODY = 8 << 10;

    private final ConnectionPool pool;
    private final NetworkSettings settings;
    /** The origin that may see the token; null when the endpoint is no http(s) URL (then no request goes anywhere). */
    private final Origin trustedOrigin;

    private final Supplier<Optional<String>> token;
    private final String userAgent;
    private final AtomicLong received = new AtomicLong();
    private final AtomicInteger requests = new AtomicInteger();
    /** The shortest wait so far from a request written to its answer's head, in nanoseconds (MAX_VALUE: none yet). */
    private final AtomicLong fastestAnswer = new AtomicLong(Long.MAX_VALUE);

    private final java.util.concurrent.atomic.AtomicReference<String> firstCommit =
            new java.util.concurrent.atomic.AtomicReference<>();
    /** Connections this instance's requests hold right now: {@link #abort()} closes them. */
    private final Set<Connection> inUse = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private volatile boolean aborted;

    /**
     * @param trustedOrigin the origin (scheme, host, port) that may see the token: the Hub endpoint
     * @param token         the token, looked up on first use
     */
    Http(
            ConnectionPool pool,
            NetworkSettings settings,
            URI trustedOrigin,
            Supplier<Optional<String>> token,
            String userAgent) {
        this.pool = pool;
        this.settings = settings;
        this.trustedOrigin = httpOrigin(trustedOrigin);
        this.token = token;
        this.userAgent = userAgent;
    }

    NetworkSettings settings() {
        return settings;
    }

    /** Body bytes received over every request so far. */
    long receivedBytes() {
        return received.get();
    }

    int requestCount() {
        return requests.get();
    }

    /** The shortest wait from a request written to its answer's head so far: about the server's round trip. */
    Optional<Duration> fastestAnswer() {
        long n = fastestAnswer.get();
        return n == Long.MAX_VALUE ? Optional.empty() : Optional.of(Duration.ofNanos(n));
    }

    /** The first {@code X-Repo-Commit} any answer carried. */
    Optional<String> firstCommit() {
        return Optional.ofNullable(firstCommit.get());
    }

    /**
     * Ends every request in flight now and refuses new ones: their connections are closed, so a thread blocked reading
     * an answer (a socket read does not end when its thread is interrupted) fails at once instead of at its deadline.
     * For a caller that gave up on the whole read (one of many files failed).
     */
    void abort() {
        aborted = true;
        inUse.forEach(Connection::close);
    }

    private void giveBack(Connection c, boolean reusable) {
        inUse.remove(c);
        pool.release(c, reusable && !aborted);
    }

    /** A byte range {@code [from, to]} (inclusive, as HTTP writes it), or none for the whole resource. */
    record Range(long from, long to) {
        static final Range NONE = new Range(-1, -1);

        static Range of(long from, long toExclusive) {
            return new Range(from, toExclusive - 1);
        }

        boolean present() {
            return from >= 0;
        }

        long length() {
            return to - from + 1;
        }

        String header() {
            return "bytes=" + from + "-" + to;
        }
    }

    /**
     * Sends GET {@code uri} once and follows redirects until an answer with a 2xx status arrives; its body has not been
     * read. A failure worth another try (429, 5xx, a failed or dropped connection) comes out as {@link Retryable}, for
     * the caller's {@link #withRetries} loop, which also covers reading the body, so that one budget of
     * {@link NetworkSettings#attempts()} covers both.
     *
     * @param what     what is fetched, for messages ({@code hf://owner/name@main/model.safetensors})
     * @param deadline the deadline of the whole resolve; each request also gets {@link NetworkSettings#requestTimeout()}
     * @throws HttpStatus           for a 4xx (or a 429/5xx once retries are spent), for the caller to word
     * @throws RemoteModelException for everything else: timeouts, DNS, refused redirects and loops, connections
     */
    Answer getOnce(URI uri, Range range, Deadline deadline, String what) {
        return follow(uri, range, deadline, what);
    }

    /**
     * Runs {@code work} until it succeeds, at most {@link NetworkSettings#attempts()} times, waiting with backoff
     * between tries; {@link Retryable} failures and connections dropped while a body was read are tried again.
     */
    <T> T withRetries(Deadline deadline, java.util.function.Supplier<T> work) {
        for (int attempt = 1; ; attempt++) {
            try {
                return work.get();
            } catch (Retryable r) {
                if (attempt >= settings.attempts() || !sleepBeforeRetry(attempt, r.retryAfter, deadline)) {
                    throw r.failure;
                }
            } catch (Dropped d) {
                if (attempt >= settings.attempts() || !sleepBeforeRetry(attempt, OptionalLong.empty(), deadline)) {
                    throw d.failure;
                }
            }
        }
    }

    private Answer follow(URI start, Range range, Deadline total, String what) {
        // At most maxRedirects + 1 URLs: a list searched with equals costs less than hashing each URL into a set.
        List<URI> visited = new ArrayList<>(2);
        URI uri = start;
        Optional<String> commit = Optional.empty();
        for (int hop = 0; ; hop++) {
            if (visited.contains(uri)) {
                throw new RemoteModelException(
                        Reason.REDIRECT_LOOP, what + ": redirect loop: the server sent heft " + "back to " + uri);
            }
            visited.add(uri);
            Deadline deadline = total.atMost(settings.requestTimeout());
            Exchange exchange = send(uri, range, deadline, what);
            requests.incrementAndGet();
            HttpFields headers = exchange.head.fields();
            if (commit.isEmpty()) {
                commit = headers.firstValue("X-Repo-Commit").map(Http::shorten);
                if (commit.isPresent() && firstCommit.get() == null) {
                    firstCommit.compareAndSet(null, commit.get());
                }
            }
            int status = exchange.head.status();
            if (isRedirect(status)) {
                Optional<String> location = headers.firstValue("Location");
                discardSmallBody(exchange, deadline);
                if (location.isEmpty()) {
                    throw new RemoteModelException(
                            Reason.BAD_ANSWER,
                            what + ": " + uri.getHost() + " answered " + status
                                    + " (a redirect) without a Location header");
                }
                URI next = redirectTarget(uri, location.get(), what);
                if (hop + 1 > settings.maxRedirects()) {
                    throw new RemoteModelException(
                            Reason.REDIRECT_LOOP,
                            what + ": more than " + settings.maxRedirects() + " redirects (last to " + next + ")");
                }
                uri = next;
                continue;
            }
            if (status >= 200 && status < 300) {
                return new Answer(exchange, uri, commit, deadline, what);
            }
            HttpStatus failure = HttpStatus.of(status, headers, uri, what);
            discardSmallBody(exchange, deadline);
            if (status == 429 || status >= 500) {
                throw new Retryable(failure, retryAfter(headers));
            }
            throw failure;
        }
    }

    /** The request's fields after Host (which {@link Http1#request} writes). */
    private List<HttpFields.Field> fields(Origin origin, Range range) {
        List<HttpFields.Field> f = new ArrayList<>(4);
        f.add(new HttpFields.Field("User-Agent", userAgent));
        // Identity, not gzip: a byte range of a compressed body is not a byte range of the file.
        f.add(new HttpFields.Field("Accept-Encoding", "identity"));
        if (range.present()) {
            f.add(new HttpFields.Field("Range", range.header()));
        }
        if (origin.equals(trustedOrigin)) {
            token.get().ifPresent(t -> f.add(new HttpFields.Field("Authorization", "Bearer " + t)));
        }
        return f;
    }

    /**
     * Sends the request on a pooled connection and reads the answer's head. A kept-alive connection the server closed
     * meanwhile (or left garbage on) fails before any answer arrives; the request then goes once more on a new
     * connection, as browsers and java.net.http do for an idempotent GET, without counting as a retry.
     */
    private Exchange send(URI uri, Range range, Deadline deadline, String what) {
        if (deadline.passed()) {
            throw timeout(what, uri);
        }
        Origin origin = Origin.of(uri);
        byte[] request = Http1.request(uri, origin, fields(origin, range));
        for (boolean fresh = false; ; fresh = true) {
            Connection c = connect(origin, uri, deadline, what, fresh);
            inUse.add(c);
            if (aborted) {
                giveBack(c, false);
                throw new RemoteModelException(Reason.CONNECTION, what + ": stopped (the read was given up)");
            }
            try {
                c.write(request);
                long written = System.nanoTime();
                Http1.Head head = Http1.readHead(c, deadline);
                long waited = System.nanoTime() - written;
                fastestAnswer.accumulateAndGet(waited, Math::min);
                return new Exchange(head, c, this::giveBack, received);
            } catch (IOException e) {
                giveBack(c, false);
                if (c.reused() && !fresh && !(e instanceof Http1.Timeout)) {
                    continue;
                }
                throw failure(e, what, uri);
            }
        }
    }

    private Connection connect(Origin origin, URI uri, Deadline deadline, String what, boolean fresh) {
        try {
            return pool.acquire(origin, deadline, fresh);
        } catch (Http1.Timeout e) {
            throw timeout(what, uri);
        } catch (SocketTimeoutException e) {
            throw new Retryable(
                    new RemoteModelException(
                            Reason.TIMEOUT,
                            what + ": could not connect to " + hostPort(uri) + " within "
                                    + seconds(settings.connectTimeout()),
                            e),
                    OptionalLong.empty());
        } catch (UnknownHostException e) {
            throw new RemoteModelException(
                    Reason.DNS,
                    what + ": cannot resolve host '" + uri.getHost()
                            + "' (DNS lookup failed: check the name, HF_ENDPOINT, or the network)",
                    e);
        } catch (ConnectException e) {
            throw new Retryable(
                    new RemoteModelException(
                            Reason.CONNECTION,
                            what + ": cannot connect to " + hostPort(uri) + " (" + message(e) + ")",
                            e),
                    OptionalLong.empty());
        } catch (SSLException e) {
            // A certificate that does not match the host or is not trusted: another try cannot change that.
            throw new RemoteModelException(
                    Reason.CONNECTION,
                    what + ": the TLS connection to " + hostPort(uri) + " failed (" + message(e) + ")",
                    e);
        } catch (IOException e) {
            throw failure(e, what, uri);
        }
    }

    /** What a failed exchange means: a timeout, a broken protocol (not retried), or a broken connection (retried). */
    private RuntimeException failure(IOException e, String what, URI uri) {
        if (e instanceof Http1.Timeout) {
            return timeout(what, uri);
        }
        if (e instanceof Http1.Malformed) {
            return malformed(what, uri, e);
        }
        return new Retryable(
                new RemoteModelException(
                        Reason.CONNECTION,
                        what + ": connection to " + hostPort(uri) + " failed (" + message(e) + ")",
                        e),
                OptionalLong.empty());
    }

    RemoteModelException malformed(String what, URI uri, IOException e) {
        return new RemoteModelException(
                Reason.BAD_ANSWER,
                what + ": " + hostPort(uri) + " does not speak HTTP/1.1 as heft reads it: " + message(e),
                e);
    }

    RemoteModelException timeout(String what, URI uri) {
        return new RemoteModelException(
                Reason.TIMEOUT,
                what + ": no complete answer from " + hostPort(uri)
                        + " in time (" + seconds(settings.requestTimeout()) + " a request, "
                        + seconds(settings.totalTimeout())
                        + " in all)");
    }

    /** A dropped connection while reading a body: the caller retries the request, as with a failed send. */
    RemoteModelException dropped(String what, URI uri, IOException e) {
        return new RemoteModelException(
                Reason.CONNECTION,
                what + ": the connection to " + hostPort(uri) + " broke while reading the answer (" + message(e) + ")",
                e);
    }

    /** Waits before attempt {@code attempt + 1}; false when the wait would pass the deadline. */
    boolean sleepBeforeRetry(int attempt, OptionalLong retryAfterSeconds, Deadline deadline) {
        long base = settings.backoff().toMillis() << Math.min(attempt - 1, 16);
        long jittered = (long) (base * (0.75 + 0.5 * ThreadLocalRandom.current().nextDouble()));
        long wait = Math.min(settings.maxBackoff().toMillis(), jittered);
        if (retryAfterSeconds.isPresent()) {
            wait = Math.min(settings.maxBackoff().toMillis(), Math.max(wait, retryAfterSeconds.getAsLong() * 1000));
        }
        if (wait * 1_000_000L >= deadline.remainingNanos()) {
            return false;
        }
        try {
            Thread.sleep(wait);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Reads a redirect's or an error's short body so the connection can serve again; a long one closes it. */
    private void discardSmallBody(Exchange exchange, Deadline deadline) {
        if (exchange.atEnd()) { // no body (a Hub redirect has none): nothing to read, no buffer to allocate
            exchange.close();
            return;
        }
        try (exchange) {
            byte[] sink = new byte[SMALL_BODY];
            Deadline brief = deadline.atMost(Duration.ofSeconds(1));
            int n = 0;
            while (n >= 0 && !exchange.atEnd()) {
                n = exchange.read(sink, 0, sink.length, brief);
                if (n == sink.length) {
                    return;
                }
            }
        } catch (IOException e) {
            // a body not worth reading: the connection is closed rather than kept
        }
    }

    /** Where a redirect's {@code Location} sends heft: http(s) only. Static, as HubResponsesFuzzTest calls it. */
    static URI redirectTarget(URI from, String location, String what) {
        URI next;
        try {
            next = from.resolve(location.trim());
        } catch (IllegalArgumentException e) {
            throw new RemoteModelException(
                    Reason.REFUSED_REDIRECT,
                    what + ": " + from.getHost() + " redirected to a malformed location '" + shorten(location) + "'");
        }
        String scheme = next.getScheme() == null ? "" : next.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http") || next.getHost() == null) {
            throw new RemoteModelException(
                    Reason.REFUSED_REDIRECT,
                    what + ": " + from.getHost() + " redirected to '" + shorten(location)
                            + "'; heft follows redirects to http and https URLs only");
        }
        return next;
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    private static OptionalLong retryAfter(HttpFields headers) {
        Optional<String> v = headers.firstValue("Retry-After");
        if (v.isEmpty()) {
            return OptionalLong.empty();
        }
        try {
            long s = Long.parseLong(v.get().trim());
            return s >= 0 ? OptionalLong.of(s) : OptionalLong.empty();
        } catch (NumberFormatException e) {
            return OptionalLong.empty(); // an HTTP date: the usual backoff applies
        }
    }

    /** The origin of an http(s) URL with a host, else null. */
    private static Origin httpOrigin(URI uri) {
        try {
            return Origin.of(uri);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static URI origin(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        int port = uri.getPort() >= 0 ? uri.getPort() : scheme.equals("https") ? 443 : scheme.equals("http") ? 80 : -1;
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        return URI.create(scheme + "://" + host + ":" + port);
    }

    static String hostPort(URI uri) {
        return uri.getPort() >= 0 ? uri.getHost() + ":" + uri.getPort() : uri.getHost();
    }

    private static String seconds(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
    }

    private static String message(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    /**
     * {@code s} fit for a message: control characters (regex {@code \p{Cntrl}}: U+0000-U+001F and U+007F) as '?', cut
     * at 120 characters. A loop, not {@code replaceAll}: it runs on every answer that carries X-Repo-Commit, and a
     * regex compiled per call was a good part of a cold request's cost.
     */
    static String shorten(String s) {
        String clean = s;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                char[] chars = s.toCharArray();
                for (int j = i; j < chars.length; j++) {
                    if (chars[j] < 0x20 || chars[j] == 0x7f) {
                        chars[j] = '?';
                    }
                }
                clean = new String(chars);
                break;
            }
        }
        return clean.length() > 120 ? clean.substring(0, 120) + "..." : clean;
    }

    /** A failure worth another try (429, 5xx, a failed connection), with the server's Retry-After if it sent one. */
    static final class Retryable extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final RuntimeException failure;
        /** OptionalLong is not serializable; heft never serializes exceptions (this one never leaves Http). */
        final transient OptionalLong retryAfter;

        Retryable(RuntimeException failure, OptionalLong retryAfter) {
            super(null, null, false, false);
            this.failure = failure;
            this.retryAfter = retryAfter;
        }
    }

    /** An answer whose headers have arrived; the body is read through it, never past what is asked. */
    final class Answer implements AutoCloseable {
        private final Exchange exchange;
        private final URI uri;
        private final Optional<String> commit;
        private final Deadline deadline;
        private final String what;

        Answer(Exchange exchange, URI uri, Optional<String> commit, Deadline deadline, String what) {
            this.exchange = exchange;
            this.uri = uri;
            this.commit = commit;
            this.deadline = deadline;
            this.what = what;
        }

        int status() {
            return exchange.head.status();
        }

        HttpFields headers() {
            return exchange.head.fields();
        }

        /** The URL that answered (after redirects). */
        URI uri() {
            return uri;
        }

        /** {@code X-Repo-Commit} from any hop: the commit the Hub resolved the revision to. */
        Optional<String> commit() {
            return commit;
        }

        OptionalLong contentLength() {
            return exchange.head.fields().firstValueAsLong("Content-Length");
        }

        /**
         * Reads exactly {@code n} bytes; a body that ends first is a truncated answer.
         */
        byte[] readExactly(int n) {
            byte[] out = new byte[n];
            readExactly(out, 0, n);
            return out;
        }

        /** Reads exactly {@code n} bytes into {@code dst} at {@code offset}; a body that ends first is truncated. */
        void readExactly(byte[] dst, int offset, int n) {
            int got = read(dst, offset, n);
            if (got < n) {
                throw new RemoteModelException(
                        Reason.BAD_ANSWER,
                        what + ": truncated answer from " + hostPort(uri) + ": " + Math.max(got, 0) + " of the " + n
                                + " bytes it promised");
            }
        }

        /**
         * Reads and drops exactly {@code n} bytes (counted as received, as every body byte is), so that a connection
         * whose answer holds a little more than the caller needs serves the next request; a body that ends first is
         * truncated.
         */
        void skipExactly(int n) {
            byte[] sink = new byte[Math.min(n, SMALL_BODY)];
            for (int left = n; left > 0; ) {
                int chunk = Math.min(left, sink.length);
                readExactly(sink, 0, chunk);
                left -= chunk;
            }
        }

        /** Reads into {@code dst}, returning the count read (fewer only at the end of the body, -1 at its end). */
        int read(byte[] dst, int offset, int n) {
            try {
                return exchange.read(dst, offset, n, deadline);
            } catch (Http1.Timeout e) {
                close();
                throw timeout(what, uri);
            } catch (Http1.Malformed e) {
                close();
                throw malformed(what, uri, e);
            } catch (IOException e) {
                close();
                throw new Dropped(dropped(what, uri, e));
            }
        }

        /**
         * The whole body, which must be at most {@code cap} bytes: a longer one (by its Content-Length, or as it
         * arrives) is refused without reading past the cap.
         */
        byte[] readAll(long cap, String kind) {
            OptionalLong declared = contentLength();
            if (declared.isPresent() && declared.getAsLong() > cap) {
                close();
                throw new RemoteModelException(
                        Reason.TOO_LARGE,
                        what + ": " + kind + " of " + declared.getAsLong() + " bytes is larger than the " + cap
                                + " bytes heft accepts");
            }
            int initial = (int) Math.min(cap + 1, declared.isPresent() ? declared.getAsLong() + 1 : 64 << 10);
            byte[] buf = new byte[Math.max(initial, 1)];
            int have = 0;
            while (true) {
                if (have == buf.length) {
                    if (have > cap) {
                        close();
                        throw new RemoteModelException(
                                Reason.TOO_LARGE,
                                what + ": " + kind + " is larger than the " + cap + " bytes heft accepts");
                    }
                    buf = java.util.Arrays.copyOf(buf, (int) Math.min(cap + 1, Math.max(1024L, 2L * buf.length)));
                }
                int n = read(buf, have, buf.length - have);
                if (n < 0) {
                    break;
                }
                have += n;
            }
            if (have > cap) {
                throw new RemoteModelException(
                        Reason.TOO_LARGE, what + ": " + kind + " is larger than the " + cap + " bytes heft accepts");
            }
            if (declared.isPresent() && have != declared.getAsLong()) {
                throw new RemoteModelException(
                        Reason.BAD_ANSWER,
                        what + ": truncated answer from " + hostPort(uri) + ": " + have + " of the "
                                + declared.getAsLong() + " bytes of its Content-Length");
            }
            return java.util.Arrays.copyOf(buf, have);
        }

        /**
         * Ends the exchange: the connection serves the next request when the body was read to its end, and is closed
         * otherwise (the rest of the body is never read). Safe to call more than once.
         */
        @Override
        public void close() {
            exchange.close();
        }
    }

    /** A connection that broke while a body was read: the request is worth another try. */
    static final class Dropped extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final RemoteModelException failure;

        Dropped(RemoteModelException failure) {
            super(failure.getMessage(), failure, false, false);
            this.failure = failure;
        }
    }
}
