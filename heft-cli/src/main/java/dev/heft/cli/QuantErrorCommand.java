package dev.heft.cli;

import dev.heft.core.quant.QuantErrorProgress;
import dev.heft.core.service.Options;
import dev.heft.core.service.QuantErrorService;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "quant-error", description = {"Measured quantization error on real weights: every floating-point "
        + "tensor goes through each scheme's quantize -> dequantize round trip, streamed from the file. llama.cpp types "
        + "reproduce llama.cpp bit for bit."})
final class QuantErrorCommand implements Callable<Integer> {
    @Parameters(paramLabel = "PATH", description = "A model file or directory (safetensors, GGUF F32/F16/BF16, "
            + "PyTorch, ONNX).")
    String model;

    @Option(names = "--scheme", description = "Comma-separated: q8_0, q4_0, q4_1, q5_0, q5_1, q2_k..q6_k, iq4_nl, "
            + "iq4_xs, int8-channel, int4-g128 (any group), nf4, nf4-dq, fp8-e4m3, fp8-e5m2 (default "
            + QuantErrorService.DEFAULT_SCHEMES + ").")
    String scheme;

    @Option(names = "--prune", description = "Magnitude pruning round trip, e.g. magnitude:0.5.")
    String prune;

    @Option(names = "--threads", description = "Worker threads (default: all cores).")
    String threads;

    @Option(names = "--include-vectors", description = "Also measure 1-D tensors (norms, biases).")
    boolean includeVectors;

    @Option(names = "--rows", description = "Worst rows to print (default 20; --json lists all).")
    String rows;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() throws Exception {
        Map<String, Object> o = new HashMap<>();
        o.put("scheme", scheme);
        o.put("prune", prune);
        o.put("threads", threads);
        o.put("rows", rows);
        if (includeVectors) {
            o.put("include-vectors", true);
        }
        QuantErrorProgress progress = System.console() != null && System.console().isTerminal()
                ? new ProgressBar(System.err) : QuantErrorProgress.NONE;
        try {
            return output.print(QuantErrorService.run(Models.resolve(model), Options.of(o), progress));
        } finally {
            if (progress instanceof ProgressBar bar) {
                bar.finish();
            }
        }
    }

    /** tensors, GB, GB/s and ETA on one stderr line, redrawn in place; only when stderr is a terminal. */
    static final class ProgressBar implements QuantErrorProgress {
        private final PrintStream err;
        private final long start = System.nanoTime();
        private long lastDraw;

        ProgressBar(PrintStream err) {
            this.err = err;
        }

        @Override
        public void progress(int tensorsDone, int tensorsTotal, long bytesDone, long bytesTotal) {
            long now = System.nanoTime();
            if (now - lastDraw < 100_000_000L && bytesDone < bytesTotal) {
                return;
            }
            lastDraw = now;
            double s = (now - start) / 1e9;
            double rate = s > 0 ? bytesDone / s : 0;
            double eta = rate > 0 ? (bytesTotal - bytesDone) / rate : 0;
            err.printf(Locale.ROOT, "\r%d/%d tensors  %.2f/%.2f GB  %.2f GB/s  ETA %.0f s   ", tensorsDone,
                    tensorsTotal, bytesDone / 1e9, bytesTotal / 1e9, rate / 1e9, eta);
            err.flush();
        }

        void finish() {
            err.print("\r\033[K");
            err.flush();
        }
    }
}
