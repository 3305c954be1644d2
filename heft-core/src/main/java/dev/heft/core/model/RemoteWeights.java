package dev.heft.core.model;

import dev.heft.core.error.CorruptModelException;
import dev.heft.core.error.RemoteModelException;
import dev.heft.core.error.UnsupportedModelException;
import dev.heft.core.format.ConfigJson;
import dev.heft.core.format.gguf.GgufFile;
import dev.heft.core.format.gguf.GgufReader;
import dev.heft.core.format.pytorch.PyTorchShards;
import dev.heft.core.format.safetensors.IndexColumns;
import dev.heft.core.format.safetensors.SafetensorsHeader;
import dev.heft.core.format.safetensors.SafetensorsReader;
import dev.heft.core.format.safetensors.ShardIndex;
import dev.heft.core.hub.HubClient;
import dev.heft.core.hub.HubRef;
import dev.heft.core.hub.RemoteFile;
import dev.heft.core.hub.RemoteHeader;
import dev.heft.core.hub.RepoEntry;
import dev.heft.core.json.JsonValue.JsonObject;
import dev.heft.core.model.ModelChoice.WeightSet;
import dev.heft.core.tensor.TensorInventory;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads models behind URLs from their header bytes: a Hub repo (its listing, then the files {@link ModelChoice} picks,
 * as for a local folder) or one https:// file. The bytes go through the same parsers and the same index and split
 * checks as local files; only how they arrive differs.
 */
final class RemoteWeights {
    static final String NOTE = "read over HTTP from header bytes only: no tensor data was downloaded";
    static final String PYTORCH_NOTE = "PyTorch zip read over HTTP from its end (central directory) and data.pkl only: "
            + "tensor offsets are -1 (unknown), as the storages' own zip headers were not fetched";
    private static final Pattern GGUF_SPLIT = Pattern.compile("(.+)-(\\d{5})-of-(\\d{5})\\.gguf");

    private RemoteWeights() {}

    /** The model in a Hub repo (or the file or folder {@code ref.path()} names in it). */
    static ResolvedModel repo(HubClient client, HubRef ref, String label, List<String> notes) {
        List<RepoEntry> tree = client.tree(ref);
        Map<String, RepoEntry> byPath = new LinkedHashMap<>();
        tree.forEach(e -> byPath.put(e.path(), e));
        String base = ref.path().orElse("");
        ModelChoice.Choice choice;
        if (!base.isEmpty() && byPath.containsKey(base)) {
            choice = new ModelChoice.One(namedFile(base, byPath), List.of());
        } else {
            String prefix = base.isEmpty() ? "" : base + "/";
            List<ModelChoice.Listed> listing = new ArrayList<>();
            for (RepoEntry e : tree) {
                if (e.path().startsWith(prefix)) {
                    listing.add(new ModelChoice.Listed(e.path().substring(prefix.length()), e.size()));
                }
            }
            if (!base.isEmpty() && listing.isEmpty()) {
                throw new RemoteModelException(
                        RemoteModelException.Reason.NOT_FOUND,
                        ref.modelString() + ": no file " + "or folder '" + base + "' in " + ref.repo() + " at revision "
                                + ref.revisionOrDefault());
            }
            ModelChoice.Choice inFolder = ModelChoice.choose(listing, name -> true);
            choice = rebase(inFolder, prefix);
        }
        HubRef repo = ref.withoutPath();
        // instanceof tests rather than a pattern switch, as in LocalWeights: each pattern switch spins a class at its
        // first run (SwitchBootstraps) that the AOT cache does not keep, and every hf:// command ran two of them.
        // ModelChoice.Choice is sealed; the last case is Nothing.
        if (choice instanceof ModelChoice.One one) {
            List<String> all = new ArrayList<>(notes);
            all.addAll(one.notes());
            all.add(NOTE);
            return new ResolvedModel.Stored(
                    label, read(client, repo, one.set(), byPath).withNotes(all));
        }
        if (choice instanceof ModelChoice.ConfigOnly c) {
            String path = base.isEmpty() ? c.config() : base + "/" + c.config();
            JsonObject config = config(client, repo, byPath.get(path));
            return ResolvedModel.Described.of(label, config, repo.modelString(path));
        }
        if (choice instanceof ModelChoice.Several s) {
            throw LocalWeights.several(ref.modelString(), s.sets(), repo::modelString);
        }
        throw new UnsupportedModelException(
                HubClient.label(repo, base),
                0L,
                "no model weights and no config.json in " + ref.modelString() + " (looked for "
                        + WeightFileKind.lookedFor() + ")");
    }

