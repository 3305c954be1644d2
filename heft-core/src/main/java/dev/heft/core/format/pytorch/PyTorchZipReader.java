package dev.heft.core.format.pytorch;

import dev.heft.core.format.ModelReader;
import dev.heft.core.tensor.ModelFormat;
import dev.heft.core.tensor.TensorInventory;
import java.io.IOException;
import java.nio.file.Path;

/** {@link ModelReader} for zip-format PyTorch checkpoints (torch.save since 1.6); see {@link PyTorchCheckpointReader}. */
public final class PyTorchZipReader implements ModelReader {
    @Override
    public ModelFormat format() {
        return ModelFormat.PYTORCH;
    }

    @Override
    public boolean recognises(byte[] head, Path path) throws IOException {
        return recognisesZip(head, path, false);
    }

    @Override
    public TensorInventory read(Path path) throws IOException {
        return new PyTorchCheckpointReader().read(path).toInventory();
    }

    /** A zip whose first entry's folder holds data.pkl, of the wanted kind (TorchScript or not). */
    private static boolean recognisesZip(byte[] head, Path path, boolean torchScript) throws IOException {
        return dev.heft.core.format.zip.ZipDirectory.looksLikeZip(head)
                && TorchZipCheckpoints.kind(path).map(k -> k == torchScript).orElse(false);
    }
}
