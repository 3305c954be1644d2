package dev.heft.core.format.pytorch;

import dev.heft.core.error.UnsupportedModelException;
import dev.heft.core.format.pickle.PickleLimits;
import dev.heft.core.format.zip.EntrySource;
import dev.heft.core.format.zip.ZipDirectory;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The one entry point for every PyTorch file heft reads: zip-format checkpoints ({@code .bin}, {@code .pt},
 * {@code .pth}, {@code .ckpt} written by torch.save since 1.6), the legacy pre-1.6 format, and TorchScript archives.
 * Files are recognised by their bytes, never their extension. No tensor data is read and no pickle code runs.
 */
public final class PyTorchCheckpointReader {
    private final PickleLimits limits;

    public PyTorchCheckpointReader() {
        this(PickleLimits.DEFAULT);
    }

    public PyTorchCheckpointReader(PickleLimits limits) {
        this.limits = limits;
    }

    public TorchCheckpoint read(Path path) throws IOException {
        byte[] head = dev.heft.core.format.io.FileHead.read(path);
        if (LegacyCheckpoints.recognises(head)) {
            return LegacyCheckpoints.read(path, limits);
        }
        if (ZipDirectory.looksLikeZip(head)) {
            return TorchZipCheckpoints.read(path, limits);
        }
        throw notPyTorch(path);
    }

    /**
     * A zip-format checkpoint from its central directory and the bytes of the entries heft reads (data.pkl and the
     * small text entries), as over HTTP: no tensor data is needed, so none is fetched. Storage offsets are then -1.
     */
    public TorchCheckpoint read(ZipDirectory dir, EntrySource source, Path label) {
        return TorchZipCheckpoints.read(dir, source, label, limits);
    }

    /** Whether {@code head} (a file's first bytes) starts a legacy pre-1.6 torch.save file. */
    public static boolean isLegacy(byte[] head) {
        return LegacyCheckpoints.recognises(head);
    }

    private static UnsupportedModelException notPyTorch(Path path) {
        return new UnsupportedModelException(
                path,
                0L,
                "not a PyTorch checkpoint: neither a zip archive nor a legacy "
                        + "torch.save file (which starts with the pickled magic number 0x1950a86a20f9469cfc6c)");
    }
}
