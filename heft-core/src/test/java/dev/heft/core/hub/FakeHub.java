package dev.heft.core.hub;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A loopback stand-in for the Hugging Face Hub that serves local folders in the Hub's URL scheme, for the tests and for
 * the hub benchmark (bench/hub-speed.sh runs it through {@link #main}):
 * <ul>
 *   <li>{@code GET /api/models/OWNER/NAME/tree/REV?recursive=true}: the folder's files as the tree API lists them
 *       ({@code type, oid, size, path}, and {@code lfs: {oid, size}} for weight files), optionally paged with a
 *       {@code Link: <...>; rel="next"} header;</li>
 *   <li>{@code GET|HEAD /OWNER/NAME/resolve/REV/PATH}: the file, with {@code Range} answered by 206 and
 *       {@code Content-Range}, {@code ETag}, {@code X-Repo-Commit}; weight files optionally redirected (302) to a
 *       second origin, as the Hub sends them to its CDN;</li>
 *   <li>the Hub's error answers: 404 with {@code X-Error-Code: RepoNotFound | RevisionNotFound | EntryNotFound},
 *       401 {@code GatedRepo} for a gated repo unless the right token is sent, 401 {@code RepoNotFound} for a private
 *       one.</li>
 * </ul>
 * Faults can be set per path (429s, ignoring Range, trickling, lies, redirects elsewhere) to play a broken or hostile
 * server. Every body byte written is counted per path, and every Authorization header seen is recorded per port.
 *
 * <p>LFS oids are sha256 of the file's path, size and modification time, not of its content: the benchmark's sparse
 * files are hundreds of GB, and an oid only has to change when the file does.
 */
public final class FakeHub implements AutoCloseable {
    private static final Pattern TREE = Pattern.compile("/api/models/([^/]+/[^/]+)/tree/([^/?]+)/?");
    private static final Pattern RESOLVE = Pattern.compile("/([^/]+/[^/]+)/resolve/([^/]+)/(.+)");
    private static final Pattern CDN = Pattern.compile("/cdn/([^/]+/[^/]+)/(.+)");
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d*)");

    /** One repo: a folder, the commit "main" resolves to, and who may read it. */
    record Repo(Path folder, String commit, Optional<String> gatedToken, boolean privateRepo) {}

    /** How the server misbehaves for the paths a fault matches. */
    public sealed interface Fault {}

    /** Answer {@code status} (with {@code Retry-After} seconds when not negative) the first {@code times} times. */
    public record Status(int status, int times, int retryAfter, AtomicInteger seen) implements Fault {
        public Status(int status, int times, int retryAfter) {
            this(status, times, retryAfter, new AtomicInteger());
        }
    }

    /** Ignore Range: answer 200 with the whole file. */
    public record IgnoreRange() implements Fault {}

    /** Honour Range only for a request that starts at byte 0: later ranges get 200 and the whole file. */
    public record IgnoreRangeBeyondStart() implements Fault {}

    /** Send the body at {@code bytesPerSecond}. */
    public record Trickle(int bytesPerSecond) implements Fault {}

    /** Answer ranges with this Content-Range header instead of the true one (bytes as asked). */
    public record LieContentRange(String header) implements Fault {}

    /** Answer ranges with 206 but a Content-Range whose total is {@code total}. */
    public record LieTotal(long total) implements Fault {}

    /** Send the first {@code bytes} bytes of the body, then close the connection, the first {@code times} times. */
    public record Truncate(int bytes, int times, AtomicInteger seen) implements Fault {
        public Truncate(int bytes, int times) {
            this(bytes, times, new AtomicInteger());
        }
    }

    /** Redirect to {@code location} (302). */
    public record Redirect(String location) implements Fault {}

    /** Serve this body instead of the file (status 200, whole body, Range ignored). */
    public record Body(byte[] bytes) implements Fault {}

    /** Serve an endless body (a tree listing of gigabytes) at full speed. */
    public record Endless() implements Fault {}

    private final HttpServer server;
    private final HttpServer cdn;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<String, Repo> repos = new ConcurrentHashMap<>();
    private final Map<String, Fault> faults = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> bytesByPath = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> requestsByPath = new ConcurrentHashMap<>();
    private final Map<Integer, ConcurrentLinkedQueue<String>> authByPort = new ConcurrentHashMap<>();
    private final AtomicInteger requests = new AtomicInteger();
    private volatile boolean redirectToCdn;
    private volatile int treePageSize = Integer.MAX_VALUE;
    private volatile long latencyMillis;
    private final InFlight hubWaiting = new InFlight();
    private final InFlight cdnWaiting = new InFlight();
    private final InFlight allWaiting = new InFlight();

    /** Requests inside the latency wait at once, and the most there ever were. */
    private static final class InFlight {
        final AtomicInteger now = new AtomicInteger();
        final AtomicInteger most = new AtomicInteger();

        void enter() {
            most.accumulateAndGet(now.incrementAndGet(), Math::max);
        }

        void leave() {
            now.decrementAndGet();
        }
    }

    public FakeHub() throws IOException {
        this(0);
    }

    public FakeHub(int port) throws IOException {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        server = HttpServer.create(new InetSocketAddress(loopback, port), 256);
        cdn = HttpServer.create(new InetSocketAddress(loopback, 0), 256);
        server.setExecutor(executor);
        cdn.setExecutor(executor);
        server.createContext("/", this::hub);
        cdn.createContext("/", this::cdn);
        server.start();
        cdn.start();
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public URI cdnEndpoint() {
        return URI.create("http://127.0.0.1:" + cdn.getAddress().getPort());
    }

    /** Serves {@code folder} as {@code repo} ({@code OWNER/NAME}) at revision main. */
    public FakeHub repo(String repo, Path folder) {
        repos.put(repo, new Repo(folder, sha1(repo), Optional.empty(), false));
        return this;
    }

    /** A gated repo: only a request carrying {@code token} may read its files. */
    public FakeHub gated(String repo, Path folder, String token) {
        repos.put(repo, new Repo(folder, sha1(repo), Optional.of(token), false));
        return this;
    }

    /** A private repo: the Hub says it does not exist unless the token is sent. */
    public FakeHub privateRepo(String repo, Path folder, String token) {
        repos.put(repo, new Repo(folder, sha1(repo), Optional.of(token), true));
        return this;
    }

    public String commit(String repo) {
        return repos.get(repo).commit();
    }

    /** Weight files answer with 302 to the second origin, as the Hub sends LFS files to its CDN. */
    public FakeHub redirectWeightsToCdn() {
        redirectToCdn = true;
        return this;
    }

    /**
     * Waits this long before answering each request, on both origins: a stand-in for the round trip to a real Hub
     * (the loopback's own is a few microseconds), so a benchmark can show how a client copes with latency.
     */
    public FakeHub latency(long millis) {
        latencyMillis = millis;
        return this;
    }

    public FakeHub treePageSize(int n) {
        treePageSize = n;
        return this;
    }

    /** Misbehaves for every request whose path ends with {@code pathSuffix}. */
    public FakeHub fault(String pathSuffix, Fault f) {
        faults.put(pathSuffix, f);
        return this;
    }

    /** Body bytes written for requests whose path ends with {@code pathSuffix}. */
    public long bytesServed(String pathSuffix) {
        return bytesByPath.entrySet().stream()
                .filter(e -> e.getKey().endsWith(pathSuffix))
                .mapToLong(e -> e.getValue().get())
                .sum();
    }

    public long totalBytesServed() {
        return bytesByPath.values().stream().mapToLong(AtomicLong::get).sum();
    }

    public int requestsFor(String pathSuffix) {
        return requestsByPath.entrySet().stream()
                .filter(e -> e.getKey().endsWith(pathSuffix))
                .mapToInt(e -> e.getValue().get())
                .sum();
    }

    /**
     * The most requests the Hub's origin, the CDN's origin and both together were answering at once, as
     * {hub, cdn, both}; counted only with a {@link #latency(long)}, during its wait.
     */
    public int[] mostAtOnce() {
        return new int[] {hubWaiting.most.get(), cdnWaiting.most.get(), allWaiting.most.get()};
    }

    public int requests() {
        return requests.get();
    }

    /** Authorization headers the CDN origin saw (it must never see one). */
    public List<String> cdnAuthorizations() {
        return List.copyOf(authByPort.getOrDefault(cdn.getAddress().getPort(), new ConcurrentLinkedQueue<>()));
    }

    @Override
    public void close() {
        server.stop(0);
        cdn.stop(0);
        executor.shutdownNow();
    }

    private void hub(HttpExchange ex) throws IOException {
        try (ex) {
            count(ex);
            String path = ex.getRequestURI().getRawPath();
            Optional<Fault> fault = faultFor(path);
            if (fault.isPresent() && preempt(ex, fault.get())) {
                return;
            }
            Matcher tree = TREE.matcher(path);
            Matcher resolve = RESOLVE.matcher(path);
            if (tree.matches()) {
                tree(ex, tree.group(1), decode(tree.group(2)), fault);
            } else if (resolve.matches()) {
                resolve(ex, resolve.group(1), decode(resolve.group(2)), decode(resolve.group(3)), fault);
            } else {
                error(ex, 404, "RepoNotFound", "no such endpoint");
            }
        } catch (IOException e) {
            // the client went away: nothing to answer
        }
    }

    private void cdn(HttpExchange ex) throws IOException {
        try (ex) {
            count(ex);
            Matcher m = CDN.matcher(ex.getRequestURI().getRawPath());
            Repo repo = m.matches() ? repos.get(m.group(1)) : null;
            if (repo == null) {
                error(ex, 404, "EntryNotFound", "no such object");
                return;
            }
            Path file = inside(repo.folder(), decode(m.group(2)));
            if (file == null) {
                error(ex, 404, "EntryNotFound", "no such object");
                return;
            }
            Optional<Fault> fault = faultFor(ex.getRequestURI().getRawPath());
            if (fault.isPresent() && preempt(ex, fault.get())) {
                return;
            }
            serveFile(ex, file, fault);
        } catch (IOException e) {
            // the client went away
        }
    }

    private void count(HttpExchange ex) {
        if (latencyMillis > 0) {
            // Counted while waiting, before any byte of the answer goes out: a client cannot have started another
            // request on the strength of this one's answer while it still counts.
            InFlight origin = ex.getLocalAddress().getPort() == cdn.getAddress().getPort() ? cdnWaiting : hubWaiting;
            origin.enter();
            allWaiting.enter();
            try {
                Thread.sleep(latencyMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                allWaiting.leave();
                origin.leave();
            }
        }
        requests.incrementAndGet();
        requestsByPath
                .computeIfAbsent(ex.getRequestURI().getRawPath(), k -> new AtomicInteger())
                .incrementAndGet();
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        if (auth != null) {
            authByPort
                    .computeIfAbsent(ex.getLocalAddress().getPort(), k -> new ConcurrentLinkedQueue<>())
                    .add(auth);
        }
    }

    /** Faults that replace the answer entirely; true when the answer was sent. */
    private boolean preempt(HttpExchange ex, Fault fault) throws IOException {
        switch (fault) {
            case Status s
            when s.seen().incrementAndGet() <= s.times() -> {
                if (s.retryAfter() >= 0) {
                    ex.getResponseHeaders().add("Retry-After", String.valueOf(s.retryAfter()));
                }
                error(ex, s.status(), "", "injected status");
                return true;
            }
            case Redirect r -> {
                ex.getResponseHeaders().add("Location", r.location());
                ex.sendResponseHeaders(302, -1);
                return true;
            }
            case Body b -> {
                ex.sendResponseHeaders(200, b.bytes().length);
                write(ex, b.bytes(), 0, b.bytes().length, Optional.empty());
                return true;
            }
            case Endless e -> {
                ex.sendResponseHeaders(200, 0);
                byte[] chunk = "[{\"type\":\"file\",\"path\":\"x\",\"size\":1},"
                        .repeat(1000)
                        .getBytes(StandardCharsets.US_ASCII);
                for (long sent = 0; sent < (8L << 30); sent += chunk.length) {
                    write(ex, chunk, 0, chunk.length, Optional.empty());
                }
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    private void tree(HttpExchange ex, String repoId, String revision, Optional<Fault> fault) throws IOException {
        Repo repo = repos.get(repoId);
        if (!readable(ex, repo)) {
            return;
        }
        if (!revision.equals("main") && !revision.equals(repo.commit())) {
            error(ex, 404, "RevisionNotFound", "Invalid rev id: " + revision);
            return;
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(repo.folder())) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        int start = 0;
        String query = ex.getRequestURI().getRawQuery();
        if (query != null) {
            Matcher c = Pattern.compile("cursor=(\\d+)").matcher(query);
            if (c.find()) {
                start = Integer.parseInt(c.group(1));
            }
        }
        int end = (int) Math.min(files.size(), (long) start + treePageSize);
        StringBuilder sb = new StringBuilder("[");
        for (int i = start; i < end; i++) {
            Path f = files.get(i);
            String rel = repo.folder().relativize(f).toString().replace('\\', '/');
            long size = Files.size(f);
            if (sb.length() > 1) {
                sb.append(',');
            }
            sb.append("{\"type\":\"file\",\"oid\":\"")
                    .append(sha1(rel))
                    .append("\",\"size\":")
                    .append(size)
                    .append(",\"path\":\"")
                    .append(rel)
                    .append('"');
            if (isLfs(rel)) {
                sb.append(",\"lfs\":{\"oid\":\"")
                        .append(oid(f, rel))
                        .append("\",\"size\":")
                        .append(size)
                        .append(",\"pointerSize\":134}");
            }
            sb.append('}');
        }
        sb.append(']');
        if (end < files.size()) {
            ex.getResponseHeaders()
                    .add(
                            "Link",
                            "<" + endpoint() + ex.getRequestURI().getRawPath() + "?recursive=true&cursor=" + end
                                    + ">; rel=\"next\"");
        }
        byte[] body = sb.toString().getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(200, body.length);
        write(ex, body, 0, body.length, fault);
    }

    private void resolve(HttpExchange ex, String repoId, String revision, String file, Optional<Fault> fault)
            throws IOException {
        Repo repo = repos.get(repoId);
        if (!readable(ex, repo)) {
            return;
        }
        if (!revision.equals("main") && !revision.equals(repo.commit())) {
            error(ex, 404, "RevisionNotFound", "Invalid rev id: " + revision);
            return;
        }
        Path target = inside(repo.folder(), file);
        if (target == null || !Files.isRegularFile(target)) {
            ex.getResponseHeaders().add("X-Repo-Commit", repo.commit());
            error(ex, 404, "EntryNotFound", file + " does not exist");
            return;
        }
        ex.getResponseHeaders().add("X-Repo-Commit", repo.commit());
        if (redirectToCdn && isLfs(file)) {
            ex.getResponseHeaders().add("X-Linked-Size", String.valueOf(Files.size(target)));
            ex.getResponseHeaders().add("X-Linked-Etag", "\"" + oid(target, file) + "\"");
            ex.getResponseHeaders().add("Location", cdnEndpoint() + "/cdn/" + repoId + "/" + file + "?sig=x");
            ex.sendResponseHeaders(302, -1);
            return;
        }
        serveFile(ex, target, fault);
    }

    private boolean readable(HttpExchange ex, Repo repo) throws IOException {
        if (repo == null) {
            error(ex, 401, "RepoNotFound", "Repository not found");
            return false;
        }
        if (repo.gatedToken().isPresent()) {
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            if (auth == null || !auth.equals("Bearer " + repo.gatedToken().get())) {
                if (repo.privateRepo()) {
                    error(ex, 401, "RepoNotFound", "Repository not found");
                } else {
                    error(ex, auth == null ? 401 : 403, "GatedRepo", "Access to model is restricted");
                }
                return false;
            }
        }
        return true;
    }

    private void serveFile(HttpExchange ex, Path file, Optional<Fault> fault) throws IOException {
        long size = Files.size(file);
        ex.getResponseHeaders().add("ETag", "\"" + oid(file, file.toString()) + "\"");
        ex.getResponseHeaders().add("Accept-Ranges", "bytes");
        String range = ex.getRequestHeaders().getFirst("Range");
        boolean ignore = fault.isPresent()
                && (fault.get() instanceof IgnoreRange
                        || (fault.get() instanceof IgnoreRangeBeyondStart
                                && range != null
                                && !range.startsWith("bytes=0-")));
        long from = 0;
        long to = size - 1;
        int status = 200;
        if (range != null && !ignore) {
            Matcher m = RANGE.matcher(range.trim());
            if (!m.matches()) {
                error(ex, 416, "", "bad range");
                return;
            }
            from = Long.parseLong(m.group(1));
            to = m.group(2).isEmpty() ? size - 1 : Math.min(size - 1, Long.parseLong(m.group(2)));
            if (from >= size || to < from) {
                ex.getResponseHeaders().add("Content-Range", "bytes */" + size);
                error(ex, 416, "", "range not satisfiable");
                return;
            }
            status = 206;
            String contentRange = "bytes " + from + "-" + to + "/" + size;
            if (fault.isPresent() && fault.get() instanceof LieContentRange l) {
                contentRange = l.header();
            } else if (fault.isPresent() && fault.get() instanceof LieTotal t) {
                contentRange = "bytes " + from + "-" + to + "/" + t.total();
            }
            ex.getResponseHeaders().add("Content-Range", contentRange);
        }
        long length = to - from + 1;
        if (ex.getRequestMethod().equals("HEAD")) {
            ex.getResponseHeaders().add("Content-Length", String.valueOf(size));
            ex.sendResponseHeaders(200, -1);
            return;
        }
        ex.sendResponseHeaders(status, length);
        long limit = length;
        if (fault.isPresent() && fault.get() instanceof Truncate t && t.seen().incrementAndGet() <= t.times()) {
            limit = Math.min(length, t.bytes());
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buf = ByteBuffer.allocate(64 << 10);
            long pos = from;
            long left = limit;
            while (left > 0) {
                buf.clear().limit((int) Math.min(buf.capacity(), left));
                int n = ch.read(buf, pos);
                if (n <= 0) {
                    // a sparse file's hole past its end cannot happen; a shrinking file ends the answer
                    break;
                }
                write(ex, buf.array(), 0, n, fault);
                pos += n;
                left -= n;
            }
        }
        if (limit < length) {
            // Close the connection mid-body: the client sees the answer end early.
            throw new IOException("truncated on purpose");
        }
    }

    private void write(HttpExchange ex, byte[] b, int off, int len, Optional<Fault> fault) throws IOException {
        OutputStream out = ex.getResponseBody();
        AtomicLong counter = bytesByPath.computeIfAbsent(ex.getRequestURI().getRawPath(), k -> new AtomicLong());
        if (fault.isPresent() && fault.get() instanceof Trickle t) {
            for (int i = 0; i < len; i++) {
                counter.incrementAndGet();
                out.write(b[off + i]);
                out.flush();
                try {
                    Thread.sleep(Math.max(1, 1000 / t.bytesPerSecond()));
                } catch (InterruptedException e) {
                    throw new IOException("stopped", e);
                }
            }
            return;
        }
        // In pieces, so that a client that stops reading stops the count near where it stopped; each piece is counted
        // before it is written, so a client that has read it always finds it counted.
        for (int at = 0; at < len; at += 16 << 10) {
            int n = Math.min(16 << 10, len - at);
            counter.addAndGet(n);
            out.write(b, off + at, n);
        }
    }

    private static void error(HttpExchange ex, int status, String code, String message) throws IOException {
        if (!code.isEmpty()) {
            ex.getResponseHeaders().add("X-Error-Code", code);
        }
        ex.getResponseHeaders().add("X-Error-Message", message);
        byte[] body = ("{\"error\":\"" + message + "\"}").getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(status, body.length);
        ex.getResponseBody().write(body);
    }

    private Optional<Fault> faultFor(String path) {
        String decoded = decode(path);
        for (Map.Entry<String, Fault> e : faults.entrySet()) {
            if (decoded.endsWith(e.getKey()) || path.endsWith(e.getKey())) {
                return Optional.of(e.getValue());
            }
        }
        return Optional.empty();
    }

    private static Path inside(Path folder, String rel) {
        Path p = folder.resolve(rel).normalize();
        return p.startsWith(folder.normalize()) ? p : null;
    }

    private static boolean isLfs(String path) {
        return path.endsWith(".safetensors")
                || path.endsWith(".gguf")
                || path.endsWith(".bin")
                || path.endsWith(".onnx");
    }

    private static String oid(Path file, String rel) {
        try {
            return sha256(rel + ":" + Files.size(file) + ":"
                    + Files.getLastModifiedTime(file).toMillis());
        } catch (IOException e) {
            return sha256(rel);
        }
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    static String sha1(String s) {
        return digest("SHA-1", s);
    }

    private static String sha256(String s) {
        return digest("SHA-256", s);
    }

    private static String digest(String algorithm, String s) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance(algorithm).digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Serves folders until killed: {@code FakeHub [--port N] [--cdn] [--latency-ms N] OWNER/NAME=FOLDER ...}. Prints the
     * endpoint on stdout (for HF_ENDPOINT).
     */
    public static void main(String[] args) throws Exception {
        int port = 0;
        boolean cdnRedirects = false;
        long latency = 0;
        List<String[]> served = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--cdn" -> cdnRedirects = true;
                case "--latency-ms" -> latency = Long.parseLong(args[++i]);
                default -> {
                    int eq = args[i].indexOf('=');
                    if (eq <= 0) {
                        System.err.println("usage: FakeHub [--port N] [--cdn] [--latency-ms N] OWNER/NAME=FOLDER ...");
                        System.exit(2);
                    }
                    served.add(new String[] {args[i].substring(0, eq), args[i].substring(eq + 1)});
                }
            }
        }
        FakeHub hub = new FakeHub(port);
        for (String[] s : served) {
            hub.repo(s[0], Path.of(s[1]).toAbsolutePath());
        }
        if (cdnRedirects) {
            hub.redirectWeightsToCdn();
        }
        hub.latency(latency);
        System.out.println(hub.endpoint());
        System.out.flush();
        Thread.currentThread().join();
    }
}
