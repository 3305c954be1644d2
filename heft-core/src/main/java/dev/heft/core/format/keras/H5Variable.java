package dev.heft.core.format.keras;

import dev.heft.core.tensor.DType;

/**
 * One HDF5 dataset as its object header describes it (no data read).
 *
 * @param path    the dataset's path without the leading '/', e.g. {@code layers/dense/vars/0}
 * @param shape   HDF5 dataspace dimensions (row-major, outermost first, as numpy and Keras see them)
 * @param address the contiguous data's address relative to the HDF5 file's start, or -1 (chunked, compact,
 *                or not yet allocated)
 */
record H5Variable(String path, long[] shape, DType dtype, long address, long bytes) {

    /** Path segments, e.g. {@code [layers, dense, vars, 0]}. */
    String[] segments() {
        return path.split("/");
    }
}
