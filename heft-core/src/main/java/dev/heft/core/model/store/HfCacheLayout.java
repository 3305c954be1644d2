package dev.heft.core.model.store;

import dev.heft.core.hub.HubRef;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The Hugging Face hub cache as huggingface_hub writes it ({@code file_download.py}, {@code _cache_manager.py}):
 * <pre>
 *   $HF_HUB_CACHE/models--OWNER--NAME/
 *       refs/main                      the commit a revision points at (a branch or tag name; refs/pr/1 nests)
 *       snapshots/&lt;commit&gt;/&lt;path&gt;   the repo's files at that commit, symlinks into blobs/ (copies on Windows)
 *       blobs/&lt;etag&gt;                   the contents
 * </pre>
 * Read without any network: a repo found here is inspected from disk.
 */
public final class HfCacheLayout {
    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");
    private static final String PREFIX = "models--";
    /** A ref file holds a 40-character hash; anything much larger is not one. */
    private static final long MAX_REF_BYTES = 1024;

    private HfCacheLayout() {}

    /** {@code models--OWNER--NAME}, huggingface_hub's {@code repo_folder_name} for a model repo. */
    public static String folderName(HubRef ref) {
        return PREFIX + ref.owner() + "--" + ref.name();
    }

    /** The commit a revision points at in the cache: the revision itself when it is a commit hash, else its ref. */
    public static Optional<String> commit(Path hubCache, HubRef ref) throws IOException {
        String rev = ref.revisionOrDefault();
        if (COMMIT.matcher(rev).matches()) {
            return Optional.of(rev);
        }
        Path refs = hubCache.resolve(folderName(ref)).resolve("refs");
        Path refFile = refs.resolve(rev).normalize();
        if (!refFile.startsWith(refs) || !Files.isRegularFile(refFile) || Files.size(refFile) > MAX_REF_BYTES) {
            return Optional.empty();
        }
        String commit = Files.readString(refFile).strip();
        return COMMIT.matcher(commit).matches() ? Optional.of(commit) : Optional.empty();
    }

    /** The snapshot folder of {@code ref}'s revision, when the cache has one. */
    public static Optional<Path> snapshot(Path hubCache, HubRef ref) throws IOException {
        Optional<String> commit = commit(hubCache, ref);
        if (commit.isEmpty()) {
            return Optional.empty();
        }
        Path snap = hubCache.resolve(folderName(ref)).resolve("snapshots").resolve(commit.get());
        return Files.isDirectory(snap) ? Optional.of(snap) : Optional.empty();
    }

    /** One cached revision of a repo. */
    public record CachedRevision(String repo, String commit, List<String> refs, Path snapshot) {
        public CachedRevision {
            refs = List.copyOf(refs);
        }
    }

    /** Every snapshot of every model repo in the cache, repos in name order, with the refs that point at each. */
    public static List<CachedRevision> list(Path hubCache) throws IOException {
        List<CachedRevision> out = new ArrayList<>();
        if (!Files.isDirectory(hubCache)) {
            return out;
        }
        List<Path> repos = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(hubCache, PREFIX + "*")) {
            ds.forEach(repos::add);
        }
        repos.sort(null);
        for (Path repoDir : repos) {
            String repo =
                    repoDir.getFileName().toString().substring(PREFIX.length()).replace("--", "/");
            Map<String, List<String>> refsByCommit = refs(repoDir.resolve("refs"));
            Path snapshots = repoDir.resolve("snapshots");
            if (!Files.isDirectory(snapshots)) {
                continue;
            }
            List<Path> snaps = new ArrayList<>();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(snapshots)) {
                ds.forEach(snaps::add);
            }
            snaps.sort(null);
            for (Path snap : snaps) {
                String commit = snap.getFileName().toString();
                if (Files.isDirectory(snap)) {
                    out.add(new CachedRevision(repo, commit, refsByCommit.getOrDefault(commit, List.of()), snap));
                }
            }
        }
        return out;
    }

    /** Ref name (relative to refs/, '/'-separated) per commit they point at. */
    private static Map<String, List<String>> refs(Path refsDir) throws IOException {
        Map<String, List<String>> out = new TreeMap<>();
        if (!Files.isDirectory(refsDir)) {
            return out;
        }
        try (Stream<Path> walk = Files.walk(refsDir, 4)) {
            for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
                if (Files.size(p) > MAX_REF_BYTES) {
                    continue;
                }
                String commit = Files.readString(p).strip();
                if (COMMIT.matcher(commit).matches()) {
                    String name = refsDir.relativize(p).toString().replace('\\', '/');
                    out.computeIfAbsent(commit, k -> new ArrayList<>()).add(name);
                }
            }
        }
        return out;
    }
}
