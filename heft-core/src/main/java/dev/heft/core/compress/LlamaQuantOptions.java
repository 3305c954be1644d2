package dev.heft.core.compress;

import dev.heft.core.tensor.DType;
import java.util.Optional;

/**
 * The llama-quantize flags that change which type a tensor gets (tools/quantize/quantize.cpp, struct
 * llama_model_quantize_params).
 *
 * @param pure                {@code --pure}: every quantizable tensor gets the default type, no mix rules, no fallbacks
 * @param leaveOutputTensor   {@code --leave-output-tensor}: output.weight is not quantized (quantize_output_tensor = false)
 * @param outputTensorType    {@code --output-tensor-type}
 * @param tokenEmbeddingType  {@code --token-embedding-type}
 * @param importanceMatrix    whether an importance matrix ({@code --imatrix}) is given; changes IQ3_XXS, IQ4_NL/IQ4_XS
 *                            and Q4_0/Q5_0 choices, and llama-quantize refuses the lowest-bit types without one
 */
public record LlamaQuantOptions(
        boolean pure,
        boolean leaveOutputTensor,
        Optional<DType> outputTensorType,
        Optional<DType> tokenEmbeddingType,
        boolean importanceMatrix) {

    public LlamaQuantOptions {
        outputTensorType = outputTensorType == null ? Optional.empty() : outputTensorType;
        tokenEmbeddingType = tokenEmbeddingType == null ? Optional.empty() : tokenEmbeddingType;
    }

    /** llama-quantize's defaults, assuming an importance matrix exactly when the file type cannot be made without one. */
    public static LlamaQuantOptions defaults(LlamaFileType ftype) {
        return new LlamaQuantOptions(false, false, Optional.empty(), Optional.empty(), ftype.needsImportanceMatrix());
    }

    public LlamaQuantOptions withPure(boolean newPure) {
        return new LlamaQuantOptions(
                newPure, leaveOutputTensor, outputTensorType, tokenEmbeddingType, importanceMatrix);
    }

    public LlamaQuantOptions withImportanceMatrix(boolean given) {
        return new LlamaQuantOptions(pure, leaveOutputTensor, outputTensorType, tokenEmbeddingType, given);
    }
}
