package dev.heft.core.format.pytorch;

import dev.heft.core.error.UnsupportedModelException;
import dev.heft.core.format.io.MappedFile;
import dev.heft.core.format.pickle.GlobalPolicy;
import dev.heft.core.format.pickle.PickleLimits;
import dev.heft.core.format.pickle.PickleValue;
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
    private TorchZipCheckpoints() {
    }

    /** Whether {@code path} is a torch zip archive, TorchScript ({@code true}) or not ({@code false}); empty if neither. */
    static Optional<Boolean> kind(Path path) throws IOException {
        try (MappedFile mf = MappedFile.open(path)) {
            return TorchZipArchive.open(mf.segment(), path).map(TorchZipArchive::isTorchScript);
        } catch (dev.heft.core.error.ModelFormatException e) {
            return Optional.empty();
        }
    }

    static TorchCheckpoint read(Path path, PickleLimits limits) throws IOException {
        // a confined arena: the mapping lives only while this method reads the pickles, then is unmapped
        try (MappedFile mf = MappedFile.open(path)) {
            TorchZipArchive archive = TorchZipArchive.open(mf.segment(), path).orElseThrow(() ->
                    new UnsupportedModelException(path, 0L, "zip archive without a data.pkl: not a PyTorch checkpoint"));
            boolean script = archive.isTorchScript();
            Map<String, TorchStorage> storages = new LinkedHashMap<>();
            GlobalPolicy policy = script ? GlobalPolicy.TORCHSCRIPT : GlobalPolicy.WEIGHTS_ONLY;
            PickleValue root = archive.unpickle("data.pkl", "data/", policy, limits, storages);
            CheckpointWalker.Result walk = CheckpointWalker.walk(root, CheckpointSection.MODEL, "", path);
            List<CheckpointWalker.Found> found = new ArrayList<>(walk.tensors());
            List<String> notes = new ArrayList<>();
            if (script) {
                notes.add("TorchScript archive: " + archive.codeFiles() + " code file(s) are listed, never run; "
                        + "TorchScript classes in data.pkl are read as opaque records");
                if (archive.has("constants.pkl")) {
                    PickleValue constants = archive.unpickle("constants.pkl", "constants/", policy, limits, storages);
                    found.addAll(CheckpointWalker.walk(constants, CheckpointSection.CONSTANTS, "constants", path)
                            .tensors());
                }
            }
            return CheckpointAssembler.assemble(script ? ModelFormat.TORCHSCRIPT : ModelFormat.PYTORCH, path, found,
                    storages, walk, archive.facts(), notes);
        }
    }
}
