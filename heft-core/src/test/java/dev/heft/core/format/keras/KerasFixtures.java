package dev.heft.core.format.keras;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Generates Keras fixtures with jhdf's HDF5 writer and java.util.zip, in the layouts Keras writes (there is no
 * Python/h5py here to run Keras itself). The model, in both layouts:
 *
 * <pre>
 *   Dense(20 -> 16)          kernel [20, 16], bias [16]
 *   BatchNormalization(16)   gamma, beta [16] (trainable); moving_mean, moving_variance [16] (non-trainable)
 *   Dropout                  Keras 3 only: seed_generator/vars/0, int32 [2] RNG state
 *   Dense(16 -> 3)           kernel [16, 3], bias [3]
 * </pre>
 *
 * Keras 3 ({@code keras/src/saving/saving_lib.py}, H5IOStore): {@code layers/<name>/vars/<i>} in variable order and
 * {@code optimizer/vars/<i>} (Keras' empty top-level {@code vars} group is left out: jhdf 0.10 cannot write an empty
 * group readably). Legacy Keras 2 ({@code hdf5_format.save_model_to_hdf5}):
 * {@code model_weights/<layer>/<layer>/<var>:0} plus root attributes {@code model_config}, {@code keras_version},
 * {@code backend}. Each dataset's values are {@code seed + 0.5 * i} so tests can find them at reported offsets.
 */
final class KerasFixtures {
    static final int IN = 20, HIDDEN = 16, OUT = 3;

    private KerasFixtures() {}

    static final String CONFIG = """
            {"module": "keras", "class_name": "Sequential", "config": {"name": "sequential", "trainable": true,
             "layers": [
              {"module": "keras.layers", "class_name": "InputLayer", "config": {"name": "input_layer", "batch_shape": [null, 20]}},
              {"module": "keras.layers", "class_name": "Dense", "config": {"name": "dense", "trainable": true, "units": 16}},
              {"module": "keras.layers", "class_name": "BatchNormalization", "config": {"name": "batch_normalization", "trainable": true}},
              {"module": "keras.layers", "class_name": "Dropout", "config": {"name": "dropout", "trainable": true, "rate": 0.5}},
              {"module": "keras.layers", "class_name": "Dense", "config": {"name": "dense_1", "trainable": %s, "units": 3}}
             ]}}""";

    static float[] vector(int n, float seed) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = seed + 0.5f * i;
        }
        return v;
    }

    static float[][] matrix(int rows, int cols, float seed) {
        float[][] m = new float[rows][cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                m[r][c] = seed + 0.5f * (r * cols + c);
            }
        }
        return m;
    }

    /** A Keras 3 {@code model.weights.h5}; {@code optimizer} adds an iteration counter and one momentum slot. */
    static Path keras3Weights(Path out, boolean optimizer) {
        try (WritableHdfFile h5 = HdfFile.write(out)) {
            WritableGroup layers = h5.putGroup("layers");
            WritableGroup dense = layers.putGroup("dense").putGroup("vars");
            dense.putDataset("0", matrix(IN, HIDDEN, 1));
            dense.putDataset("1", vector(HIDDEN, 2));
            WritableGroup bn = layers.putGroup("batch_normalization").putGroup("vars");
            for (int i = 0; i < 4; i++) {
                bn.putDataset(Integer.toString(i), vector(HIDDEN, 10 + i));
            }
            layers.putGroup("dropout")
                    .putGroup("seed_generator")
                    .putGroup("vars")
                    .putDataset("0", new int[] {0, 42});
            WritableGroup dense1 = layers.putGroup("dense_1").putGroup("vars");
            dense1.putDataset("0", matrix(HIDDEN, OUT, 3));
            dense1.putDataset("1", vector(OUT, 4));
            // Keras also writes an empty top-level "vars" group; jhdf 0.10's writer produces an unreadable file for
            // an empty group (its children lookup fails), so the fixture leaves it out.
            if (optimizer) {
                WritableGroup opt = h5.putGroup("optimizer").putGroup("vars");
                opt.putDataset("0", new long[] {7});
                opt.putDataset("1", matrix(IN, HIDDEN, 5));
            }
        }
        return out;
    }

    /** A legacy Keras 2 full-model {@code .h5}; {@code frozenHead} marks dense_1 {@code trainable: false}. */
    static Path legacyModel(Path out, boolean frozenHead) {
        try (WritableHdfFile h5 = HdfFile.write(out)) {
            h5.putAttribute("model_config", CONFIG.formatted(!frozenHead));
            h5.putAttribute("keras_version", "2.15.0");
            h5.putAttribute("backend", "tensorflow");
            WritableGroup weights = h5.putGroup("model_weights");
            WritableGroup dense = weights.putGroup("dense").putGroup("dense");
            dense.putDataset("kernel:0", matrix(IN, HIDDEN, 1));
            dense.putDataset("bias:0", vector(HIDDEN, 2));
            WritableGroup bn = weights.putGroup("batch_normalization").putGroup("batch_normalization");
            bn.putDataset("gamma:0", vector(HIDDEN, 10));
            bn.putDataset("beta:0", vector(HIDDEN, 11));
            bn.putDataset("moving_mean:0", vector(HIDDEN, 12));
            bn.putDataset("moving_variance:0", vector(HIDDEN, 13));
            WritableGroup dense1 = weights.putGroup("dense_1").putGroup("dense_1");
            dense1.putDataset("kernel:0", matrix(HIDDEN, OUT, 3));
            dense1.putDataset("bias:0", vector(OUT, 4));
            h5.putGroup("optimizer_weights").putGroup("Adam").putDataset("iter:0", new long[] {7});
        }
        return out;
    }

    /** A {@code .keras} archive around a Keras 3 weights file, every entry STORED or every entry DEFLATED. */
    static Path kerasArchive(Path dir, String name, boolean stored) throws IOException {
        Path weights = keras3Weights(dir.resolve(name + ".weights.h5.tmp"), true);
        byte[] h5 = Files.readAllBytes(weights);
        Files.delete(weights);
        Path out = dir.resolve(name);
        try (OutputStream os = Files.newOutputStream(out);
                ZipOutputStream zip = new ZipOutputStream(os)) {
            entry(
                    zip,
                    "metadata.json",
                    "{\"keras_version\": \"3.6.0\", \"date_saved\": \"2026-11-28@06:00:00\"}"
                            .getBytes(StandardCharsets.UTF_8),
                    stored);
            entry(zip, "config.json", CONFIG.formatted(true).getBytes(StandardCharsets.UTF_8), stored);
            entry(zip, KerasReader.WEIGHTS_ENTRY, h5, stored);
        }
        return out;
    }

    static void entry(ZipOutputStream zip, String name, byte[] data, boolean stored) throws IOException {
        ZipEntry e = new ZipEntry(name);
        if (stored) {
            CRC32 crc = new CRC32();
            crc.update(data);
            e.setMethod(ZipEntry.STORED);
            e.setSize(data.length);
            e.setCompressedSize(data.length);
            e.setCrc(crc.getValue());
        } else {
            e.setMethod(ZipEntry.DEFLATED);
        }
        zip.putNextEntry(e);
        zip.write(data);
        zip.closeEntry();
    }
}
