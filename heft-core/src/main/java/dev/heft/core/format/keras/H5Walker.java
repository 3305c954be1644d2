package dev.heft.core.format.keras;

import dev.heft.core.error.CorruptModelException;
import dev.heft.core.error.UnsupportedModelException;
import dev.heft.core.tensor.DType;
import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.jhdf.api.dataset.ContiguousDataset;
import io.jhdf.object.datatype.DataType;
import io.jhdf.object.datatype.EnumDataType;
import io.jhdf.object.datatype.FixedPoint;
import io.jhdf.object.datatype.FloatingPoint;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Lists every dataset of an HDF5 file from object headers only (jhdf loads headers lazily; {@code getData} is never
 * called). Links are not followed: a soft or external link could point outside the file or back up the tree.
 * Depth and node count are capped so a cyclic or hostile group structure ends with an error, not a hang.
 */
final class H5Walker {
    static final int MAX_DEPTH = 32;
    static final int MAX_NODES = 1_000_000;

    private final Path file;
    private final List<H5Variable> variables = new ArrayList<>();
    private int nodes;
    private int skippedLinks;

    private H5Walker(Path file) {
        this.file = file;
    }

    record Listing(List<H5Variable> variables, int skippedLinks) {}

    static Listing list(HdfFile hdf, Path file) {
        H5Walker w = new H5Walker(file);
        w.walk(hdf, 0);
        return new Listing(List.copyOf(w.variables), w.skippedLinks);
    }

    private void walk(Group group, int depth) {
        if (depth > MAX_DEPTH) {
            throw new UnsupportedModelException(
                    file,
                    group.getPath(),
                    "HDF5 groups nest deeper than " + MAX_DEPTH + " levels; Keras files are a few levels deep");
        }
        for (Node child : group.getChildren().values()) {
            if (++nodes > MAX_NODES) {
                throw new UnsupportedModelException(
                        file,
                        child.getPath(),
                        "more than " + MAX_NODES + " HDF5 objects; heft stops here rather than walk a hostile file");
            }
            if (child.isLink()) {
                skippedLinks++;
            } else if (child instanceof Dataset d) {
                variables.add(variable(d));
            } else if (child instanceof Group g) {
                walk(g, depth + 1);
            }
        }
    }

    private H5Variable variable(Dataset d) {
        String path = d.getPath().startsWith("/") ? d.getPath().substring(1) : d.getPath();
        int[] dims = d.isScalar() ? new int[0] : d.getDimensions();
        long[] shape = new long[dims.length];
        long elements = 1;
        for (int i = 0; i < dims.length; i++) {
            CorruptModelException.verify(dims[i] >= 0, file, -1, path + ": negative dimension " + dims[i]);
            shape[i] = dims[i];
            elements = Math.multiplyExact(elements, dims[i]);
        }
        DType dtype = dtype(path, d.getDataType());
        long bytes = Math.multiplyExact(elements, (long) d.getDataType().getSize());
        long address = -1;
        if (d instanceof ContiguousDataset c) {
            long a = c.getDataAddress();
            // HDF5 "undefined address" (all ones) means storage was never allocated (an empty dataset).
            address = a < 0 ? -1 : a;
        }
        return new H5Variable(path, shape, dtype, address, bytes);
    }

    /** HDF5 datatype message (class, size) to a heft dtype: the types h5py writes for numpy arrays. */
    private DType dtype(String path, DataType t) {
        int size = t.getSize();
        DType d = switch (t) {
            case FloatingPoint f ->
                switch (size) {
                    case 2 -> DType.F16;
                    case 4 -> DType.F32;
                    case 8 -> DType.F64;
                    default -> null;
                };
            case FixedPoint f ->
                switch (size) {
                    case 1 -> f.isSigned() ? DType.I8 : DType.U8;
                    case 2 -> f.isSigned() ? DType.I16 : DType.U16;
                    case 4 -> f.isSigned() ? DType.I32 : DType.U32;
                    case 8 -> f.isSigned() ? DType.I64 : DType.U64;
                    default -> null;
                };
            // h5py stores numpy bool as an 8-bit enum {FALSE, TRUE}.
            case EnumDataType e when size == 1 -> DType.BOOL;
            default -> null;
        };
        if (d == null) {
            throw new UnsupportedModelException(
                    file,
                    path,
                    "HDF5 datatype " + t.getClass().getSimpleName() + " of " + size
                            + " bytes; heft reads IEEE floats, integers and h5py booleans");
        }
        return d;
    }
}
