package dev.heft.core.arch.hf;

import dev.heft.core.error.InvalidInputException;
import dev.heft.core.json.JsonValue.JsonObject;
import java.util.Optional;

/**
 * Entry point: parameter, buffer and per-class counts for a Hugging Face {@code config.json}, as transformers 5 builds
 * the model on the meta device, without materialising any tensor. Exact for the families {@link HfModelType} lists;
 * any other config is counted from the generic transformer shape ({@link GenericTransformer}) and says so, with its
 * bound, in {@link HfArchitecture#accuracy()}.
 */
public final class HfArchitectures {
    private HfArchitectures() {}

    /**
     * Counts the model a config describes.
     *
     * @throws InvalidInputException when a key of an exact family has the wrong type or an impossible value, or a config
     *                               of another family holds no transformer shape (no width and layer count) to count
     */
    public static HfArchitecture count(JsonObject config) {
        String modelType = modelType(config);
        Optional<HfModelType> exact = modelType == null ? Optional.empty() : HfModelType.of(modelType);
        String id = exact.map(HfModelType::id).orElse(modelType == null ? "unknown" : modelType);
        try {
            if (exact.isPresent()) {
                return exact.get().count(new HfConfig(config, id));
            }
            return GenericTransformer.count(new HfConfig(config, id));
        } catch (ArithmeticException e) {
            throw new InvalidInputException(
                    "config.json: sizes of model_type '" + id + "' overflow a 64-bit parameter count", e);
        } catch (InvalidInputException e) {
            if (modelType == null) {
                throw new InvalidInputException(
                        "config.json: key 'model_type' missing, and "
                                + e.getMessage().replaceFirst("^config.json: ", ""),
                        e);
            }
            throw e;
        }
    }

    /** Whether heft counts this {@code model_type} module by module (exactly) rather than approximately. */
    public static boolean countsExactly(String modelType) {
        return HfModelType.of(modelType).isPresent();
    }

    private static String modelType(JsonObject config) {
        try {
            return config.getString("model_type", null);
        } catch (RuntimeException e) {
            throw new InvalidInputException("config.json: key 'model_type' must be a string", e);
        }
    }
}