    /** One https:// file (every part of it, when its name says it is part of a split GGUF). */
    static TensorInventory url(HubClient client, URI uri) {
        RemoteFile file = HubClient.url(uri);
        String name = file.label().getFileName().toString();
        Matcher m = GGUF_SPLIT.matcher(name);
        List<RemoteFile> files = new ArrayList<>();
        if (m.matches() && Integer.parseInt(m.group(3)) > 1 && Integer.parseInt(m.group(3)) <= 999) {
            int count = Integer.parseInt(m.group(3));
            String dir = uri.toString().substring(0, uri.toString().lastIndexOf('/') + 1);
            for (int i = 1; i <= count; i++) {
                files.add(HubClient.url(URI.create(dir + String.format("%s-%05d-of-%05d.gguf", m.group(1), i, count))));
            }
        } else {
            files.add(file);
        }
        return LocalWeights.checked(
                assemble(client.headers(files, Optional.empty()), Optional.empty())
                        .withNotes(List.of(NOTE)),
                false);
    }

    /** A file named in the repo: a set of its own (a split GGUF part brings its siblings). */
    private static WeightSet namedFile(String path, Map<String, RepoEntry> byPath) {
        WeightFileKind kind = WeightFileKind.of(path).orElse(null);
        if (kind == WeightFileKind.SAFETENSORS_INDEX) {
            return new WeightSet.SafetensorsIndexed(path);
        }
        if (kind == WeightFileKind.SAFETENSORS) {
            return new WeightSet.SafetensorsSingle(path);
        }
        if (kind == WeightFileKind.PYTORCH_INDEX) {
            return new WeightSet.PyTorchIndexed(path);
        }
        if (kind == WeightFileKind.GGUF) {
            Matcher m = GGUF_SPLIT.matcher(WeightFileKind.baseName(path));
            if (m.matches()) {
                String folder = ModelChoice.parent(path);
                int count = Integer.parseInt(m.group(3));
                List<String> parts = new ArrayList<>();
                for (int i = 1; i <= count && count <= 99_999; i++) {
                    String part = (folder.isEmpty() ? "" : folder + "/")
                            + String.format("%s-%05d-of-%05d.gguf", m.group(1), i, count);
                    if (byPath.containsKey(part)) {
                        parts.add(part);
                    }
                }
                return new WeightSet.Gguf(parts.isEmpty() ? List.of(path) : parts);
            }
            return new WeightSet.Gguf(List.of(path));
        }
        return new WeightSet.Single(path, kind == null ? WeightFileKind.PYTORCH : kind);
    }

    private static TensorInventory read(HubClient client, HubRef repo, WeightSet set, Map<String, RepoEntry> byPath) {
        if (!set.kind().readsRemotely()) {
            throw new UnsupportedModelException(
                    HubClient.label(repo, set.pick()),
                    0L,
                    "a " + set.kind().displayName()
                            + " file: over HTTP heft reads safetensors, GGUF and zip-format PyTorch files only (other "
                            + "formats need most of the file); download the repo (hf download " + repo.repo()
                            + ") and inspect the folder");
        }
        String folder = set.folder();
        Optional<RepoEntry> configEntry = Optional.ofNullable(
                        byPath.get((folder.isEmpty() ? "" : folder + "/") + ConfigJson.NAME))
                .or(() -> Optional.ofNullable(byPath.get(ConfigJson.NAME)));
        // The config (a few KiB) comes in while the weights' headers are fetched.
        CompletableFuture<Optional<JsonObject>> config =
                CompletableFuture.supplyAsync(() -> configEntry.map(e -> config(client, repo, e)));
        TensorInventory inv = readSet(client, repo, set, byPath);
        Optional<JsonObject> cfg = join(config);
        return LocalWeights.checked(cfg.isPresent() && inv.config().isEmpty() ? inv.withConfig(cfg.get()) : inv, false);
    }

