package dev.heft.core.compress;

import dev.heft.core.error.InvalidInputException;
import dev.heft.core.tensor.DType;
import dev.heft.core.tensor.Shapes;
import dev.heft.core.tensor.TensorRole;
import java.util.Arrays;

/**
 * One tensor a format writes to disk for a planned weight: the weight itself (possibly packed), or its scales, zero
 * points and indices.
 *
 * @param name  full stored name ({@code model.layers.0.mlp.down_proj.qweight}, {@code blk.0.ffn_down.weight})
 * @param shape stored shape, outermost first
 * @param dtype stored element type
 * @param role  {@link TensorRole#WEIGHT} for the tensor holding the weight values, {@link TensorRole#QUANT_OVERHEAD}
 *              for scales, zero points, group indices and code books
 * @param bytes exact stored bytes
 */
public record StoredTensor(String name, long[] shape, DType dtype, TensorRole role, long bytes) {

    public StoredTensor {
        shape = shape.clone();
        if (bytes < 0) {
            throw new IllegalArgumentException("negative bytes for " + name);
        }
    }

    /** A tensor of whole blocks of {@code dtype}; bytes follow from the shape. */
    static StoredTensor of(String name, DType dtype, TensorRole role, long... shape) {
        try {
            return new StoredTensor(name, shape, dtype, role, dtype.bytesFor(Shapes.elements(shape)));
        } catch (ArithmeticException e) {
            throw new InvalidInputException(
                    name + ": " + Shapes.format(shape) + " " + dtype + " takes more than 2^63 bytes");
        }
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StoredTensor t
                && name.equals(t.name)
                && Arrays.equals(shape, t.shape)
                && dtype == t.dtype
                && role == t.role
                && bytes == t.bytes;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + " " + Shapes.format(shape) + " " + dtype + " (" + bytes + " bytes)";
    }
}
