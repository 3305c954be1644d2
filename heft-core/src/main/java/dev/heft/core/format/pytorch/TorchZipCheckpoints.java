package dev.heft.core.format.pytorch;

import dev.heft.core.error.ModelFormatException;
import dev.heft.core.error.UnsupportedModelException;
import dev.heft.core.format.io.MappedFile;
import dev.heft.core.format.pickle.GlobalPolicy;
import dev.heft.core.format.pickle.PickleLimits;
import dev.heft.core.format.pickle.PickleValue;
import dev.heft.core.format.zip.EntrySource;
import dev.heft.core.format.zip.ZipDirectory;
import dev.heft.core.tensor.ModelFormat;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads zip-format checkpoints and TorchScript archives into a {@link TorchCheckpoint}. */
final class TorchZipCheckpoints {
    private TorchZipCheckpoints() {}

    /** What a zip file is to the PyTorch readers. */
    enum Kind {
        CHECKPOINT,
        TORCHSCRIPT,
        NOT_TORCH,
        /** The directory could not be read, but the first local entry is a data.pkl: a damaged checkpoint. */
        DAMAGED_CHECKPOINT
    }

    /** Whether {@code path} is a zip of one of {@code kinds}; only zips are opened. */
    static boolean isZipOfKind(byte[] head, Path path, java.util.Set<Kind> kinds) throws IOException {
        return ZipDirectory.looksLikeZip(head) && kinds.contains(kind(head, path));
    }

    static Kind kind(byte[] head, Path path) throws IOException {
        try (MappedFile mf = MappedFile.open(path)) {
            return TorchZipArchive.open(mf.segment(), path)
                    .map(a -> a.isTorchScript() ? Kind.TORCHSCRIPT : Kind.CHECKPOINT)
                    .orElse(Kind.NOT_TORCH);
        } catch (ModelFormatException e) {
            return firstLocalNameIsDataPkl(head) ? Kind.DAMAGED_CHECKPOINT : Kind.NOT_TORCH;
        }
    }

    /**
     * torch.save writes {@code <archive>/data.pkl} as the first entry: its local header (APPNOTE 4.3.7, name length
     * at offset 26, name at 30) is in the first bytes, so a checkpoint with a broken directory still reaches the
     * PyTorch reader and gets its precise error instead of "not a model file".
     */
    private static boolean firstLocalNameIsDataPkl(byte[] head) {
        if (head.length < 30) {
            return false;
        }
        int n = (head[26] & 0xff) | (head[27] & 0xff) << 8;
        if (30 + n > head.length) {
            return false;
        }
        String name = new String(head, 30, n, java.nio.charset.StandardCharsets.ISO_8859_1);
        return name.equals("data.pkl") || name.endsWith("/data.pkl");
    }

    static TorchCheckpoint read(Path path, PickleLimits limits) throws IOException {
        // a confined arena: the mapping lives only while this method reads the pickles, then is unmapped
        try (MappedFile mf = MappedFile.open(path)) {
            return read(TorchZipArchive.open(mf.segment(), path), path, limits);
        }
    }

    /** A checkpoint from its zip directory and whatever gives the bytes of the entries read (over HTTP: data.pkl). */
    static TorchCheckpoint read(ZipDirectory dir, EntrySource source, Path path, PickleLimits limits) {
        return read(TorchZipArchive.open(dir, source, path), path, limits);
    }

    private static TorchCheckpoint read(Optional<TorchZipArchive> opened, Path path, PickleLimits limits) {
        TorchZipArchive archive = opened.orElseThrow(() ->
                new UnsupportedModelException(path, 0L, "zip archive without a data.pkl: not a PyTorch checkpoint"));
        boolean script = archive.isTorchScript();
        Map<String, TorchStorage> storages = new LinkedHashMap<>();
        GlobalPolicy policy = script ? GlobalPolicy.TORCHSCRIPT : GlobalPolicy.WEIGHTS_ONLY;
        PickleValue root = archive.unpickle("data.pkl", "data/", policy, limits, storages);
        CheckpointWalker.Result walk = CheckpointWalker.walk(root, CheckpointSection.MODEL, "", path);
        List<CheckpointWalker.Found> found = new ArrayList<>(walk.tensors());
        List<String> notes = new ArrayList<>();
        Map<String, Object> facts = archive.facts();
        if ("big".equals(facts.get("byteorder"))) {
            notes.add("tensor data was written big-endian");
        }
        if (script) {
            notes.add("TorchScript archive: its " + archive.codeFiles() + " code file(s) were neither read nor run; "
                    + "TorchScript classes in data.pkl are read as opaque records");
            if (archive.has("constants.pkl")) {
                PickleValue constants = archive.unpickle("constants.pkl", "constants/", policy, limits, storages);
                found.addAll(CheckpointWalker.walk(constants, CheckpointSection.CONSTANTS, "constants", path)
                        .tensors());
            }
        }
        return CheckpointAssembler.assemble(
                script ? ModelFormat.TORCHSCRIPT : ModelFormat.PYTORCH, path, found, storages, walk, facts, notes);
    }
}
