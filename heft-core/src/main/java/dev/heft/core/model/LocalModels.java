package dev.heft.core.model;

import dev.heft.core.error.HeftException;
import dev.heft.core.hub.HubRef;
import dev.heft.core.model.ModelChoice.WeightSet;
import dev.heft.core.model.store.HfCacheLayout;
import dev.heft.core.model.store.OllamaStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The models on this machine ({@code heft models}): every revision in the HF hub cache, every model in the Ollama
 * store, every model folder under LM Studio's folders, each read header-only from disk with no network (the resolver
 * runs offline). A model that cannot be read is a row with its error, never a failure of the listing.
 */
public final class LocalModels {
    private LocalModels() {}

    /** Where a row's model lives. */
    public enum Source {
        HF_CACHE("hf-cache"),
        OLLAMA("ollama"),
        LM_STUDIO("lmstudio");

        private final String jsonName;

        Source(String jsonName) {
            this.jsonName = jsonName;
        }

        public String jsonName() {
            return jsonName;
        }
    }

    /**
     * One model.
     *
     * @param id         {@code OWNER/NAME} (HF cache, with {@code @ref} for a revision other than main), {@code NAME:TAG}
     *                   (Ollama), {@code PUBLISHER/NAME} (LM Studio)
     * @param model      the MODEL string that names it for every command
     * @param path       where its weights are on disk
     * @param format     the weights' format, or {@code config} for a cached config.json alone; empty on error
     * @param parameters its parameters; empty on error
     * @param bytes      bytes on disk of its files (blobs counted once)
     * @param error      why it could not be read
     */
    public record Row(
            Source source,
            String id,
            String model,
            Path path,
            Optional<String> format,
            OptionalLong parameters,
            long bytes,
            Optional<String> error) {}

    /** Every model in the stores {@code settings} names, in store order then name order. */
    public static List<Row> list(ResolverSettings settings) throws IOException {
        ModelResolver resolver = new ModelResolver(
                settings.withOffline(true).withAccess(new ResolverSettings.Access(true, true, false)));
        List<Row> rows = new ArrayList<>();
        hfCache(settings, resolver, rows);
        ollama(settings, resolver, rows);
        for (Path folder : settings.lmStudioFolders()) {
            lmStudio(folder, resolver, rows);
        }
        return rows;
    }

    private static void hfCache(ResolverSettings settings, ModelResolver resolver, List<Row> rows) throws IOException {
        for (HfCacheLayout.CachedRevision rev : HfCacheLayout.list(settings.hubCache())) {
            String refName = rev.refs().contains(HubRef.DEFAULT_REVISION)
                    ? HubRef.DEFAULT_REVISION
                    : rev.refs().isEmpty() ? rev.commit() : rev.refs().getFirst();
            String id = refName.equals(HubRef.DEFAULT_REVISION) ? rev.repo() : rev.repo() + "@" + refName;
            String model = modelString(rev.repo(), refName);
            List<ModelChoice.Listed> listing = LocalWeights.list(rev.snapshot(), true);
            ModelChoice.Choice choice = ModelChoice.choose(listing, p -> true);
            if (choice instanceof ModelChoice.Several several) {
                for (WeightSet set : several.sets()) {
                    Path file = rev.snapshot().resolve(set.pick());
                    rows.add(row(
                            Source.HF_CACHE,
                            id + "/" + set.pick(),
                            model + "/" + set.pick(),
                            file,
                            setBytes(rev.snapshot(), set, listing),
                            resolver));
                }
            } else {
                rows.add(row(Source.HF_CACHE, id, model, rev.snapshot(), bytes(listing), resolver));
            }
        }
    }

