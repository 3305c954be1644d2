package dev.heft.core.precision;

import dev.heft.core.compress.GgufFormat;
import dev.heft.core.compress.LinearQuantFormat;
import dev.heft.core.compress.PlainFormat;
import dev.heft.core.compress.PrecisionFormat;
import dev.heft.core.compress.StoredTensor;
import dev.heft.core.quant.QuantScheme;
import dev.heft.core.tensor.Shapes;
import java.util.Optional;

/**
 * One precision as every command understands it: the name a user typed, how a model is stored in it (for
 * {@code memory --dtype}, {@code compress --quant}, {@code fit}) and how its round trip is computed (for
 * {@code quant-error --scheme}), where heft implements one. {@link Precisions#parse} gives it for any name either
 * command accepts.
 *
 * @param name      the name as typed, trimmed
 * @param storage   the stored layout, when heft can plan it (empty for pruning)
 * @param roundTrip the quantize/dequantize kernel quant-error measures, when heft implements it (empty for llama.cpp
 *                  file types that mix several block types, the 16-bit floats, MXFP4, LLM.int8 and FP8 with
 *                  per-channel or block scales)
 */
public record Precision(String name, Optional<PrecisionFormat> storage, Optional<QuantScheme> roundTrip) {

    public Precision {
        if (storage.isEmpty() && roundTrip.isEmpty()) {
            throw new IllegalArgumentException(name + ": a precision needs a storage layout or a round trip");
        }
    }

    /** One line for humans: the storage description, or the round trip's name. */
    public String description() {
        return storage.map(PrecisionFormat::description)
                .orElseGet(() -> "round trip only: " + roundTrip.orElseThrow().name());
    }

    /**
     * Bytes of one weight of logical {@code shape} ([..., out, in]) stored this way, when the layout alone decides
     * it: a plain type, a packed format's tensors (scales and zero points included), or a llama.cpp file type's
     * starting type (its per-tensor rules may raise or lower it; plan the whole model for those). Empty when the row
     * does not fill whole blocks or heft has no layout.
     */
    public Optional<Long> bytesFor(long[] shape) {
        if (storage.isEmpty() || shape.length == 0) {
            return Optional.empty();
        }
        long elements = Shapes.elements(shape);
        return switch (storage.get()) {
            case PlainFormat p -> Optional.of(p.dtype().bytesFor(elements));
            case GgufFormat g ->
                shape[shape.length - 1] % g.fileType().defaultType().blockElements() == 0
                        ? Optional.of(g.fileType().defaultType().bytesFor(elements))
                        : Optional.empty();
            case LinearQuantFormat f -> {
                if (shape.length < 2
                        || f.unsupportedShape(shape[shape.length - 2], shape[shape.length - 1])
                                .isPresent()) {
                    yield Optional.empty();
                }
                long n = 0;
                for (StoredTensor s : f.store("w", shape)) {
                    n = Math.addExact(n, s.bytes());
                }
                yield Optional.of(n);
            }
        };
    }
}
