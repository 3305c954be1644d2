package dev.heft.core.arch.hf;

import dev.heft.core.error.InvalidInputException;
import dev.heft.core.json.JsonValue.JsonObject;

/**
 * Entry point: exact parameter, buffer and per-class counts for a Hugging Face {@code config.json}, as transformers
 * 5 builds the model on the meta device, without materialising any tensor.
 */
public final class HfArchitectures {
    private HfArchitectures() {
    }

    /**
     * Counts the model a config describes.
     *
     * @throws InvalidInputException when {@code model_type} is missing or unsupported (the message lists the supported
     *                               ones), or a key has the wrong type or an impossible value
     */
    public static HfArchitecture count(JsonObject config) {
        HfModelType type = type(config);
        try {
            return type.count(new HfConfig(config, type.id()));
        } catch (ArithmeticException e) {
            throw new InvalidInputException("config.json: sizes of model_type '" + type.id()
                    + "' overflow a 64-bit parameter count", e);
        }
    }

    /** The supported family a config's {@code model_type} names. */
    static HfModelType type(JsonObject config) {
        String modelType;
        try {
            modelType = config.getString("model_type", null);
        } catch (RuntimeException e) {
            throw new InvalidInputException("config.json: key 'model_type' must be a string", e);
        }
        if (modelType == null) {
            throw new InvalidInputException("config.json: key 'model_type' missing; expected one of "
                    + String.join(", ", HfModelType.supported()));
        }
        return HfModelType.of(modelType).orElseThrow(() -> new InvalidInputException(
                "config.json: model_type '" + modelType + "' is not supported; supported: "
                        + String.join(", ", HfModelType.supported())));
    }
}
