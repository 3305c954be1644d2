package dev.heft.core.format.pytorch;

import dev.heft.core.format.ModelReader;
import dev.heft.core.format.pytorch.TorchZipCheckpoints.Kind;
import dev.heft.core.tensor.ModelFormat;
import dev.heft.core.tensor.TensorInventory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumSet;

/** {@link ModelReader} for zip-format PyTorch checkpoints (torch.save since 1.6); see {@link PyTorchCheckpointReader}. */
public final class PyTorchZipReader implements ModelReader {
    @Override
    public ModelFormat format() {
        return ModelFormat.PYTORCH;
    }

    @Override
    public boolean recognises(byte[] head, Path path) throws IOException {
        return TorchZipCheckpoints.isZipOfKind(head, path, EnumSet.of(Kind.CHECKPOINT, Kind.DAMAGED_CHECKPOINT));
    }

    @Override
    public TensorInventory read(Path path) throws IOException {
        return new PyTorchCheckpointReader().read(path).toInventory();
    }
}
