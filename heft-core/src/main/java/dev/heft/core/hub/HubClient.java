package dev.heft.core.hub;

import dev.heft.core.error.HeftException;
import dev.heft.core.error.RemoteModelException;
import dev.heft.core.error.RemoteModelException.Reason;
import dev.heft.core.json.Json;
import dev.heft.core.json.JsonException;
import dev.heft.core.json.JsonValue;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads what heft needs of models behind URLs, for one MODEL argument: a Hub repo's file listing, small JSON files
 * (config, index) and weight-file headers, the headers fetched {@link NetworkSettings#readsInFlight()} at a time over
 * kept-alive connections, everything under one total deadline, every body byte counted.
 *
 * <p>Hub URLs follow huggingface_hub ({@code hf_api.list_repo_tree}, {@code file_download.hf_hub_url}):
 * {@code {endpoint}/api/models/{repo}/tree/{revision}?recursive=true} (pages chained by a {@code Link: rel="next"}
 * header) and {@code {endpoint}/{repo}/resolve/{revision}/{path}}, the revision percent-encoded whole.
 */
public final class HubClient implements AutoCloseable {
    /** A listing page is a few hundred KiB for the largest repos; this bounds a hostile one. */
    static final long MAX_LISTING_PAGE_BYTES = 16L << 20;

    static final int MAX_LISTING_ENTRIES = 100_000;
    static final int MAX_LISTING_PAGES = 1_000;
    private static final Pattern NEXT_LINK = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"?next\"?");

    private final Http http;
    private final URI endpoint;
    private final ConnectionPool pool;
    private final boolean ownPool;
    private final Deadline deadline;
    private final RemoteHeaders headers;
    private final Optional<HeaderCache> cache;
    private final Progress progress;
    private final boolean tokenPresent;

    /**
     * @param endpoint the Hub ({@code HF_ENDPOINT}, default https://huggingface.co): the only origin the token goes to
     * @param token    the token, looked up on first use (empty: anonymous)
     * @param pool     connections to share (a server's), or empty to make a pool that {@link #close()} closes
     * @param cache    a header cache, or empty
     */
    public HubClient(
            URI endpoint,
            Supplier<Optional<String>> token,
            NetworkSettings settings,
            Optional<ConnectionPool> pool,
            Optional<HeaderCache> cache,
            Progress progress,
            String userAgent) {
        this.endpoint = stripSlash(endpoint);
        this.pool = pool.orElseGet(() -> new ConnectionPool(settings));
        this.ownPool = pool.isEmpty();
        Supplier<Optional<String>> once = memoize(token);
        this.http = new Http(this.pool, settings, this.endpoint, once, userAgent);
        this.deadline = Deadline.in(settings.totalTimeout());
        this.headers = new RemoteHeaders(http, cache);
        this.cache = cache;
        this.progress = progress;
        this.tokenPresent = once.get().isPresent();
    }

    public URI endpoint() {
        return endpoint;
    }

    /** Body bytes received so far, over every request. */
    public long transferredBytes() {
        return http.receivedBytes();
    }

    public int requests() {
        return http.requestCount();
    }

    /** The commit the Hub resolved the revision to ({@code X-Repo-Commit}), once an answer carried it. */
    public Optional<String> commit() {
        return http.firstCommit();
    }

    /** Every file of the repo at its revision (directories left out), as the tree API lists them. */
    public List<RepoEntry> tree(HubRef ref) {
        URI uri = URI.create(endpoint + "/api/models/" + ref.repo() + "/tree/" + encodeAll(ref.revisionOrDefault())
                + "?recursive=true");
        String what = ref.withoutPath().modelString();
        List<RepoEntry> entries = new ArrayList<>();
        for (int page = 0; uri != null; page++) {
            if (page >= MAX_LISTING_PAGES) {
                throw new RemoteModelException(
                        Reason.TOO_LARGE, what + ": the file listing goes on past " + MAX_LISTING_PAGES + " pages");
            }
            Whole answer;
            try {
                answer = whole(uri, MAX_LISTING_PAGE_BYTES, "file listing page", what);
            } catch (HttpStatus s) {
                throw hubFailure(s, ref, Optional.empty());
            }
            parseTree(answer.body(), what, entries);
            URI current = uri;
            uri = answer.link().flatMap(l -> nextPage(l, current, endpoint)).orElse(null);
        }
        return entries;
    }

    /**
     * The next page's URL from a {@code Link} header, only when it is on the Hub's own origin (a listing never sends
     * heft elsewhere). Static and transport-free, as HubResponsesFuzzTest calls it.
     */
    static Optional<URI> nextPage(String link, URI current, URI endpoint) {
        Matcher m = NEXT_LINK.matcher(link);
        if (!m.find()) {
            return Optional.empty();
        }
        try {
            URI next = current.resolve(m.group(1));
            return Http.origin(next).equals(Http.origin(endpoint)) ? Optional.of(next) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * Adds the files of one listing page to {@code into}: a page of the shape the Hub writes in one pass
     * ({@link TreeListing}), any other through the strict JSON parser. Static and transport-free, as
     * HubResponsesFuzzTest calls it.
     */
    static void parseTree(byte[] body, String what, List<RepoEntry> into) {
        List<RepoEntry> plain = TreeListing.entries(body);
        if (plain != null) {
            for (RepoEntry e : plain) {
                add(e, what, into);
            }
            return;
        }
        parseTreeStrict(body, what, into);
    }

    /** {@link #parseTree} through the strict JSON parser alone (TreeListingTest compares the two). */
    static void parseTreeStrict(byte[] body, String what, List<RepoEntry> into) {
        JsonValue root;
        try {
            root = Json.parse(body);
        } catch (JsonException e) {
            throw new RemoteModelException(
                    Reason.BAD_ANSWER, what + ": the file listing is not valid JSON (" + e.getMessage() + ")");
        }
        if (!(root instanceof JsonValue.JsonArray array)) {
            throw new RemoteModelException(Reason.BAD_ANSWER, what + ": the file listing is not a JSON array");
        }
        for (JsonValue v : array.elements()) {
            if (!(v instanceof JsonValue.JsonObject o) || !"file".equals(o.getString("type", ""))) {
                continue;
            }
            String path = o.getString("path", "");
            long size = o.getLong("size", -1);
            Optional<JsonValue.JsonObject> lfs = o.getObject("lfs");
            if (lfs.isPresent()) {
                size = lfs.get().getLong("size", size);
            }
            if (path.isEmpty() || size < 0) {
                throw new RemoteModelException(
                        Reason.BAD_ANSWER, what + ": the file listing has an entry without " + "a path or size");
            }
            Optional<String> id = lfs.flatMap(l -> l.get("oid"))
                    .filter(x -> x instanceof JsonValue.JsonString)
                    .map(x -> "sha256:" + ((JsonValue.JsonString) x).value())
                    .or(() -> Optional.of(o.getString("oid", ""))
                            .filter(s -> !s.isEmpty())
                            .map(s -> "git:" + s));
            add(new RepoEntry(path, size, id), what, into);
        }
    }

    private static void add(RepoEntry entry, String what, List<RepoEntry> into) {
        into.add(entry);
        if (into.size() > MAX_LISTING_ENTRIES) {
            throw new RemoteModelException(
                    Reason.TOO_LARGE, what + ": the repo lists more than " + MAX_LISTING_ENTRIES + " files");
        }
    }

    /** A repo file as a {@link RemoteFile}: its resolve URL, a label path, its listed size and content hash. */
    public RemoteFile file(HubRef ref, RepoEntry entry) {
        return new RemoteFile(
                resolveUri(ref, entry.path()),
                label(ref, entry.path()),
                ref.modelString(entry.path()),
                OptionalLong.of(entry.size()),
                entry.contentId().map(id -> "hub:" + id));
    }

    /** A repo file named without a listing (its size and content unknown until the server says). */
    public RemoteFile file(HubRef ref, String path) {
        return new RemoteFile(
                resolveUri(ref, path), label(ref, path), ref.modelString(path), OptionalLong.empty(), Optional.empty());
    }

    /** A single file at any http(s) URL. */
    public static RemoteFile url(URI uri) {
        String p = uri.getPath() == null || uri.getPath().isEmpty() ? "/file" : uri.getPath();
        Path label = Path.of(uri.getHost() + p);
        return new RemoteFile(uri, label, uri.toString(), OptionalLong.empty(), Optional.empty());
    }

    /** How inventories name a repo file: {@code OWNER/NAME@REVISION/PATH}, never a path heft opens. */
    public static Path label(HubRef ref, String path) {
        return Path.of(ref.repo() + "@" + ref.revisionOrDefault().replace('/', '%'), path.split("/"));
    }

    public URI resolveUri(HubRef ref, String path) {
        StringBuilder sb = new StringBuilder(endpoint.toString())
                .append('/')
                .append(ref.repo())
                .append("/resolve/")
                .append(encodeAll(ref.revisionOrDefault()));
        for (String segment : path.split("/")) {
            sb.append('/').append(encodeAll(segment));
        }
        return URI.create(sb.toString());
    }

    /** A small file whole (a config.json, an index), at most {@code cap} bytes. */
    public byte[] small(RemoteFile file, long cap, String kind, Optional<HubRef> ref) {
        if (file.size().isPresent() && file.size().getAsLong() > cap) {
            throw new RemoteModelException(
                    Reason.TOO_LARGE,
                    file.what() + ": " + kind + " of " + file.size().getAsLong() + " bytes is larger than the " + cap
                            + " bytes heft accepts");
        }
        Optional<String> key = file.contentId().map(id -> "whole:" + id);
        if (cache.isPresent() && key.isPresent()) {
            Optional<HeaderPrefix> hit = cache.get().get(key.get(), file.size());
            if (hit.isPresent() && hit.get().bytes().length == hit.get().fileSize()) {
                return hit.get().bytes();
            }
        }
        byte[] body;
        try {
            body = whole(file.uri(), cap, kind, file.what()).body();
        } catch (HttpStatus s) {
            throw ref.isPresent() ? hubFailure(s, ref.get(), Optional.of(file)) : s.generic();
        }
        if (file.size().isPresent() && body.length != file.size().getAsLong()) {
            throw new RemoteModelException(
                    Reason.BAD_ANSWER,
                    file.what() + ": the server sent " + body.length + " bytes but the listing says "
                            + file.size().getAsLong());
        }
        if (cache.isPresent() && key.isPresent()) {
            cache.get().put(key.get(), new HeaderPrefix(body, body.length));
        }
        return body;
    }

    private record Whole(byte[] body, Optional<String> link) {}

    /** A whole (small) answer, retried when the connection drops while it is read. */
    private Whole whole(URI uri, long cap, String kind, String what) {
        return http.withRetries(deadline, () -> {
            try (Http.Answer answer = http.getOnce(uri, Http.Range.NONE, deadline, what)) {
                return new Whole(answer.readAll(cap, kind), answer.headers().firstValue("Link"));
            }
        });
    }

    /**
     * The headers of {@code files}, in order, at most {@link NetworkSettings#readsInFlight()} at a time, fewer when the
     * server answered fast so far ({@link NetworkSettings#readsInFlight(Optional, int)}; each parsed on the
     * thread that fetched it, as soon as its bytes are in), over at most {@link NetworkSettings#connections()}
     * connections per origin. When several
     * fail, the first in order is reported, so what a user sees does not depend on timing.
     */
    public List<RemoteHeader> headers(List<RemoteFile> files, Optional<HubRef> ref) {
        int n = files.size();
        AtomicInteger done = new AtomicInteger();
        if (n == 1) {
            RemoteHeader h = header(files.getFirst(), ref);
            progress.finished();
            return List.of(h);
        }
        // As many threads as reads in flight, fewer when the answers so far (listing, index) came back fast.
        int cores = Runtime.getRuntime().availableProcessors();
        int threads = Math.min(http.settings().readsInFlight(http.fastestAnswer(), cores), n);
        try (ExecutorService pool = Executors.newFixedThreadPool(threads, numberedDaemons("heft-http-"))) {
            List<Future<RemoteHeader>> futures = new ArrayList<>(n);
            for (RemoteFile f : files) {
                futures.add(pool.submit(() -> {
                    RemoteHeader h = header(f, ref);
                    progress.files(done.incrementAndGet(), n, transferredBytes());
                    return h;
                }));
            }
            List<RemoteHeader> out = new ArrayList<>(n);
            try {
                for (Future<RemoteHeader> f : futures) {
                    out.add(await(f));
                }
            } catch (RuntimeException e) {
                futures.forEach(f -> f.cancel(true));
                http.abort();
                throw e;
            }
            return out;
        } finally {
            progress.finished();
        }
    }

    /**
     * Daemon threads named {@code prefix0, prefix1, ...}. Not {@code Thread.ofPlatform().name(prefix, 0).factory()}: its
     * counter is a VarHandle, whose method-handle classes the AOT cache does not hold, so the first thread it names
     * generates six classes at run time (class+load+cause logging), a few ms of interpreted class building per run.
     */
    private static ThreadFactory numberedDaemons(String prefix) {
        AtomicInteger next = new AtomicInteger();
        return task -> {
            Thread t = new Thread(task, prefix.concat(Integer.toString(next.getAndIncrement())));
            t.setDaemon(true);
            return t;
        };
    }

    private RemoteHeader header(RemoteFile f, Optional<HubRef> ref) {
        try {
            return headers.read(f, deadline);
        } catch (HttpStatus s) {
            throw ref.isPresent() ? hubFailure(s, ref.get(), Optional.of(f)) : s.generic();
        }
    }

    private static RemoteHeader await(Future<RemoteHeader> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RemoteModelException(Reason.CONNECTION, "interrupted while fetching headers", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof HeftException h) {
                throw h;
            }
            if (c instanceof RuntimeException r) {
                throw r;
            }
            if (c instanceof Error err) {
                throw err;
            }
            throw new RemoteModelException(Reason.CONNECTION, String.valueOf(c.getMessage()), c);
        }
    }

    /** Words a Hub status for what was asked: the repo, the revision, or a file in it. */
    RemoteModelException hubFailure(HttpStatus s, HubRef ref, Optional<RemoteFile> file) {
        String repo = ref.withoutPath().modelString();
        String code = s.errorCode.orElse("");
        String page = endpoint + "/" + ref.repo();
        if (code.equals("GatedRepo") || ((s.status == 401 || s.status == 403) && !code.equals("RepoNotFound"))) {
            return new RemoteModelException(
                    Reason.UNAUTHORIZED,
                    repo + " is gated or private (HTTP " + s.status
                            + "): " + (tokenPresent ? "the token heft sent was refused; " : "no token was sent; ")
                            + "HF_TOKEN (or the token file huggingface_hub writes under HF_HOME) must hold a token of an "
                            + "account that accepted its terms at " + page);
        }
        if (s.status == 401 || s.status == 403 || code.equals("RepoNotFound")) {
            return new RemoteModelException(
                    Reason.NOT_FOUND,
                    "no repo " + ref.repo() + " on " + endpoint
                            + " (or it is private: then HF_TOKEN must hold a token with access to it)");
        }
        if (s.status == 404 && code.equals("RevisionNotFound")) {
            return new RemoteModelException(
                    Reason.NOT_FOUND,
                    repo + ": no revision '" + ref.revisionOrDefault() + "' (a branch, tag or commit) in "
                            + ref.repo());
        }
        if (s.status == 404 && file.isPresent()) {
            return new RemoteModelException(
                    Reason.NOT_FOUND,
                    file.get().what() + ": no such file in " + ref.repo() + " at revision " + ref.revisionOrDefault());
        }
        if (s.status == 404) {
            return new RemoteModelException(
                    Reason.NOT_FOUND,
                    "no repo " + ref.repo() + " (or no revision '" + ref.revisionOrDefault() + "') on " + endpoint);
        }
        return s.generic();
    }

    @Override
    public void close() {
        if (ownPool) {
            pool.close();
        }
    }

    private static URI stripSlash(URI u) {
        String s = u.toString();
        return s.endsWith("/") ? URI.create(s.substring(0, s.length() - 1)) : u;
    }

    /** Percent-encodes everything but unreserved characters ({@code quote(x, safe="")}). */
    static String encodeAll(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            // What URLEncoder keeps as it is; a name made of these alone (every shard's) needs no encoder.
            boolean kept = c >= 'a' && c <= 'z'
                    || c >= 'A' && c <= 'Z'
                    || c >= '0' && c <= '9'
                    || c == '.'
                    || c == '-'
                    || c == '*'
                    || c == '_';
            if (!kept) {
                return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
            }
        }
        return s;
    }

    private static <T> Supplier<T> memoize(Supplier<T> s) {
        return new Supplier<>() {
            private T value;
            private boolean done;

            @Override
            public synchronized T get() {
                if (!done) {
                    value = s.get();
                    done = true;
                }
                return value;
            }
        };
    }
}
