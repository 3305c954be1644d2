package dev.heft.core.tensor;

import java.nio.file.Path;
import java.util.Optional;

/**
 * One stored tensor as a file describes it.
 *
 * @param name       the tensor's name in the file
 * @param shape      logical shape, outermost dimension first (GGUF's reversed order is undone by {@link Shapes#fromGgmlOrder})
 * @param dtype      element type as stored
 * @param role       what the tensor is to the model (weights vs quantization overhead, buffers, constants, optimizer state)
 * @param parameters logical parameter count: equals the element count for plain weights; differs for packed storage
 *                   (an int4 GPTQ {@code qweight} stored as I32 holds 8 parameters per element); 0 unless role is WEIGHT
 * @param offset     absolute byte offset of the data in {@code file}, or -1 when the data is not in a file heft mapped
 * @param bytes      exact stored bytes of the data
 * @param file       the file holding the data
 * @param packing    for a packed quantized weight, its layout and logical (unquantized) shape; then
 *                   {@code parameters} is the logical count
 */
public record Tensor(
        String name,
        long[] shape,
        DType dtype,
        TensorRole role,
        long parameters,
        long offset,
        long bytes,
        Path file,
        Optional<Packing> packing) {

    public Tensor {
        if (name == null || shape == null || dtype == null || role == null) {
            throw new IllegalArgumentException("tensor name, shape, dtype and role are required");
        }
        shape = shape.clone();
        if (parameters < 0 || bytes < 0) {
            throw new IllegalArgumentException("negative parameters or bytes for " + name);
        }
        if (role != TensorRole.WEIGHT && parameters != 0) {
            throw new IllegalArgumentException(name + ": only WEIGHT tensors carry parameters");
        }
        packing = packing == null ? Optional.empty() : packing;
        if (packing.isPresent() && (role != TensorRole.WEIGHT || packing.get().parameters() != parameters)) {
            throw new IllegalArgumentException(
                    name + ": a packed weight's parameters are its logical shape's elements");
        }
    }

    /** A tensor as a reader finds it: not (yet) recognised as packed. */
    public Tensor(
            String name,
            long[] shape,
            DType dtype,
            TensorRole role,
            long parameters,
            long offset,
            long bytes,
            Path file) {
        this(name, shape, dtype, role, parameters, offset, bytes, file, Optional.empty());
    }

    /** A plain weight whose parameters are its elements. */
    public static Tensor weight(String name, long[] shape, DType dtype, long offset, long bytes, Path file) {
        return new Tensor(name, shape, dtype, TensorRole.WEIGHT, Shapes.elements(shape), offset, bytes, file);
    }

    /** Stored elements (product of the shape), whatever their role. */
    public long elements() {
        return Shapes.elements(shape);
    }

    public int rank() {
        return shape.length;
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** The shape of the weight this tensor stands for: the logical shape when packed, else the stored shape. */
    public long[] logicalShape() {
        return packing.map(Packing::logicalShape).orElseGet(this::shape);
    }

    /** Same tensor with another role; parameters follow the role (kept only for WEIGHT), a packing is dropped. */
    public Tensor withRole(TensorRole newRole) {
        return new Tensor(
                name, shape, dtype, newRole, newRole == TensorRole.WEIGHT ? elements() : 0, offset, bytes, file);
    }

    /** Same tensor as a packed quantized weight: its parameters are the packing's logical count. */
    public Tensor packed(Packing p) {
        return new Tensor(name, shape, dtype, TensorRole.WEIGHT, p.parameters(), offset, bytes, file, Optional.of(p));
    }

    /** Same tensor as a weight holding {@code logicalParameters} parameters (packed storage). */
    public Tensor withParameters(long logicalParameters) {
        return new Tensor(name, shape, dtype, TensorRole.WEIGHT, logicalParameters, offset, bytes, file);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Tensor t
                && name.equals(t.name)
                && java.util.Arrays.equals(shape, t.shape)
                && dtype == t.dtype
                && role == t.role
                && parameters == t.parameters
                && offset == t.offset
                && bytes == t.bytes
                && java.util.Objects.equals(file, t.file)
                && packing.equals(t.packing);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + java.util.Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + " " + Shapes.format(shape) + " " + dtype + " (" + bytes + " bytes)";
    }
}
