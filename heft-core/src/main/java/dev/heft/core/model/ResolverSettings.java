package dev.heft.core.model;

import dev.heft.core.hub.ConnectionPool;
import dev.heft.core.hub.NetworkSettings;
import dev.heft.core.hub.Progress;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Everything a {@link ModelResolver} needs to know about where models may come from, read from the environment once
 * ({@link #fromEnvironment}) or built by a caller; the resolver itself reads no environment variable and holds no
 * global state.
 *
 * <p>The Hugging Face variables mean what huggingface_hub makes them mean ({@code constants.py}): {@code HF_ENDPOINT}
 * (default https://huggingface.co), {@code HF_TOKEN} (else the token file at {@code HF_TOKEN_PATH}, default
 * {@code $HF_HOME/token}), {@code HF_HOME} (default {@code $XDG_CACHE_HOME/huggingface} or
 * {@code ~/.cache/huggingface}), {@code HF_HUB_CACHE} (default {@code $HF_HOME/hub}; the older
 * {@code HUGGINGFACE_HUB_CACHE} is honoured too), {@code HF_HUB_OFFLINE} (1/ON/YES/TRUE: never open a connection).
 * Ollama's store is {@code $OLLAMA_MODELS} (default {@code ~/.ollama/models}). heft's own cache folder is
 * {@code $HEFT_CACHE_DIR} (default {@code $XDG_CACHE_HOME/heft} or {@code ~/.cache/heft}); fetched headers are kept there
 * only when {@code HEFT_HEADER_CACHE} is true.
 *
 * @param access          what a MODEL argument may name
 * @param hubEndpoint     the Hub's base URL; the token is sent to its origin only
 * @param token           a token given directly ({@code HF_TOKEN})
 * @param tokenFile       the token file read when there is no direct token (only when a request needs it)
 * @param hubCache        the HF hub cache ({@code models--OWNER--NAME/{refs,snapshots,blobs}})
 * @param offline         never open a connection (cached repos still resolve)
 * @param ollamaModels    Ollama's model store ({@code manifests/}, {@code blobs/})
 * @param lmStudioFolders LM Studio's model folders, listed by {@code heft models}
 * @param heftCache       heft's own cache folder
 * @param headerCache     keep fetched headers under {@code heftCache/headers}
 * @param network         timeouts, concurrency, retries
 * @param connections     HTTP connections to share (a long-running server's), or empty for a pool per resolve
 * @param progress        told how header fetches go (a terminal's progress line)
 */
public record ResolverSettings(
        Access access,
        URI hubEndpoint,
        Optional<String> token,
        Optional<Path> tokenFile,
        Path hubCache,
        boolean offline,
        Path ollamaModels,
        List<Path> lmStudioFolders,
        Path heftCache,
        boolean headerCache,
        NetworkSettings network,
        Optional<ConnectionPool> connections,
        Progress progress) {

    public static final URI DEFAULT_ENDPOINT = URI.create("https://huggingface.co");

    /**
     * What a MODEL argument may name. The CLI allows everything; the web server allows catalog ids and inline
     * configs, plus Hub repos only when started with {@code --allow-hub}, and never a path or an arbitrary URL: a
     * request must not make the server open its own files or fetch from hosts of the requester's choosing.
     *
     * @param paths files, folders, and the local stores (HF cache, Ollama) they lead to
     * @param hub   Hugging Face Hub repos ({@code hf://}, bare {@code OWNER/NAME})
     * @param urls  {@code https://} and {@code http://} URLs of single files
     */
    public record Access(boolean paths, boolean hub, boolean urls) {
        public static Access everything() {
            return new Access(true, true, true);
        }

        /** Catalog ids only, plus the Hub when {@code hub}. */
        public static Access server(boolean hub) {
            return new Access(false, hub, false);
        }
    }

    public ResolverSettings {
        lmStudioFolders = List.copyOf(lmStudioFolders);
    }

    /** Settings from the current process's environment and home folder. */
    public static ResolverSettings fromEnvironment() {
        return fromEnvironment(System.getenv(), Path.of(System.getProperty("user.home", ".")));
    }

    /** Settings from {@code env} (variable name to value) and {@code home}: the one place that reads them. */
    public static ResolverSettings fromEnvironment(Map<String, String> env, Path home) {
        Path xdgCache = get(env, "XDG_CACHE_HOME").map(Path::of).orElse(home.resolve(".cache"));
        Path hfHome = get(env, "HF_HOME").map(Path::of).orElse(xdgCache.resolve("huggingface"));
        Path hubCache = get(env, "HF_HUB_CACHE")
                .or(() -> get(env, "HUGGINGFACE_HUB_CACHE"))
                .map(Path::of)
                .orElse(hfHome.resolve("hub"));
        URI endpoint = get(env, "HF_ENDPOINT").map(URI::create).orElse(DEFAULT_ENDPOINT);
        Optional<String> token = get(env, "HF_TOKEN").or(() -> get(env, "HUGGING_FACE_HUB_TOKEN"));
        Path tokenFile = get(env, "HF_TOKEN_PATH").map(Path::of).orElse(hfHome.resolve("token"));
        Path ollama = get(env, "OLLAMA_MODELS")
                .map(Path::of)
                .orElse(home.resolve(".ollama").resolve("models"));
        List<Path> lmStudio = List.of(
                home.resolve(".lmstudio").resolve("models"),
                home.resolve(".cache").resolve("lm-studio").resolve("models"));
        Path heftCache = get(env, "HEFT_CACHE_DIR").map(Path::of).orElse(xdgCache.resolve("heft"));
        return new ResolverSettings(
                Access.everything(),
                endpoint,
                token,
                Optional.of(tokenFile),
                hubCache,
                truthy(env, "HF_HUB_OFFLINE"),
                ollama,
                lmStudio,
                heftCache,
                truthy(env, "HEFT_HEADER_CACHE"),
                NetworkSettings.defaults(),
                Optional.empty(),
                Progress.NONE);
    }

    /** Settings with every store under {@code root} and no network (tests, and callers that want only local models). */
    public static ResolverSettings offlineUnder(Path root) {
        return fromEnvironment(Map.of("HF_HUB_OFFLINE", "1"), root);
    }

    public ResolverSettings withAccess(Access a) {
        return new ResolverSettings(
                a,
                hubEndpoint,
                token,
                tokenFile,
                hubCache,
                offline,
                ollamaModels,
                lmStudioFolders,
                heftCache,
                headerCache,
                network,
                connections,
                progress);
    }

    public ResolverSettings withHub(URI endpoint, Optional<String> directToken) {
        return new ResolverSettings(
                access,
                endpoint,
                directToken,
                tokenFile,
                hubCache,
                offline,
                ollamaModels,
                lmStudioFolders,
                heftCache,
                headerCache,
                network,
                connections,
                progress);
    }

    public ResolverSettings withOffline(boolean off) {
        return new ResolverSettings(
                access,
                hubEndpoint,
                token,
                tokenFile,
                hubCache,
                off,
                ollamaModels,
                lmStudioFolders,
                heftCache,
                headerCache,
                network,
                connections,
                progress);
    }

    public ResolverSettings withNetwork(NetworkSettings n) {
        return new ResolverSettings(
                access,
                hubEndpoint,
                token,
                tokenFile,
                hubCache,
                offline,
                ollamaModels,
                lmStudioFolders,
                heftCache,
                headerCache,
                n,
                connections,
                progress);
    }

    public ResolverSettings withConnections(ConnectionPool pool) {
        return new ResolverSettings(
                access,
                hubEndpoint,
                token,
                tokenFile,
                hubCache,
                offline,
                ollamaModels,
                lmStudioFolders,
                heftCache,
                headerCache,
                network,
                Optional.of(pool),
                progress);
    }

    public ResolverSettings withProgress(Progress p) {
        return new ResolverSettings(
                access,
                hubEndpoint,
                token,
                tokenFile,
                hubCache,
                offline,
                ollamaModels,
                lmStudioFolders,
                heftCache,
                headerCache,
                network,
                connections,
                p);
    }

    public ResolverSettings withHeaderCache(boolean on) {
        return new ResolverSettings(
                access,
                hubEndpoint,
                token,
                tokenFile,
                hubCache,
                offline,
                ollamaModels,
                lmStudioFolders,
                heftCache,
                on,
                network,
                connections,
                progress);
    }

    public ResolverSettings withStores(Path hfHubCache, Path ollama, List<Path> lmStudio) {
        return new ResolverSettings(
                access,
                hubEndpoint,
                token,
                tokenFile,
                hfHubCache,
                offline,
                ollama,
                lmStudio,
                heftCache,
                headerCache,
                network,
                connections,
                progress);
    }

    public ResolverSettings withHeftCache(Path folder) {
        return new ResolverSettings(
                access,
                hubEndpoint,
                token,
                tokenFile,
                hubCache,
                offline,
                ollamaModels,
                lmStudioFolders,
                folder,
                headerCache,
                network,
                connections,
                progress);
    }

    /** Where fetched headers are kept when {@link #headerCache()} is on. */
    public Path headerCacheFolder() {
        return heftCache.resolve("headers");
    }

    /** The token to send to the Hub: {@link #token()}, else the token file's first line (empty when neither). */
    public Optional<String> resolveToken() {
        if (token.isPresent()) {
            return token;
        }
        if (tokenFile.isEmpty()) {
            return Optional.empty();
        }
        try {
            Path f = tokenFile.get();
            if (!java.nio.file.Files.isRegularFile(f) || java.nio.file.Files.size(f) > 4096) {
                return Optional.empty();
            }
            String t = java.nio.file.Files.readString(f).strip();
            return t.isEmpty() || t.chars().anyMatch(c -> c < 0x21 || c > 0x7e) ? Optional.empty() : Optional.of(t);
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> get(Map<String, String> env, String key) {
        String v = env.get(key);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.strip());
    }

    private static boolean truthy(Map<String, String> env, String key) {
        return get(env, key)
                .map(v -> Set.of("1", "ON", "YES", "TRUE").contains(v.toUpperCase(Locale.ROOT)))
                .orElse(false);
    }
}
