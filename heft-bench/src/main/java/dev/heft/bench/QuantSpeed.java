package dev.heft.bench;

import dev.heft.core.format.Formats;
import dev.heft.core.quant.QuantErrorOptions;
import dev.heft.core.quant.QuantErrorReport;
import dev.heft.core.quant.QuantErrorScanner;
import dev.heft.core.quant.QuantScheme;
import dev.heft.core.tensor.TensorInventory;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Whole-process timing of the quant-error scan on a real file (until the CLI command exists). With {@code --make GB}
 * it first writes a safetensors file of F32 [4096, 4096] N(0, 0.02) tensors of about that size, streaming, so the
 * writer never holds more than one tensor.
 *
 * <p>Usage: {@code QuantSpeed FILE [--make GB] [--schemes q8_0,q4_0] [--threads N]}
 */
public final class QuantSpeed {
    private QuantSpeed() {}

    public static void main(String[] args) throws IOException {
        Path file = Path.of(args[0]);
        double makeGb = 0;
        String schemes = "q8_0";
        int threads = Runtime.getRuntime().availableProcessors();
        for (int i = 1; i < args.length; i += 2) {
            switch (args[i]) {
                case "--make" -> makeGb = Double.parseDouble(args[i + 1]);
                case "--schemes" -> schemes = args[i + 1];
                case "--threads" -> threads = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (makeGb > 0 && !Files.exists(file)) {
            writeSafetensors(file, makeGb);
        }
        TensorInventory inv = Formats.require(file).read(file);
        var os = (com.sun.management.OperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        for (String s : schemes.split(",")) {
            List<QuantScheme> one = QuantScheme.parseList(s);
            long t0 = System.nanoTime();
            long c0 = os.getProcessCpuTime();
            QuantErrorReport r = QuantErrorScanner.scan(
                    inv, one, QuantErrorOptions.defaults().withThreads(threads), (a, b, c, d) -> {});
            double sec = (System.nanoTime() - t0) / 1e9;
            double cpu = (os.getProcessCpuTime() - c0) / 1e9;
            long bytes = inv.tensorBytes();
            QuantErrorReport.SchemeError o = r.overall().getFirst();
            // CPU seconds matter on a shared machine: GB per CPU-second x cores is what an idle box would reach
            System.out.printf(
                    "%-12s %d tensors, %.3f GB F32 in %.2f s wall = %.3f GB/s; %.2f CPU s = %.3f GB/s per core"
                            + " (threads %d, kernel %s) rmse %.6g%n",
                    s,
                    o.tensors(),
                    bytes / 1e9,
                    sec,
                    bytes / 1e9 / sec,
                    cpu,
                    bytes / 1e9 / cpu,
                    threads,
                    r.kernel(),
                    o.rmse());
        }
    }

    /** safetensors: u64 LE header length, JSON header, then the raw little-endian data. */
    static void writeSafetensors(Path file, double gb) throws IOException {
        int rows = 4096;
        int cols = 4096;
        long tensorBytes = 4L * rows * cols;
        int count = (int) Math.max(1, Math.ceil(gb * 1e9 / tensorBytes));
        StringBuilder h = new StringBuilder("{");
        for (int t = 0; t < count; t++) {
            h.append(t == 0 ? "" : ",")
                    .append("\"layers.")
                    .append(t)
                    .append(".weight\":{\"dtype\":\"F32\",\"shape\":[")
                    .append(rows)
                    .append(',')
                    .append(cols)
                    .append("],\"data_offsets\":[")
                    .append(t * tensorBytes)
                    .append(',')
                    .append((t + 1) * tensorBytes)
                    .append("]}");
        }
        h.append('}');
        while ((h.length() + 8) % 8 != 0) {
            h.append(' ');
        }
        byte[] header = h.toString().getBytes(StandardCharsets.UTF_8);
        SplittableRandom r = new SplittableRandom(42);
        ByteBuffer buf = ByteBuffer.allocate((int) tensorBytes).order(ByteOrder.LITTLE_ENDIAN);
        try (OutputStream out = Files.newOutputStream(file)) {
            ByteBuffer len =
                    ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length);
            out.write(len.array());
            out.write(header);
            for (int t = 0; t < count; t++) {
                buf.clear();
                for (int i = 0; i < rows * cols; i++) {
                    buf.putFloat((float) r.nextGaussian() * 0.02f);
                }
                out.write(buf.array());
            }
        }
    }
}
