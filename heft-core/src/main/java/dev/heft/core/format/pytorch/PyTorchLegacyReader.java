package dev.heft.core.format.pytorch;

import dev.heft.core.format.ModelReader;
import dev.heft.core.tensor.ModelFormat;
import dev.heft.core.tensor.TensorInventory;
import java.io.IOException;
import java.nio.file.Path;

/** {@link ModelReader} for legacy (pre-1.6) torch.save files; see {@link PyTorchCheckpointReader}. */
public final class PyTorchLegacyReader implements ModelReader {
    @Override
    public ModelFormat format() {
        return ModelFormat.PYTORCH_LEGACY;
    }

    @Override
    public boolean recognises(byte[] head, Path path) throws IOException {
        return LegacyCheckpoints.recognises(head);
    }

    @Override
    public TensorInventory read(Path path) throws IOException {
        return new PyTorchCheckpointReader().read(path).toInventory();
    }
}
