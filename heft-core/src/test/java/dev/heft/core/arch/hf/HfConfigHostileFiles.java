package dev.heft.core.arch.hf;

import static dev.heft.core.testing.HostileCase.Expected.REFUSED;

import dev.heft.core.testing.HostileCase;
import java.nio.file.Files;
import java.util.List;

/**
 * Hostile Hugging Face {@code config.json} files for the shared corpus: sizes that are each allowed but multiply past
 * any model, a layer count sized to allocate per layer, and a model_type that would drive a terminal.
 */
public final class HfConfigHostileFiles {
    private HfConfigHostileFiles() {}

    public static List<HostileCase> cases() {
        return List.of(
                config(
                        "hf-params-2^60",
                        "a llama config whose embedding alone holds 2^60 parameters",
                        "{\"model_type\": \"llama\", \"hidden_size\": 1073741824, \"vocab_size\": 1073741824, "
                                + "\"intermediate_size\": 1, \"num_hidden_layers\": 1, \"num_attention_heads\": 1}"),
                config(
                        "hf-layers-2^40",
                        "a llama config of 2^40 layers",
                        "{\"model_type\": \"llama\", \"hidden_size\": 64, \"vocab_size\": 100, \"intermediate_size\": "
                                + "128, \"num_hidden_layers\": 1099511627776, \"num_attention_heads\": 4}"),
                config(
                        "hf-model-type-controls",
                        "a model_type holding ESC, BEL and a newline",
                        "{\"model_type\": \"llama\\u001b]0;pwned\\u0007\\nheft: fake\", \"hidden_size\": 64}"));
    }

    private static HostileCase config(String id, String claim, String json) {
        return new HostileCase(id, claim, REFUSED, dir -> Files.writeString(dir.resolve("config.json"), json));
    }
}