    /** The set's headers, read and assembled; instanceof tests rather than a pattern switch, as in {@link #repo}. */
    private static TensorInventory readSet(
            HubClient client, HubRef repo, WeightSet set, Map<String, RepoEntry> byPath) {
        if (set instanceof WeightSet.SafetensorsIndexed i) {
            return indexed(client, repo, i.index(), byPath);
        }
        if (set instanceof WeightSet.PyTorchIndexed p) {
            return pytorchIndexed(client, repo, p.index(), byPath);
        }
        List<String> paths;
        if (set instanceof WeightSet.SafetensorsSingle s) {
            paths = List.of(s.file());
        } else if (set instanceof WeightSet.SafetensorsLoose l) {
            paths = l.files();
        } else if (set instanceof WeightSet.Gguf g) {
            paths = g.parts();
        } else if (set instanceof WeightSet.Single s && s.kind() == WeightFileKind.PYTORCH) {
            paths = List.of(s.file());
        } else {
            throw new IllegalStateException("not remotely readable: " + set);
        }
        return assemble(client.headers(files(client, repo, paths, byPath), Optional.of(repo)), Optional.empty());
    }

    private static TensorInventory indexed(
            HubClient client, HubRef repo, String indexPath, Map<String, RepoEntry> byPath) {
        RemoteFile indexFile = client.file(repo, byPath.get(indexPath));
        // The index in columns, as a local one is read (IndexColumns): a 92k-tensor index as a map of strings, looked
        // up per stored tensor, cost more than the rest of a remote DeepSeek-V3 inspect's own work (RESULTS-hub.md).
        IndexColumns index = IndexColumns.parse(
                indexFile.label(), client.small(indexFile, ShardIndex.MAX_INDEX_BYTES, "index", Optional.of(repo)));
        String folder = ModelChoice.parent(indexPath);
        long[] least = ShardHeaderBound.of(index);
        List<RemoteFile> files = new ArrayList<>();
        for (int s = 0; s < index.shards().size(); s++) {
            String name = index.shards().get(s);
            String path = folder.isEmpty() ? name : folder + "/" + name;
            if (!byPath.containsKey(path)) {
                throw new CorruptModelException(
                        indexFile.label(),
                        index.firstTensorOf(s),
                        "weight_map names shard '" + name + "', which is not in " + repo.modelString());
            }
            files.add(client.file(repo, byPath.get(path)).withHeaderAtLeast(least[s]));
        }
        return assemble(client.headers(files, Optional.of(repo)), Optional.of(index));
    }

    /**
     * A sharded PyTorch checkpoint: the index (the same shape as safetensors', read by {@link ShardIndex}), then each
     * shard's zip end and pickle, assembled with the checks {@link PyTorchShards} makes of local shards.
     */
    private static TensorInventory pytorchIndexed(
            HubClient client, HubRef repo, String indexPath, Map<String, RepoEntry> byPath) {
        RemoteFile indexFile = client.file(repo, byPath.get(indexPath));
        ShardIndex index = ShardIndex.parse(
                indexFile.label(), client.small(indexFile, ShardIndex.MAX_INDEX_BYTES, "index", Optional.of(repo)));
        String folder = ModelChoice.parent(indexPath);
        List<RemoteFile> files = new ArrayList<>();
        for (String name : index.shardNames()) {
            String path = folder.isEmpty() ? name : folder + "/" + name;
            if (!byPath.containsKey(path)) {
                throw new CorruptModelException(
                        indexFile.label(),
                        "weight_map",
                        "shard '" + name + "' named by the index is not in " + repo.modelString());
            }
            files.add(client.file(repo, byPath.get(path)));
        }
        List<TensorInventory> parts = new ArrayList<>();
        for (RemoteHeader h : client.headers(files, Optional.of(repo))) {
            if (!(h instanceof RemoteHeader.PyTorch p)) {
                throw new UnsupportedModelException(
                        indexFile.label(), 0L, "a shard of a PyTorch index is not a zip-format PyTorch checkpoint");
            }
            parts.add(p.checkpoint().toInventory());
        }
        return PyTorchShards.fromParts(indexFile.label(), index, parts).withNotes(List.of(PYTORCH_NOTE));
    }

