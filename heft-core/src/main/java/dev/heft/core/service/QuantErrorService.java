package dev.heft.core.service;

import dev.heft.core.api.report.QuantErrorReport;
import dev.heft.core.api.report.QuantErrorReport.SchemeError;
import dev.heft.core.api.report.QuantErrorReport.Skipped;
import dev.heft.core.api.report.QuantErrorReport.TensorError;
import dev.heft.core.api.request.QuantErrorRequest;
import dev.heft.core.error.InvalidInputException;
import dev.heft.core.model.ResolvedModel;
import dev.heft.core.precision.Precisions;
import dev.heft.core.quant.QuantErrorOptions;
import dev.heft.core.quant.QuantErrorProgress;
import dev.heft.core.quant.QuantErrorScanner;
import dev.heft.core.quant.QuantScheme;
import dev.heft.core.tensor.DType;
import dev.heft.core.tensor.Tensor;
import dev.heft.core.tensor.TensorRole;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * {@code heft quant-error}: the quantize -> dequantize round trip (or magnitude pruning) of every floating-point tensor
 * of a real file, streamed from the file, with RMSE, max error, SQNR and cosine per tensor and overall, and the tensors
 * each scheme hurts most (a ranking to turn into a {@code --keep} list).
 */
public final class QuantErrorService {
    private QuantErrorService() {}

    public static QuantErrorReport run(ResolvedModel model, QuantErrorRequest request, QuantErrorProgress progress) {
        if (!(model instanceof ResolvedModel.Stored stored)) {
            throw new InvalidInputException("'" + model.label() + "' has no weights to measure: quant-error reads a "
                    + "real file (safetensors, GGUF F32/F16/BF16, PyTorch, ONNX)");
        }
        List<QuantScheme> schemes = new ArrayList<>();
        for (String s : request.schemes()) {
            add(schemes, Precisions.roundTrips(s).getFirst(), s);
        }
        for (String s : request.prune()) {
            add(schemes, Precisions.roundTrips(s).getFirst(), s);
        }
        QuantErrorOptions defaults = QuantErrorOptions.defaults();
        QuantErrorOptions opts = new QuantErrorOptions(
                request.threads().orElse(defaults.threads()),
                defaults.chunkBytes(),
                request.includeVectors(),
                request.top());
        refuseQuantized(stored);
        var r = QuantErrorScanner.scan(stored.inventory(), schemes, opts, progress);
        List<SchemeError> overall = r.overall().stream()
                .map(s -> new SchemeError(
                        s.scheme(),
                        s.tensors(),
                        s.elements(),
                        s.rmse(),
                        s.maxAbsErr(),
                        finite(s.sqnrDb()),
                        s.cosine(),
                        s.mostSensitive()))
                .toList();
        List<TensorError> tensors = r.tensors().stream()
                .map(t -> new TensorError(
                        t.tensor(), t.scheme(), t.elements(), t.rmse(), t.maxAbsErr(), finite(t.sqnrDb()), t.cosine()))
                .toList();
        List<Skipped> skipped = r.skipped().stream()
                .map(s -> new Skipped(s.tensor(), s.scheme() == null ? "" : s.scheme(), s.reason()))
                .toList();
        return new QuantErrorReport(
                stored.label(),
                r.kernel(),
                overall,
                tensors,
                skipped,
                List.of("sqnr_db is null where the round trip is exact (infinite SQNR) or the tensor is all zeros; "
                        + "llama.cpp types reproduce llama.cpp's reference quantizers bit for bit"));
    }

    /**
     * A file whose weights are all already quantized (a Q4_K_M GGUF, a GPTQ checkpoint) has nothing to round-trip:
     * say so, instead of a table of zero tensors with a perfect cosine.
     */
    private static void refuseQuantized(ResolvedModel.Stored stored) {
        Map<String, Integer> quantized = new TreeMap<>();
        boolean floatMatrix = false;
        for (Tensor t : stored.inventory().tensors()) {
            if (t.role() != TensorRole.WEIGHT) {
                continue;
            }
            if (t.packing().isPresent() || !MEASURABLE.contains(t.dtype())) {
                quantized.merge(
                        t.packing().map(p -> p.layout()).orElse(t.dtype().displayName()), 1, Integer::sum);
            } else if (t.logicalShape().length >= 2) {
                floatMatrix = true;
            }
        }
        if (!floatMatrix && !quantized.isEmpty()) {
            int n = quantized.values().stream().mapToInt(Integer::intValue).sum();
            throw new InvalidInputException(stored.label() + ": its weights are already quantized (" + n
                    + " tensors: "
                    + quantized.entrySet().stream()
                            .map(e -> e.getKey() + " x" + e.getValue())
                            .collect(Collectors.joining(", "))
                    + "); quant-error measures the round trip "
                    + "from float weights, so run it on the F32/F16/BF16 file this one was made from");
        }
    }

    /** The element types quant-error round-trips from. */
    private static final Set<DType> MEASURABLE = EnumSet.of(DType.F32, DType.F16, DType.BF16, DType.F64);

    private static void add(List<QuantScheme> schemes, QuantScheme q, String typed) {
        if (schemes.contains(q)) {
            throw new InvalidInputException("scheme: '" + typed + "' is listed twice");
        }
        schemes.add(q);
    }

    private static Optional<Double> finite(double v) {
        return Double.isFinite(v) ? Optional.of(v) : Optional.empty();
    }
}
