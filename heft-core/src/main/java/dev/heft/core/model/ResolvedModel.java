package dev.heft.core.model;

import dev.heft.core.arch.ArchitectureCounts;
import dev.heft.core.arch.hf.HfArchitecture;
import dev.heft.core.arch.torch.CustomNetwork;
import dev.heft.core.arch.torch.FlopReport;
import dev.heft.core.arch.torch.Module;
import dev.heft.core.arch.torch.NamedTensor;
import dev.heft.core.arch.torch.Shape;
import dev.heft.core.arch.vision.VisionModel;
import dev.heft.core.json.JsonValue.JsonObject;
import dev.heft.core.tensor.TensorInventory;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What a MODEL argument turned out to be. Every command accepts the same kinds of argument (a file, a directory, a
 * config.json, a catalog name); {@link ModelResolver} decides which, in one place.
 */
public sealed interface ResolvedModel permits ResolvedModel.Stored, ResolvedModel.Described, ResolvedModel.Network {

    /** A short label for headings and JSON ({@code model} key): the path or catalog id as the user gave it. */
    String label();

    /**
     * Real weights, read header-only into an inventory: from disk, or from header bytes fetched over HTTP.
     *
     * @param source where they were found when that was more than a path (a Hub repo, the HF cache, a URL, Ollama)
     */
    record Stored(String label, TensorInventory inventory, Optional<ModelSource> source) implements ResolvedModel {
        public Stored(String label, TensorInventory inventory) {
            this(label, inventory, Optional.empty());
        }
    }

    /**
     * An architecture description: a Hugging Face config.json or a catalog entry, counted analytically.
     *
     * @param source where the description comes from (the config's path, or the catalog entry's published source)
     * @param config the config.json itself, for what-ifs that derive a new architecture from it (pruning, distillation)
     */
    record Described(String label, HfArchitecture architecture, String source, Optional<JsonObject> config)
            implements ResolvedModel {
        public Described(String label, HfArchitecture architecture, String source) {
            this(label, architecture, source, Optional.empty());
        }

        public static Described of(String label, JsonObject config, String source) {
            return new Described(
                    label, dev.heft.core.arch.hf.HfArchitectures.count(config), source, Optional.of(config));
        }
    }

    /**
     * A network built from torch.nn layers: a torchvision catalog model or a custom layer spec. Counts and FLOPs may
     * depend on the input shape (ViT position embeddings), so both take it.
     *
     * @param defaultInput the input FLOPs are counted at unless told otherwise ({@code [1, 3, 224, 224]} for vision)
     */
    record Network(
            String label,
            String source,
            Optional<Shape> defaultInput,
            Function<Optional<Shape>, ArchitectureCounts> counts,
            Function<Shape, FlopReport> flops,
            Supplier<List<NamedTensor>> tensors,
            Function<Shape, Module> module)
            implements ResolvedModel {

        public static Network of(VisionModel v) {
            return new Network(
                    v.name(),
                    v.source(),
                    Optional.of(v.defaultInput()),
                    in -> in.map(v::counts).orElseGet(v::counts),
                    v::flops,
                    v::tensors,
                    v::module);
        }

        public static Network of(String label, String source, CustomNetwork n) {
            return new Network(label, source, n.input(), in -> n.counts(), n::flops, n::tensors, in -> n.root());
        }
    }
}
