package dev.heft.core.api.request;

import java.util.List;
import java.util.Optional;

/**
 * {@code heft compress}: at least one of quantization, pruning or distillation.
 *
 * @param quant        a precision to quantize to ({@code q4_k_m}, {@code awq}, {@code int8}, ...)
 * @param prune        unstructured ({@code 50%}, {@code 2:4}) or structured ({@code heads=16}, {@code layers=24},
 *                     {@code channels=50%}, {@code experts=4})
 * @param distill      a student: a catalog id, or a shape relative to the teacher ({@code layers=16})
 * @param keep         layer groups kept at higher precision: {@code embeddings,head=fp16}
 * @param sparseFormat storage for unstructured sparsity: bitmask, csr, 2:4
 * @param devices      the devices fits are checked on
 */
public record CompressRequest(
        Optional<String> quant,
        Optional<String> prune,
        Optional<String> distill,
        Optional<String> keep,
        Optional<String> sparseFormat,
        List<String> devices,
        Workload workload) {
    public CompressRequest {
        devices = List.copyOf(devices);
    }

    public static CompressRequest quantize(String format) {
        return new CompressRequest(
                Optional.of(format),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                FitRequest.DEFAULT_DEVICES,
                Workload.defaults());
    }
}
