package dev.heft.core.format.pytorch;

import dev.heft.core.format.ModelReader;
import dev.heft.core.format.pytorch.TorchZipCheckpoints.Kind;
import dev.heft.core.tensor.ModelFormat;
import dev.heft.core.tensor.TensorInventory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumSet;

/** {@link ModelReader} for TorchScript archives (torch.jit.save); code is never run; see {@link PyTorchCheckpointReader}. */
public final class TorchScriptReader implements ModelReader {
    @Override
    public ModelFormat format() {
        return ModelFormat.TORCHSCRIPT;
    }

    @Override
    public boolean recognises(byte[] head, Path path) throws IOException {
        return TorchZipCheckpoints.isZipOfKind(head, path, EnumSet.of(Kind.TORCHSCRIPT));
    }

    @Override
    public TensorInventory read(Path path) throws IOException {
        return new PyTorchCheckpointReader().read(path).toInventory();
    }
}
