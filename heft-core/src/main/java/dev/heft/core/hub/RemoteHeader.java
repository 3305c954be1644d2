package dev.heft.core.hub;

import dev.heft.core.format.gguf.GgufFile;
import dev.heft.core.format.pytorch.TorchCheckpoint;
import dev.heft.core.format.safetensors.SafetensorsHeader;

/**
 * A remote file's header, parsed and checked: the formats heft reads over HTTP without their tensor data (for a
 * PyTorch checkpoint, its zip directory and pickle).
 */
public sealed interface RemoteHeader {

    record Safetensors(SafetensorsHeader header) implements RemoteHeader {}

    record Gguf(GgufFile file) implements RemoteHeader {}

    record PyTorch(TorchCheckpoint checkpoint) implements RemoteHeader {}
}
