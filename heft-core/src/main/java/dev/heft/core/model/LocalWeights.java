package dev.heft.core.model;

import dev.heft.core.error.InvalidInputException;
import dev.heft.core.error.UnsupportedModelException;
import dev.heft.core.format.ConfigJson;
import dev.heft.core.format.Formats;
import dev.heft.core.format.ModelReader;
import dev.heft.core.format.gguf.GgufReader;
import dev.heft.core.format.pytorch.PyTorchShards;
import dev.heft.core.format.quantized.QuantizedLayouts;
import dev.heft.core.format.safetensors.SafetensorsReader;
import dev.heft.core.format.tfjs.TfjsReader;
import dev.heft.core.model.ModelChoice.WeightSet;
import dev.heft.core.tensor.ModelFormat;
import dev.heft.core.tensor.TensorInventory;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reads weights from disk for the resolver: a file by the reader its bytes chose, a folder by {@link ModelChoice},
 * each with the config.json beside it attached by the one policy ({@link ConfigJson}).
 */
final class LocalWeights {
    /** A folder's subfolders are looked into (when it holds no model itself) up to this many files in all. */
    private static final int MAX_LISTED = 10_000;

    private LocalWeights() {}

    /** A weight file with its folder's config.json. */
    static TensorInventory file(Path path, ModelReader reader) throws IOException {
        return checked(ConfigJson.attach(reader.read(path), parent(path)));
    }

    static TensorInventory tfjs(Path path, byte[] modelJson) throws IOException {
        return checked(ConfigJson.attach(new TfjsReader().read(path, modelJson), parent(path)));
    }

    static TensorInventory torchIndex(Path index) throws IOException {
        return checked(ConfigJson.attach(PyTorchShards.read(index), parent(index)));
    }

    /**
     * The model in {@code dir}: stored weights, or the architecture of a lone config.json.
     *
     * @param label   the model's label (the argument as given)
     * @param where   how messages name the folder (its path, or the {@code hf://} repo it is a snapshot of)
     * @param naming  how to tell a user to name one file of the folder (a path, or an {@code hf://} string)
     * @param source  where the folder came from, when it is a store's (the HF cache)
     */
    static ResolvedModel folder(
            String label, Path dir, String where, Function<String, String> naming, Optional<ModelSource> source)
            throws IOException {
        List<ModelChoice.Listed> listing = list(dir, false);
        ModelChoice.Choice choice = ModelChoice.choose(listing, rel -> isTfjs(dir.resolve(rel)));
        if (choice instanceof ModelChoice.ConfigOnly || choice instanceof ModelChoice.Nothing) {
            ModelChoice.Choice nested = ModelChoice.choose(list(dir, true), rel -> isTfjs(dir.resolve(rel)));
            if (nested instanceof ModelChoice.One || nested instanceof ModelChoice.Several) {
                choice = nested;
            }
        }
        // instanceof tests rather than a pattern switch: each pattern switch spins a class at its first run (the JDK's
        // SwitchBootstraps), a few ms of every one-shot command's CPU that the AOT cache does not keep (issue 12).
        // ModelChoice.Choice is sealed; the last case is Nothing.
        if (choice instanceof ModelChoice.One one) {
            TensorInventory inv = read(dir, one.set());
            return new ResolvedModel.Stored(label, one.notes().isEmpty() ? inv : inv.withNotes(one.notes()), source);
        }
        if (choice instanceof ModelChoice.ConfigOnly c) {
            return described(label, dir.resolve(c.config()));
        }
        if (choice instanceof ModelChoice.Several several) {
            throw several(where, several.sets(), naming);
        }
        throw new InvalidInputException(
                dir + ": no model weights found (looked for " + WeightFileKind.lookedFor() + ", and a config.json)");
    }

    /** Reads one chosen set of files under {@code dir}. */
    static TensorInventory read(Path dir, WeightSet set) throws IOException {
        Path folder = set.folder().isEmpty() ? dir : dir.resolve(set.folder());
        TensorInventory inv = readSet(dir, set);
        inv = ConfigJson.attach(inv, folder);
        return checked(folder.equals(dir) ? inv : ConfigJson.attach(inv, dir));
    }

    /** The set's files by their reader; instanceof tests rather than a pattern switch, as in {@link #folder}. */
    private static TensorInventory readSet(Path dir, WeightSet set) throws IOException {
        if (set instanceof WeightSet.SafetensorsIndexed i) {
            return SafetensorsReader.readIndex(dir.resolve(i.index()));
        }
        if (set instanceof WeightSet.SafetensorsSingle s) {
            return new SafetensorsReader().read(dir.resolve(s.file()));
        }
        if (set instanceof WeightSet.SafetensorsLoose l) {
            return SafetensorsReader.readFiles(
                    l.files().stream().map(dir::resolve).toList());
        }
        if (set instanceof WeightSet.Gguf g) {
            return new GgufReader().read(dir.resolve(g.parts().getFirst()));
        }
        if (set instanceof WeightSet.PyTorchIndexed p) {
            return PyTorchShards.read(dir.resolve(p.index()));
        }
        WeightSet.Single s = (WeightSet.Single) set; // the last of the sealed WeightSet's cases
        return Formats.require(dir.resolve(s.file())).read(dir.resolve(s.file()));
    }

