/**
 * Keras model files: Keras 3 {@code .keras} archives and {@code .weights.h5}, and legacy Keras 2 / tf.keras
 * {@code .h5} models and weights, read header-only through jhdf (HDF5 object headers give each variable's dtype and
 * shape; no dataset data is read).
 *
 * <p>Entry point: {@link dev.heft.core.format.keras.KerasReader}. The archive's central directory is read with the
 * shared {@link dev.heft.core.format.zip.ZipDirectory} (bounds-checked, traversal and duplicate names refused); a
 * STORED {@code model.weights.h5} is read in place through a window channel, a DEFLATED one is extracted to a capped
 * temporary file. Trainable vs non-trainable (Keras' {@code summary()} split) is decided by {@code VariableKind} from
 * the layer config and the variable layout.
 */
package dev.heft.core.format.keras;
