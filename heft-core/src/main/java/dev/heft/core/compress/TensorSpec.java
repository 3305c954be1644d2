package dev.heft.core.compress;

import dev.heft.core.error.InvalidInputException;
import dev.heft.core.tensor.DType;
import dev.heft.core.tensor.Shapes;
import dev.heft.core.tensor.Tensor;
import dev.heft.core.tensor.TensorInventory;
import dev.heft.core.tensor.TensorRole;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One tensor to plan: its llama.cpp-style name ({@code blk.0.attn_v.weight}; see {@link HfTensorNames} for Hugging Face
 * names), its logical shape outermost first (a Linear weight is {@code [out, in]}; the last dimension is ggml's
 * {@code ne[0]}, the contiguous row length every block-quantized type must divide), and the type it is stored in now.
 *
 * @param sourceType the type the tensor has before planning; tensors a format leaves unquantized keep it (llama.cpp's
 *                   converters write 1-D tensors as F32, so that is what a GGUF plan normally starts from)
 */
public record TensorSpec(String name, long[] shape, DType sourceType) {

    public TensorSpec {
        if (name == null || name.isEmpty() || shape == null || sourceType == null) {
            throw new IllegalArgumentException("tensor name, shape and source type are required");
        }
        shape = shape.clone();
        try {
            Shapes.elements(shape); // rejects negative dimensions and overflow up front
        } catch (ArithmeticException | IllegalArgumentException e) {
            throw new InvalidInputException("tensor " + name + ": shape " + Arrays.toString(shape)
                    + " has a negative dimension or more than 2^63 elements");
        }
    }

    /**
     * The weights of a stored inventory (a GGUF file, or safetensors after {@link HfTensorNames#map}) as planner
     * input, in logical shape and stored type. Recognised packed quantized weights are planned at their logical shape
     * from bf16; a packed count without a recognised layout cannot be planned from (its stored shape is not the
     * layer's).
     */
    public static List<TensorSpec> fromInventory(TensorInventory inventory) {
        List<TensorSpec> out = new ArrayList<>();
        for (Tensor t : inventory.tensors()) {
            if (t.role() != TensorRole.WEIGHT) {
                continue;
            }
            if (t.packing().isPresent()) {
                // A recognised packed weight: its logical shape is the layer's; its values are dequantized to bf16.
                out.add(new TensorSpec(t.name(), t.logicalShape(), DType.BF16));
                continue;
            }
            if (t.parameters() != t.elements()) {
                throw new InvalidInputException("tensor " + t.name() + " is packed (" + t.parameters()
                        + " parameters in " + t.elements() + " stored elements); plan from the unquantized model");
            }
            out.add(new TensorSpec(t.name(), t.shape(), t.dtype()));
        }
        return out;
    }

    public static TensorSpec of(String name, DType sourceType, long... shape) {
        return new TensorSpec(name, shape, sourceType);
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    public long elements() {
        return Shapes.elements(shape);
    }

    /** ggml's {@code ne[0]}: the innermost (last logical) dimension, 1 for a scalar. */
    public long rowLength() {
        return shape.length == 0 ? 1 : shape[shape.length - 1];
    }

    /**
     * ggml_n_dims: the rank once trailing ggml dimensions of size 1 are dropped (a logical {@code [1, 256]} is 1-D to
     * ggml), never less than 1.
     */
    public int ggmlDims() {
        // ggml ne[i] = shape[rank-1-i]; find the highest i with ne[i] > 1.
        for (int i = shape.length - 1; i >= 1; i--) {
            if (shape[shape.length - 1 - i] > 1) {
                return i + 1;
            }
        }
        return 1;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorSpec t
                && name.equals(t.name)
                && Arrays.equals(shape, t.shape)
                && sourceType == t.sourceType;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + " " + Shapes.format(shape) + " " + sourceType;
    }
}