    static ResolvedModel.Described described(String label, Path config) throws IOException {
        try {
            return ResolvedModel.Described.of(label, ConfigJson.read(config), config.toString());
        } catch (InvalidInputException e) {
            throw new InvalidInputException(config + ": " + e.getMessage(), e);
        }
    }

    /**
     * {@link #checked(TensorInventory, boolean)} for files on disk. A model with no tensors is not a model to count:
     * llama.cpp's {@code convert_hf_to_gguf.py --vocab-only} writes GGUF files that hold only the tokenizer and
     * hyperparameters (llama.cpp's own models/ggml-vocab-*.gguf).
     */
    static TensorInventory checked(TensorInventory inv) {
        return checked(inv, true);
    }

    /**
     * Every stored model passes here once, with its config attached: the vocab-only refusal, then packed quantized
     * layouts (GPTQ, AWQ, bitsandbytes, ...) recognised so every command sees logical parameter counts.
     *
     * @param onDisk whether the inventory's files are real files (false for headers fetched over HTTP: layouts whose
     *               logical shape lives in a small metadata tensor then go by what the packed shape implies, and say so)
     */
    static TensorInventory checked(TensorInventory inv, boolean onDisk) {
        refuseVocabularyOnly(inv);
        return QuantizedLayouts.recognise(inv, onDisk);
    }

    private static void refuseVocabularyOnly(TensorInventory inv) {
        if (inv.format() == ModelFormat.GGUF && inv.tensors().isEmpty()) {
            Object arch = inv.metadata().get("general.architecture");
            throw new UnsupportedModelException(
                    inv.files().isEmpty() ? null : inv.files().getFirst(),
                    "tensor_count",
                    "0 tensors: a vocabulary-only GGUF (as convert_hf_to_gguf.py --vocab-only writes"
                            + (arch == null ? "" : ", architecture " + arch) + ") holds the tokenizer and "
                            + "hyperparameters but no weights to count");
        }
    }

    /** One line that lists the models and says how to pick one. */
    static InvalidInputException several(String where, List<WeightSet> sets, Function<String, String> naming) {
        List<String> picks = sets.stream()
                .map(s -> s.pick()
                        + (s instanceof WeightSet.Gguf g && g.parts().size() > 1
                                ? " (" + g.parts().size() + " parts)"
                                : ""))
                .toList();
        return new InvalidInputException(where + " holds " + sets.size() + " models (" + ModelChoice.summarize(picks)
                + "); heft does not pick one for you: name one, e.g. "
                + naming.apply(sets.getFirst().pick()));
    }

    /**
     * The folder's files (regular files, symlinks followed, as an HF cache snapshot links into its blobs), with their
     * sizes; with {@code nested}, also the files one folder down (hidden folders skipped).
     */
    static List<ModelChoice.Listed> list(Path dir, boolean nested) throws IOException {
        List<ModelChoice.Listed> out = new ArrayList<>();
        List<Path> subfolders = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                BasicFileAttributes a = attributes(p);
                if (a != null && a.isRegularFile()) {
                    out.add(new ModelChoice.Listed(name, a.size()));
                } else if (nested && a != null && a.isDirectory() && !name.startsWith(".")) {
                    subfolders.add(p);
                }
                if (out.size() > MAX_LISTED) {
                    break;
                }
            }
        }
        subfolders.sort(null);
        for (Path sub : subfolders) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(sub)) {
                for (Path p : ds) {
                    BasicFileAttributes a = attributes(p);
                    if (a != null && a.isRegularFile() && out.size() <= MAX_LISTED) {
                        out.add(new ModelChoice.Listed(sub.getFileName() + "/" + p.getFileName(), a.size()));
                    }
                }
            }
        }
        return out;
    }

    /**
     * What {@code Files.isRegularFile}, {@code isDirectory} and {@code size} say of {@code p} (links followed), from one
     * stat instead of two: a folder of 163 shards is listed on every inspect of it. Null where they would answer false.
     */
    private static BasicFileAttributes attributes(Path p) {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class);
        } catch (IOException e) {
            return null;
        }
    }

    private static boolean isTfjs(Path p) {
        try {
            return TfjsReader.isModelJson(p);
        } catch (IOException e) {
            return false;
        }
    }

    private static Path parent(Path p) {
        return p.toAbsolutePath().getParent();
    }
}