    private static void ollama(ResolverSettings settings, ModelResolver resolver, List<Row> rows) throws IOException {
        for (OllamaStore.Name name : OllamaStore.list(settings.ollamaModels())) {
            Path manifest = settings.ollamaModels()
                    .resolve("manifests")
                    .resolve(name.host())
                    .resolve(name.namespace())
                    .resolve(name.model())
                    .resolve(name.tag());
            long bytes = OllamaStore.allLayerBytes(manifest);
            Path path;
            try {
                path = OllamaStore.read(settings.ollamaModels(), name).model().blob();
            } catch (HeftException e) {
                path = manifest;
            }
            Row r = row(Source.OLLAMA, name.display(), name.modelString(), path, Math.max(bytes, 0), resolver);
            rows.add(r);
        }
    }

    private static void lmStudio(Path root, ModelResolver resolver, List<Row> rows) throws IOException {
        if (!Files.isDirectory(root)) {
            return;
        }
        for (Path publisher : sortedDirs(root)) {
            for (Path repo : sortedDirs(publisher)) {
                String id = publisher.getFileName() + "/" + repo.getFileName();
                List<ModelChoice.Listed> listing = LocalWeights.list(repo, true);
                ModelChoice.Choice choice = ModelChoice.choose(listing, p -> true);
                if (choice instanceof ModelChoice.Several several) {
                    for (WeightSet set : several.sets()) {
                        Path file = repo.resolve(set.pick());
                        rows.add(row(
                                Source.LM_STUDIO,
                                id + "/" + set.pick(),
                                file.toString(),
                                file,
                                setBytes(repo, set, listing),
                                resolver));
                    }
                } else if (!(choice instanceof ModelChoice.Nothing)) {
                    rows.add(row(Source.LM_STUDIO, id, repo.toString(), repo, bytes(listing), resolver));
                }
            }
        }
    }

    /** Reads one model through the resolver (offline, by its path); a failure becomes the row's error. */
    private static Row row(Source source, String id, String model, Path path, long bytes, ModelResolver resolver) {
        try {
            ResolvedModel m = resolver.resolve(path.toString());
            return switch (m) {
                case ResolvedModel.Stored s ->
                    new Row(
                            source,
                            id,
                            model,
                            path,
                            Optional.of(s.inventory().format().displayName()),
                            OptionalLong.of(s.inventory().parameters()),
                            bytes,
                            Optional.empty());
                case ResolvedModel.Described d ->
                    new Row(
                            source,
                            id,
                            model,
                            path,
                            Optional.of("config"),
                            OptionalLong.of(d.architecture().counts().parameters()),
                            bytes,
                            Optional.empty());
                case ResolvedModel.Network n ->
                    new Row(
                            source,
                            id,
                            model,
                            path,
                            Optional.of("layer spec"),
                            OptionalLong.of(n.counts().apply(n.defaultInput()).parameters()),
                            bytes,
                            Optional.empty());
            };
        } catch (HeftException | IOException | UncheckedIOException e) {
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return new Row(
                    source, id, model, path, Optional.empty(), OptionalLong.empty(), bytes, Optional.of(message));
        }
    }

    private static long bytes(List<ModelChoice.Listed> listing) {
        return listing.stream().mapToLong(ModelChoice.Listed::size).sum();
    }

    /** Bytes of one candidate's files (a GGUF's parts; otherwise its named file). */
    private static long setBytes(Path folder, WeightSet set, List<ModelChoice.Listed> listing) {
        Set<String> files = new HashSet<>(
                switch (set) {
                    case WeightSet.Gguf g -> g.parts();
                    case WeightSet.SafetensorsLoose l -> l.files();
                    default -> List.of(set.pick());
                });
        return listing.stream()
                .filter(l -> files.contains(l.path()))
                .mapToLong(ModelChoice.Listed::size)
                .sum();
    }

    private static String modelString(String repo, String refName) {
        if (!repo.contains("/")) {
            return "hf://" + repo; // a legacy single-name id; the Hub redirects these
        }
        String base = HubRef.SCHEME + repo;
        return refName.equals(HubRef.DEFAULT_REVISION) ? base : base + "@" + refName.replace("/", "%2F");
    }

    private static List<Path> sortedDirs(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                if (Files.isDirectory(p) && !p.getFileName().toString().startsWith(".")) {
                    out.add(p);
                }
            }
        }
        out.sort(null);
        return out;
    }
}
