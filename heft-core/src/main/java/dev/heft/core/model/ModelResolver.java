package dev.heft.core.model;

import dev.heft.core.arch.catalog.CatalogEntry;
import dev.heft.core.arch.catalog.LlmCatalog;
import dev.heft.core.arch.torch.LayerSpec;
import dev.heft.core.arch.vision.VisionCatalog;
import dev.heft.core.arch.vision.VisionModel;
import dev.heft.core.error.InvalidInputException;
import dev.heft.core.error.RemoteModelException;
import dev.heft.core.error.Suggestions;
import dev.heft.core.format.Formats;
import dev.heft.core.hub.HeaderCache;
import dev.heft.core.hub.HubClient;
import dev.heft.core.hub.HubRef;
import dev.heft.core.model.store.HfCacheLayout;
import dev.heft.core.model.store.OllamaStore;
import dev.heft.core.tensor.ModelFormat;
import dev.heft.core.tensor.TensorInventory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns a MODEL argument into a {@link ResolvedModel}: the one place that decides what an argument means. The argument
 * is sniffed once into a {@link ModelArgument} (a weight file by its magic bytes, a folder, a config.json, a layer
 * spec, a Hub repo, a URL, an Ollama model, a catalog id), then read once:
 * <ul>
 *   <li>a file by its reader, a folder by {@link ModelChoice} (several models there are listed, never one picked
 *       silently), each with its config.json attached by one policy ({@link dev.heft.core.format.ConfigJson});</li>
 *   <li>{@code hf://OWNER/NAME[@REV][/PATH]} (or a bare {@code OWNER/NAME}, with a note) from the HF hub cache when
 *       it is there, with no network at all, else over HTTP from header bytes only;</li>
 *   <li>{@code https://} files from their header bytes; {@code ollama://NAME[:TAG]} from Ollama's store;</li>
 *   <li>anything else as a catalog id.</li>
 * </ul>
 * The resolver carries its {@link ResolverSettings} (endpoint, token, stores, offline flag, what may be named) and holds
 * no other state; it reads no environment variable itself.
 */
public final class ModelResolver {
    private final ResolverSettings settings;

    /** A resolver with settings from this process's environment ({@link ResolverSettings#fromEnvironment()}). */
    public ModelResolver() {
        this(ResolverSettings.fromEnvironment());
    }

    public ModelResolver(ResolverSettings settings) {
        this.settings = settings;
    }

    public ResolverSettings settings() {
        return settings;
    }

    public ResolvedModel resolve(String argument) throws IOException {
        return switch (ModelArgument.sniff(argument, settings.access())) {
            case ModelArgument.WeightsFile w ->
                new ResolvedModel.Stored(argument, LocalWeights.file(w.path(), w.reader()));
            case ModelArgument.TfjsFile t -> new ResolvedModel.Stored(argument, LocalWeights.tfjs(t.path(), t.bytes()));
            case ModelArgument.TorchIndexFile t ->
                new ResolvedModel.Stored(argument, LocalWeights.torchIndex(t.path()));
            case ModelArgument.Directory d ->
                LocalWeights.folder(
                        argument,
                        d.path(),
                        d.path().toString(),
                        rel -> d.path().resolve(rel).toString(),
                        Optional.empty());
            case ModelArgument.ConfigFile c -> described(argument, c);
            case ModelArgument.LayerSpecFile l ->
                ResolvedModel.Network.of(
                        argument,
                        l.path().toString(),
                        l.json().isPresent()
                                ? LayerSpec.parse(l.json().get(), l.path().toString())
                                : LayerSpec.parse(l.path()));
            case ModelArgument.Hub h -> hub(argument, h.ref(), h.bare());
            case ModelArgument.WebFile u -> url(argument, u);
            case ModelArgument.Ollama o -> ollama(argument, o.name());
            case ModelArgument.Catalog c -> catalog(c.argument());
        };
    }

    /**
     * A catalog model by id: the LLM catalog first, then torchvision names. Touches neither the filesystem nor the
     * network.
     */
    public static ResolvedModel catalog(String argument) {
        Optional<CatalogEntry> entry = LlmCatalog.lookup(argument);
        if (entry.isPresent()) {
            return ResolvedModel.Described.of(
                    entry.get().id(), entry.get().config(), entry.get().source());
        }
        Optional<VisionModel> vision = VisionCatalog.find(argument);
        if (vision.isPresent()) {
            return ResolvedModel.Network.of(vision.get());
        }
        List<String> ids = new ArrayList<>(LlmCatalog.ids());
        VisionCatalog.all().forEach(v -> ids.add(v.name()));
        throw new InvalidInputException("'" + argument + "' is not a file, a directory or a catalog model"
                + Suggestions.didYouMean(argument, ids) + "; 'heft catalog' lists the models");
    }

    private static ResolvedModel described(String label, ModelArgument.ConfigFile c) {
        try {
            return ResolvedModel.Described.of(label, c.config(), c.path().toString());
        } catch (InvalidInputException e) {
            throw new InvalidInputException(c.path() + ": " + e.getMessage(), e);
        }
    }

    /**
     * A Hub repo: from the HF cache when it holds the revision's weights (no network), else over HTTP unless offline.
     */
    private ResolvedModel hub(String label, HubRef ref, boolean bare) throws IOException {
        List<String> notes = bare
                ? List.of("'" + label + "' is not a local path or a catalog model: read as the "
                        + "Hugging Face Hub repo " + ref.withoutPath().modelString())
                : List.of();
        if (settings.access().paths()) {
            Optional<ResolvedModel> cached = fromHubCache(label, ref, notes);
            if (cached.isPresent()) {
                return cached.get();
            }
        }
        if (settings.offline()) {
            throw new RemoteModelException(
                    RemoteModelException.Reason.OFFLINE,
                    ref.modelString() + ": offline "
                            + "(HF_HUB_OFFLINE=1 or --offline) and the HF cache (" + settings.hubCache()
                            + ") does not hold "
                            + "this revision's weights; go online or download it first (hf download " + ref.repo()
                            + ")");
        }
        try (HubClient client = client()) {
            ResolvedModel m = RemoteWeights.repo(client, ref, label, notes);
            ModelSource source = new ModelSource(
                    ModelSource.Kind.HUB,
                    ref.repo(),
                    Optional.of(ref.revisionOrDefault()),
                    client.commit(),
                    Optional.of(client.endpoint().toString()),
                    client.transferredBytes(),
                    client.requests());
            return m instanceof ResolvedModel.Stored s
                    ? new ResolvedModel.Stored(s.label(), s.inventory(), Optional.of(source))
                    : m;
        }
    }

    /** The revision's snapshot in the HF cache, when it is there and complete enough to read without the network. */
    private Optional<ResolvedModel> fromHubCache(String label, HubRef ref, List<String> notes) throws IOException {
        Optional<Path> snapshot = HfCacheLayout.snapshot(settings.hubCache(), ref);
        if (snapshot.isEmpty()) {
            return Optional.empty();
        }
        HubRef repo = ref.withoutPath();
        ModelSource source = new ModelSource(
                ModelSource.Kind.HUB_CACHE,
                ref.repo(),
                Optional.of(ref.revisionOrDefault()),
                Optional.of(snapshot.get().getFileName().toString()),
                Optional.of(snapshot.get().toString()),
                0,
                0);
        Path target = ref.path().map(p -> snapshot.get().resolve(p)).orElse(snapshot.get());
        if (!target.normalize().startsWith(snapshot.get().normalize()) || !Files.exists(target)) {
            return Optional.empty();
        }
        if (!settings.offline() && !CachedSnapshot.complete(target)) {
            // Only part of the revision was downloaded (a config, some shards): the Hub has the rest.
            return Optional.empty();
        }
        ResolvedModel m;
        if (Files.isDirectory(target)) {
            String prefix = ref.path().map(p -> p + "/").orElse("");
            m = LocalWeights.folder(
                    label, target, ref.modelString(), rel -> repo.modelString(prefix + rel), Optional.of(source));
        } else {
            m = new ResolvedModel.Stored(
                    label, LocalWeights.file(target, Formats.require(target)), Optional.of(source));
        }
        List<String> all = new ArrayList<>(notes);
        all.add("read from the HF cache (" + snapshot.get() + "), no network");
        return Optional.of(
                m instanceof ResolvedModel.Stored s
                        ? new ResolvedModel.Stored(s.label(), s.inventory().withNotes(all), s.source())
                        : m);
    }

    private ResolvedModel url(String label, ModelArgument.WebFile u) {
        if (settings.offline()) {
            throw new RemoteModelException(
                    RemoteModelException.Reason.OFFLINE,
                    label + ": offline (HF_HUB_OFFLINE=1 " + "or --offline), so heft opens no connection");
        }
        try (HubClient client = client()) {
            TensorInventory inv = RemoteWeights.url(client, u.uri());
            ModelSource source = new ModelSource(
                    ModelSource.Kind.URL,
                    u.uri().toString(),
                    Optional.empty(),
                    client.commit(),
                    Optional.of(u.uri().toString()),
                    client.transferredBytes(),
                    client.requests());
            return new ResolvedModel.Stored(label, inv, Optional.of(source));
        }
    }

    private ResolvedModel ollama(String label, OllamaStore.Name name) throws IOException {
        OllamaStore.Manifest manifest = OllamaStore.read(settings.ollamaModels(), name);
        Path blob = manifest.model().blob();
        if (!Files.isRegularFile(blob)) {
            throw new InvalidInputException(name.modelString() + ": the manifest names blob " + blob.getFileName()
                    + ", which is missing from " + blob.getParent() + " (an interrupted pull?)");
        }
        TensorInventory inv = LocalWeights.file(blob, Formats.require(blob));
        if (inv.format() != ModelFormat.GGUF) {
            throw new InvalidInputException(
                    name.modelString() + ": the model layer is a " + inv.format() + " file, not the GGUF Ollama runs");
        }
        List<String> notes = new ArrayList<>();
        manifest.projector()
                .ifPresent(p -> notes.add("also a projector layer (" + p.blob().getFileName() + ", " + p.size()
                        + " bytes): the image encoder of a vision model, not counted with the language model"));
        if (!manifest.adapters().isEmpty()) {
            notes.add(manifest.adapters().size() + " adapter layer(s) ("
                    + String.join(
                            ", ",
                            manifest.adapters().stream()
                                    .map(a -> a.blob().getFileName() + ", " + a.size() + " bytes")
                                    .toList())
                    + "): LoRA weights applied on top, not counted");
        }
        ModelSource source = new ModelSource(
                ModelSource.Kind.OLLAMA,
                name.display(),
                Optional.empty(),
                Optional.of(manifest.model().digest()),
                Optional.of(blob.toString()),
                0,
                0);
        return new ResolvedModel.Stored(label, notes.isEmpty() ? inv : inv.withNotes(notes), Optional.of(source));
    }

    private HubClient client() {
        Optional<HeaderCache> cache =
                settings.headerCache() ? Optional.of(new HeaderCache(settings.headerCacheFolder())) : Optional.empty();
        return new HubClient(
                settings.hubEndpoint(),
                settings::resolveToken,
                settings.network(),
                settings.connections(),
                cache,
                settings.progress(),
                userAgent());
    }

    private static String userAgent() {
        String v = ModelResolver.class.getPackage().getImplementationVersion();
        return "heft/" + (v == null ? "dev" : v) + "; java/" + Runtime.version().feature();
    }
}
