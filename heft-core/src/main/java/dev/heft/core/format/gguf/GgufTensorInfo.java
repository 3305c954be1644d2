package dev.heft.core.format.gguf;

import dev.heft.core.tensor.DType;
import dev.heft.core.tensor.Shapes;
import java.util.Arrays;

/**
 * One {@code gguf_tensor_info_t} as stored: the name, the dimensions in ggml order ({@code ne[0]}, the contiguous row
 * length, first), the ggml type, and the data offset <em>relative to the data section</em> (docs/gguf.md: "relative to
 * tensor_data, not to the start of the file"). {@link GgufFile#absoluteOffset(GgufTensorInfo)} gives the file offset.
 *
 * @param name           the tensor's name
 * @param ggmlDims       {@code ne[0..n_dims)}, innermost first, exactly as the file lists them
 * @param type           the element type ({@code ggml_type})
 * @param relativeOffset offset of the data from the start of the data section; a multiple of the alignment
 * @param bytes          exact bytes of the data, {@code type.bytesFor(elements)}, without alignment padding
 */
public record GgufTensorInfo(String name, long[] ggmlDims, DType type, long relativeOffset, long bytes) {

    public GgufTensorInfo {
        ggmlDims = ggmlDims.clone();
    }

    @Override
    public long[] ggmlDims() {
        return ggmlDims.clone();
    }

    /** Outermost-first shape, as torch and safetensors list it. */
    public long[] logicalShape() {
        return Shapes.fromGgmlOrder(ggmlDims);
    }

    public long elements() {
        return Shapes.elements(ggmlDims);
    }

    public int ggmlTypeId() {
        return type.ggmlId();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GgufTensorInfo t
                && name.equals(t.name)
                && Arrays.equals(ggmlDims, t.ggmlDims)
                && type == t.type
                && relativeOffset == t.relativeOffset
                && bytes == t.bytes;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(ggmlDims);
    }

    @Override
    public String toString() {
        return name + " " + Arrays.toString(ggmlDims) + " " + type + " @" + relativeOffset + " (" + bytes + " bytes)";
    }
}
