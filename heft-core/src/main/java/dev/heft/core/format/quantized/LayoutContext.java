package dev.heft.core.format.quantized;

import dev.heft.core.tensor.Tensor;
import java.util.Map;
import java.util.Optional;

/** What a layout may look at: every tensor by name, the config's quantization keys, and the small-tensor reader. */
record LayoutContext(Map<String, Tensor> byName, QuantizationConfig config, SmallTensors small) {

    Optional<Tensor> get(String name) {
        return Optional.ofNullable(byName.get(name));
    }
}
