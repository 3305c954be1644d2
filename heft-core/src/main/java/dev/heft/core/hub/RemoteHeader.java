package dev.heft.core.hub;

import dev.heft.core.format.gguf.GgufFile;
import dev.heft.core.format.safetensors.SafetensorsHeader;

/** A remote file's header, parsed and checked: the two formats heft reads from header bytes alone. */
public sealed interface RemoteHeader {

    record Safetensors(SafetensorsHeader header) implements RemoteHeader {}

    record Gguf(GgufFile file) implements RemoteHeader {}
}
