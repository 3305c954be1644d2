package dev.heft.core.api.report;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code heft inspect}: exact weight accounting of stored weights (schema {@value #SCHEMA}).
 *
 * @param model                  the model as the user named it
 * @param format                 the file format ({@code gguf}, {@code safetensors}, ...)
 * @param files                  every file read, in order
 * @param parameters             stored weight elements, each tensor once (a tied head that is not stored is not
 *                               invented)
 * @param tensors                how many tensors the files hold
 * @param tensorBytes            bytes of every tensor (weights, quantization overhead, buffers)
 * @param weightBytes            bytes of the weight tensors alone
 * @param bitsPerParameter       {@code tensorBytes x 8 / parameters}
 * @param byKind                 parameters per layer kind, largest first
 * @param byKindDetail           per layer kind: parameters, bytes, tensors and bias parameters
 * @param byDtype                per stored dtype
 * @param byRole                 per tensor role (weight, quant_overhead, buffer, constant, optimizer_state)
 * @param blocks                 repeated blocks (a transformer's layers), per container
 * @param quantOverhead          bytes of quantization scales, zero points and indices: stored, not parameters
 * @param packedLayouts          packed quantized weights (GPTQ, AWQ, bitsandbytes, ...) by layout, counted at the
 *                               unquantized layers' shapes
 * @param tiedHead               whether the output head shares the token embedding, when that can be told
 * @param largest                the ten largest tensors
 * @param other                  names of tensors no layer kind matched
 * @param metadata               the file's own metadata (GGUF keys, safetensors {@code __metadata__}); long arrays are
 *                               summarised as {@code {type, length}}
 * @param tensorList             every tensor, with {@code --tensors}
 * @param source                 where the weights were found when the MODEL was a store's or a URL's (a Hub repo, the
 *                               HF cache, an https:// file, an Ollama model); absent for a path
 * @param transferredBytes       response body bytes received over the network for it (0 from a store on disk)
 */
public record InspectReport(
        String model,
        String format,
        List<String> files,
        long parameters,
        long tensors,
        long tensorBytes,
        long weightBytes,
        double bitsPerParameter,
        long embeddingParameters,
        long nonEmbeddingParameters,
        long biasParameters,
        Map<String, Long> byKind,
        Map<String, KindDetail> byKindDetail,
        Map<String, DtypeDetail> byDtype,
        Map<String, RoleDetail> byRole,
        List<BlockStack> blocks,
        QuantOverhead quantOverhead,
        List<PackedLayout> packedLayouts,
        Optional<TiedHead> tiedHead,
        List<TensorEntry> largest,
        List<String> other,
        List<String> notes,
        Map<String, Object> metadata,
        @OmitWhenEmpty Optional<List<TensorEntry>> tensorList,
        @OmitWhenEmpty Optional<Source> source,
        @OmitWhenEmpty Optional<Long> transferredBytes)
        implements Report {
    public static final String SCHEMA = "heft.inspect/1";

    @Override
    public String schema() {
        return SCHEMA;
    }

    public record KindDetail(long parameters, long bytes, long tensors, long biasParameters) {}

    /**
     * Where stored weights were found.
     *
     * @param kind     {@code hf} (the Hub over HTTP), {@code hf-cache}, {@code url} or {@code ollama}
     * @param id       the repo ({@code OWNER/NAME}), the URL, or the Ollama {@code NAME:TAG}
     * @param revision the revision asked for (Hub and HF cache)
     * @param commit   what it resolved to: the Hub's {@code X-Repo-Commit}, the cache snapshot, the Ollama model digest
     * @param location the endpoint, the snapshot folder, or the blob
     * @param requests HTTP requests sent (0 when none)
     */
    public record Source(
            String kind,
            String id,
            Optional<String> revision,
            Optional<String> commit,
            Optional<String> location,
            int requests) {}

    public record DtypeDetail(long parameters, long bytes, long tensors) {}

    public record RoleDetail(long elements, long bytes, long tensors) {}

    /** A stack of numbered blocks under one container ({@code model.layers}, {@code blk}). */
    public record BlockStack(String container, long blocks, long minParameters, long maxParameters, long parameters) {}

    public record TiedHead(boolean tied, String reason) {}

    /** @param shareOfTensorBytes overhead bytes / tensor bytes */
    public record QuantOverhead(long bytes, double shareOfTensorBytes) {}

    /**
     * One packed quantized layout.
     *
     * @param layout        the storage layout ({@code gptq}, {@code awq-gemm}, {@code bnb-nf4}, ...)
     * @param method        the quantization method the layout stores
     * @param bits          bits per weight of the packed values (absent when mixed, as in EXL2)
     * @param parameters    logical weights: the unquantized layers' elements
     * @param bytes         the packed weight bytes
     * @param overheadBytes the layout's scales, zero points and indices
     * @param bitsPerWeight (bytes + overhead) x 8 / parameters
     */
    public record PackedLayout(
            String layout,
            String method,
            Optional<Integer> bits,
            long tensors,
            long parameters,
            long bytes,
            long overheadBytes,
            double bitsPerWeight) {}

    /**
     * One stored tensor. {@code logical_shape} and {@code packing} are given for packed quantized weights (the shape
     * of the layer they hold); {@code kind}, {@code part}, {@code bias} and {@code block} (its classification) in
     * {@code tensor_list} only.
     */
    public record TensorEntry(
            String name,
            List<Long> shape,
            String dtype,
            String role,
            long parameters,
            long bytes,
            long offset,
            Optional<String> file,
            @OmitWhenEmpty Optional<List<Long>> logicalShape,
            @OmitWhenEmpty Optional<String> packing,
            @OmitWhenEmpty Optional<String> kind,
            @OmitWhenEmpty Optional<String> part,
            @OmitWhenEmpty Optional<Boolean> bias,
            @OmitWhenEmpty Optional<Integer> block) {}
}
