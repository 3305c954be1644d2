package dev.heft.cli;

import dev.heft.core.api.Heft;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The training run for the launcher's second AOT cache, the one for {@code quant-error} (issue 12). That command runs
 * with other JVM flags than the header commands (the Vector API module on the module graph, the full JIT), and a JVM
 * only uses a cache made with its own module options, so it gets a cache of its own: the classes of the scan and the
 * Vector API's classes (hundreds, loaded from the jar and the runtime image in every run without it) and the scan's
 * method profiles. Measured on the 1.34 GB q8_0 scan: about 0.6 s less CPU per run (bench/RESULTS-quant.md). Not the
 * lambdas: JDK 25 archives no full module graph for a JVM started with {@code --add-modules}, and without it no
 * resolved lambdas or method handles either, so about 380 classes are still spun at run time (hence
 * {@link Heft#prepareQuantError()}).
 *
 * <p>The input is a small F32 safetensors file of normal-distributed weights in the temporary folder, scanned the
 * ways users scan (text and JSON, the fast legacy types and a K-quant); it is deleted afterwards.
 */
public final class QuantCdsTraining {
    /** Rows x columns of each training tensor: whole Q8_0/K-quant blocks, a few chunks per tensor. */
    private static final int ROWS = 256;

    private static final int COLS = 4096;
    private static final int TENSORS = 4;

    private QuantCdsTraining() {}

    /** The runs, in order (QuantCdsTrainingTest checks that each exits 0). */
    static List<String[]> runs(Path file) {
        String f = file.toString();
        return List.of(
                new String[] {"quant-error", "--scheme", "q8_0", f},
                new String[] {"quant-error", "--json", "--scheme", "q8_0,q4_0", f},
                new String[] {"quant-error", "--scheme", "q4_k", f});
    }

    public static void main(String[] args) throws IOException {
        QuantErrorMain.prepare(); // as the launcher's entry for quant-error does, so its classes are in the cache too
        Path dir = Files.createTempDirectory("heft-quant-training");
        Path file = dir.resolve("train-f32.safetensors");
        try {
            writeF32Safetensors(file);
            PrintWriter sink = new PrintWriter(OutputStream.nullOutputStream());
            for (String[] run : runs(file)) {
                var cl = HeftCli.newCommandLine(run);
                cl.setOut(sink);
                cl.setErr(sink);
                int code = cl.execute(run);
                if (code != 0) {
                    System.err.println("heft: quant-error training run '" + String.join(" ", run) + "' exited " + code);
                }
            }
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir);
        }
    }

    /** {@value #TENSORS} F32 tensors of [{@value #ROWS}, {@value #COLS}], N(0, 0.02) from a fixed seed. */
    static void writeF32Safetensors(Path file) throws IOException {
        long bytes = (long) ROWS * COLS * Float.BYTES;
        StringBuilder header = new StringBuilder("{");
        for (int t = 0; t < TENSORS; t++) {
            header.append(t == 0 ? "" : ",")
                    .append("\"layers.")
                    .append(t)
                    .append(".weight\":{\"dtype\":\"F32\",\"shape\":[")
                    .append(ROWS)
                    .append(',')
                    .append(COLS)
                    .append("],\"data_offsets\":[")
                    .append(t * bytes)
                    .append(',')
                    .append((t + 1) * bytes)
                    .append("]}");
        }
        byte[] json = header.append('}').toString().getBytes(StandardCharsets.UTF_8);
        SplittableRandom random = new SplittableRandom(12);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer head = ByteBuffer.allocate(8 + json.length).order(ByteOrder.LITTLE_ENDIAN);
            head.putLong(json.length).put(json).flip();
            ch.write(head);
            ByteBuffer row = ByteBuffer.allocate(COLS * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            for (int r = 0; r < TENSORS * ROWS; r++) {
                row.clear();
                for (int c = 0; c < COLS; c++) {
                    row.putFloat((float) (0.02 * random.nextGaussian()));
                }
                row.flip();
                while (row.hasRemaining()) {
                    ch.write(row);
                }
            }
        }
    }
}
