package dev.heft.core.model;

import dev.heft.core.format.ConfigJson;
import dev.heft.core.format.pytorch.PyTorchShards;
import dev.heft.core.format.safetensors.CheckpointLayout;
import dev.heft.core.format.safetensors.ShardIndex;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which model a folder, a Hub repo or a model store holds, decided from its file names alone, the same way wherever
 * the names come from (a directory listing, the Hub's tree API, an HF cache snapshot). A folder holds at most one
 * Hugging Face checkpoint (transformers' order: {@code model.safetensors}, a safetensors index, loose safetensors, a
 * PyTorch index, {@code pytorch_model.bin}; the same model saved in other formats beside it is noted, not counted
 * again), plus any number of GGUF models (the parts of one split model count once, projector files are noted), TF.js
 * models and other single weight files. Exactly one candidate is the model; several are listed for the user to pick
 * one, never chosen silently. Files at the top level come first; only when there are none is each subfolder looked at.
 */
public final class ModelChoice {
    /** Files an HF Trainer checkpoint folder holds besides the model: training state, not weights. */
    private static final Set<String> TRAINER_STATE = Set.of(
            "training_args.bin", "optimizer.pt", "optimizer.bin", "scheduler.pt", "scaler.pt", "trainer_state.json");
    /** Other formats transformers and friends save the same checkpoint in, beside the preferred one. */
    private static final Set<String> SAME_MODEL_OTHER_FORMAT = Set.of(
            "pytorch_model.bin",
            "tf_model.h5",
            "model.onnx",
            "consolidated.safetensors",
            "flax_model.msgpack",
            "model.ckpt.index");

    private static final Pattern GGUF_SPLIT =
            Pattern.compile("(.+)-(\\d{5})-of-(\\d{5})\\.gguf", Pattern.CASE_INSENSITIVE);
    private static final Pattern TORCH_SHARD = Pattern.compile("pytorch_model-\\d+-of-\\d+\\.bin");
    private static final Pattern CONSOLIDATED = Pattern.compile("consolidated\\.\\d+\\.pth");
    private static final Pattern RNG_STATE = Pattern.compile("rng_state(_\\d+)?\\.pth");

    private ModelChoice() {}

    /** A file in the listing: its path relative to the folder or repo root ('/'-separated) and its size. */
    public record Listed(String path, long size) {}

    /** The files that make one model, as a loader would read them. */
    public sealed interface WeightSet {
        /** The paths to name for a user to pick this one (a file, or an index). */
        String pick();

        WeightFileKind kind();

        /** The folder the set sits in ("" at the top level). */
        default String folder() {
            return parent(pick());
        }

        record SafetensorsSingle(String file) implements WeightSet {
            public String pick() {
                return file;
            }

            public WeightFileKind kind() {
                return WeightFileKind.SAFETENSORS;
            }
        }

        record SafetensorsIndexed(String index) implements WeightSet {
            public String pick() {
                return index;
            }

            public WeightFileKind kind() {
                return WeightFileKind.SAFETENSORS_INDEX;
            }
        }

        /** Several safetensors files with no index, read together as one model. */
        record SafetensorsLoose(List<String> files) implements WeightSet {
            public SafetensorsLoose {
                files = List.copyOf(files);
            }

            public String pick() {
                return files.getFirst();
            }

            public WeightFileKind kind() {
                return WeightFileKind.SAFETENSORS;
            }
        }

        /** One GGUF model: a single file, or every part of a split model in order. */
        record Gguf(List<String> parts) implements WeightSet {
            public Gguf {
                parts = List.copyOf(parts);
            }

            public String pick() {
                return parts.getFirst();
            }

            public WeightFileKind kind() {
                return WeightFileKind.GGUF;
            }
        }

        record PyTorchIndexed(String index) implements WeightSet {
            public String pick() {
                return index;
            }

            public WeightFileKind kind() {
                return WeightFileKind.PYTORCH_INDEX;
            }
        }

        /** One file read by the reader its bytes select. */
        record Single(String file, WeightFileKind kind) implements WeightSet {
            public String pick() {
                return file;
            }
        }
    }

    /** What a listing holds. */
    public sealed interface Choice {}

    /** One model, with notes on what else was there (other formats of it, projectors, the subfolder it sits in). */
    public record One(WeightSet set, List<String> notes) implements Choice {
        public One {
            notes = List.copyOf(notes);
        }
    }

    /** No weights, but a config.json: an architecture to count. */
    public record ConfigOnly(String config) implements Choice {}

    /** Several models: the user must name one. */
    public record Several(List<WeightSet> sets) implements Choice {
        public Several {
            sets = List.copyOf(sets);
        }
    }

    /** Neither weights nor a config. */
    public record Nothing() implements Choice {}

    /**
     * Chooses among {@code files}.
     *
     * @param isTfjsModel whether a file named {@code model.json} is a TF.js model (its content decides where it can be
     *                    read; a listing without contents says yes)
     */
    public static Choice choose(List<Listed> files, Predicate<String> isTfjsModel) {
        Map<String, List<String>> byFolder = new TreeMap<>();
        for (Listed f : files) {
            byFolder.computeIfAbsent(parent(f.path()), k -> new ArrayList<>()).add(f.path());
        }
        List<String> notes = new ArrayList<>();
        List<WeightSet> sets = candidates(byFolder.getOrDefault("", List.of()), isTfjsModel, notes);
        if (sets.isEmpty()) {
            for (Map.Entry<String, List<String>> e : byFolder.entrySet()) {
                if (!e.getKey().isEmpty()) {
                    sets.addAll(candidates(e.getValue(), isTfjsModel, notes));
                }
            }
            if (sets.size() == 1 && !sets.getFirst().folder().isEmpty()) {
                notes.addFirst(
                        "the weights are in the subfolder " + sets.getFirst().folder() + "/");
            }
        }
        if (sets.size() == 1) {
            return new One(sets.getFirst(), notes);
        }
        if (sets.size() > 1) {
            return new Several(sets);
        }
        return byFolder.getOrDefault("", List.of()).contains(ConfigJson.NAME)
                ? new ConfigOnly(ConfigJson.NAME)
                : new Nothing();
    }

    /** The candidates among the files of one folder (full paths, all in that folder). */
    private static List<WeightSet> candidates(List<String> paths, Predicate<String> isTfjsModel, List<String> notes) {
        Map<String, String> byName = new LinkedHashMap<>();
        for (String p : paths) {
            byName.put(baseName(p), p);
        }
        List<String> names = new ArrayList<>(byName.keySet());
        names.sort(null);
        List<WeightSet> sets = new ArrayList<>();
        List<String> used = new ArrayList<>();

        boolean tfjs = false;
        for (String n : names) {
            Optional<WeightFileKind> k = WeightFileKind.of(n);
            if (k.isPresent()
                    && (k.get() == WeightFileKind.TFJS_MANIFEST
                            || (k.get() == WeightFileKind.TFJS_MODEL && isTfjsModel.test(byName.get(n))))) {
                tfjs = true;
            }
        }

        Optional<WeightSet> hf = hfCheckpoint(names, byName, sets, used);
        hf.ifPresent(sets::add);
        if (hf.isPresent()) {
            List<String> others = new ArrayList<>();
            for (String n : names) {
                if (!used.contains(n)
                        && (SAME_MODEL_OTHER_FORMAT.contains(n)
                                || TORCH_SHARD.matcher(n).matches()
                                || n.equals(PyTorchShards.STANDARD_NAME)
                                || CONSOLIDATED.matcher(n).matches())) {
                    others.add(n);
                    used.add(n);
                }
            }
            if (!others.isEmpty()) {
                notes.add("also holds " + summarize(others) + ": the same model in other formats, not counted again ("
                        + hf.get().pick() + " read, as transformers prefers it)");
            }
        }

        Map<String, List<String>> splits = new TreeMap<>();
        List<String> projectors = new ArrayList<>();
        for (String n : names) {
            if (used.contains(n) || WeightFileKind.of(n).orElse(null) != WeightFileKind.GGUF) {
                continue;
            }
            used.add(n);
            if (n.toLowerCase(Locale.ROOT).contains("mmproj")) {
                projectors.add(n);
                continue;
            }
            Matcher m = GGUF_SPLIT.matcher(n);
            String key = m.matches() ? m.group(1) + "-of-" + m.group(3) : n;
            splits.computeIfAbsent(key, x -> new ArrayList<>()).add(byName.get(n));
        }
        for (List<String> parts : splits.values()) {
            parts.sort(null);
            sets.add(new WeightSet.Gguf(parts));
        }
        if (!projectors.isEmpty()) {
            notes.add("also holds " + summarize(projectors) + ": a multimodal projector (mmproj), not counted with "
                    + "the language model");
        }

        for (String n : names) {
            if (used.contains(n)
                    || TRAINER_STATE.contains(n)
                    || RNG_STATE.matcher(n).matches()) {
                continue;
            }
            Optional<WeightFileKind> k = WeightFileKind.of(n);
            if (k.isEmpty()) {
                continue;
            }
            switch (k.get()) {
                case TFJS_MODEL -> {
                    if (isTfjsModel.test(byName.get(n))) {
                        sets.add(new WeightSet.Single(byName.get(n), k.get()));
                    }
                }
                case TFJS_MANIFEST -> sets.add(new WeightSet.Single(byName.get(n), k.get()));
                // TF.js shards (group1-shard1of2.bin) are read through their manifest, never on their own.
                case PYTORCH -> {
                    if (!(tfjs && n.toLowerCase(Locale.ROOT).endsWith(".bin"))) {
                        sets.add(new WeightSet.Single(byName.get(n), k.get()));
                    }
                }
                case ONNX, KERAS, TFLITE -> sets.add(new WeightSet.Single(byName.get(n), k.get()));
                case PYTORCH_INDEX -> sets.add(new WeightSet.PyTorchIndexed(byName.get(n)));
                default -> {
                    // Safetensors files and indexes left over are named by the checkpoint chosen above.
                }
            }
        }
        return sets;
    }

    /**
     * The folder's Hugging Face checkpoint, in transformers' order. Several safetensors indexes with no standard one
     * are each a candidate (added to {@code sets} directly), as is each PyTorch index beyond the standard one.
     */
    private static Optional<WeightSet> hfCheckpoint(
            List<String> names, Map<String, String> byName, List<WeightSet> sets, List<String> used) {
        List<String> indexes = new ArrayList<>();
        List<String> safetensors = new ArrayList<>();
        for (String n : names) {
            Optional<WeightFileKind> k = WeightFileKind.of(n);
            if (k.isPresent() && k.get() == WeightFileKind.SAFETENSORS_INDEX) {
                indexes.add(n);
            } else if (k.isPresent() && k.get() == WeightFileKind.SAFETENSORS) {
                safetensors.add(n);
            }
        }
        if (safetensors.contains(CheckpointLayout.SINGLE_NAME)) {
            used.addAll(safetensors);
            used.addAll(indexes);
            return Optional.of(new WeightSet.SafetensorsSingle(byName.get(CheckpointLayout.SINGLE_NAME)));
        }
        if (!indexes.isEmpty()) {
            used.addAll(safetensors);
            used.addAll(indexes);
            if (indexes.contains(ShardIndex.STANDARD_NAME)) {
                return Optional.of(new WeightSet.SafetensorsIndexed(byName.get(ShardIndex.STANDARD_NAME)));
            }
            if (indexes.size() == 1) {
                return Optional.of(new WeightSet.SafetensorsIndexed(byName.get(indexes.getFirst())));
            }
            indexes.forEach(i -> sets.add(new WeightSet.SafetensorsIndexed(byName.get(i))));
            return Optional.empty();
        }
        if (safetensors.size() == 1) {
            used.addAll(safetensors);
            return Optional.of(new WeightSet.SafetensorsSingle(byName.get(safetensors.getFirst())));
        }
        if (safetensors.size() > 1) {
            used.addAll(safetensors);
            return Optional.of(new WeightSet.SafetensorsLoose(
                    safetensors.stream().map(byName::get).toList()));
        }
        if (names.contains(PyTorchShards.STANDARD_NAME)) {
            used.add(PyTorchShards.STANDARD_NAME);
            names.stream().filter(n -> TORCH_SHARD.matcher(n).matches()).forEach(used::add);
            return Optional.of(new WeightSet.PyTorchIndexed(byName.get(PyTorchShards.STANDARD_NAME)));
        }
        if (names.contains("pytorch_model.bin")) {
            used.add("pytorch_model.bin");
            return Optional.of(new WeightSet.Single(byName.get("pytorch_model.bin"), WeightFileKind.PYTORCH));
        }
        return Optional.empty();
    }

    /** A one-line list: the first few names and how many more. */
    static String summarize(List<String> items) {
        int shown = Math.min(items.size(), 6);
        String head = String.join(", ", items.subList(0, shown));
        return items.size() > shown ? head + " and " + (items.size() - shown) + " more" : head;
    }

    static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : path.substring(0, slash);
    }

    static String baseName(String path) {
        return WeightFileKind.baseName(path);
    }
}