    /** One model from fetched headers, with the same checks as files (an index against its shards, split parts). */
    private static TensorInventory assemble(List<RemoteHeader> headers, Optional<IndexColumns> index) {
        if (headers.getFirst() instanceof RemoteHeader.PyTorch p) {
            if (headers.size() != 1) {
                throw new IllegalStateException("several PyTorch files without an index");
            }
            return p.checkpoint().toInventory().withNotes(List.of(PYTORCH_NOTE));
        }
        if (headers.getFirst() instanceof RemoteHeader.Gguf) {
            List<GgufFile> parts = new ArrayList<>();
            for (RemoteHeader h : headers) {
                if (!(h instanceof RemoteHeader.Gguf g)) {
                    throw new IllegalStateException("mixed formats in one set");
                }
                parts.add(g.file());
            }
            return GgufReader.fromHeaders(parts);
        }
        List<SafetensorsHeader> parts = new ArrayList<>();
        for (RemoteHeader h : headers) {
            if (!(h instanceof RemoteHeader.Safetensors s)) {
                throw new UnsupportedModelException(
                        h instanceof RemoteHeader.Gguf g
                                ? g.file().path()
                                : ((RemoteHeader.PyTorch) h).checkpoint().file(),
                        0L,
                        "a GGUF or PyTorch file among safetensors shards");
            }
            parts.add(s.header());
        }
        return index.isPresent()
                ? SafetensorsReader.fromIndex(index.get(), parts)
                : SafetensorsReader.fromHeaders(parts);
    }

    private static List<RemoteFile> files(
            HubClient client, HubRef repo, List<String> paths, Map<String, RepoEntry> byPath) {
        return paths.stream().map(p -> client.file(repo, byPath.get(p))).toList();
    }

    private static JsonObject config(HubClient client, HubRef repo, RepoEntry entry) {
        RemoteFile file = client.file(repo, entry);
        ConfigJson.checkSize(file.label(), entry.size());
        return ConfigJson.parse(
                file.label(), client.small(file, ConfigJson.MAX_BYTES, "config.json", Optional.of(repo)));
    }

    /** A choice made inside a folder, with its paths made relative to the repo again. */
    private static ModelChoice.Choice rebase(ModelChoice.Choice c, String prefix) {
        if (prefix.isEmpty()) {
            return c;
        }
        return switch (c) {
            case ModelChoice.One one -> new ModelChoice.One(rebase(one.set(), prefix), one.notes());
            case ModelChoice.Several s ->
                new ModelChoice.Several(
                        s.sets().stream().map(x -> rebase(x, prefix)).toList());
            case ModelChoice.ConfigOnly k -> k;
            case ModelChoice.Nothing n -> n;
        };
    }

    private static WeightSet rebase(WeightSet s, String prefix) {
        return switch (s) {
            case WeightSet.SafetensorsSingle x -> new WeightSet.SafetensorsSingle(prefix + x.file());
            case WeightSet.SafetensorsIndexed x -> new WeightSet.SafetensorsIndexed(prefix + x.index());
            case WeightSet.SafetensorsLoose x ->
                new WeightSet.SafetensorsLoose(
                        x.files().stream().map(f -> prefix + f).toList());
            case WeightSet.Gguf x ->
                new WeightSet.Gguf(x.parts().stream().map(f -> prefix + f).toList());
            case WeightSet.PyTorchIndexed x -> new WeightSet.PyTorchIndexed(prefix + x.index());
            case WeightSet.Single x -> new WeightSet.Single(prefix + x.file(), x.kind());
        };
    }

    private static <T> T join(CompletableFuture<T> f) {
        try {
            return f.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }
}
