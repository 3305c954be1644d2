/**
 * Quantization kernels and the {@code quant-error} engine: how much error each compression scheme puts into a real
 * model's weights.
 *
 * <h2>Entry points</h2>
 * <ul>
 * <li>{@link dev.heft.core.quant.QuantErrorScanner#scan} - streams every F32/F16/BF16/F64 weight tensor of a
 * {@link dev.heft.core.tensor.TensorInventory} from its files (positional reads), runs each
 * {@link dev.heft.core.quant.QuantScheme} and returns a {@link dev.heft.core.quant.QuantErrorReport}: per (tensor, scheme) rmse, max |error|, SQNR (dB),
 * cosine similarity and element count; per scheme the same over all tensors and the tensors with the lowest SQNR
 * (the candidates for a {@code --keep} list); and every skipped (tensor, scheme) with the reason.</li>
 * <li>{@link dev.heft.core.quant.QuantScheme#parseList} - the {@code --scheme} syntax
 * ({@code q8_0,q4_k,int8-channel,int4-g128,nf4,nf4-dq,fp8-e4m3,fp8-e5m2,magnitude:0.5}).</li>
 * <li>{@link dev.heft.core.quant.GgmlQuantType} - ggml's block quantizers byte for byte (Q4_0, Q4_1, Q5_0, Q5_1,
 * Q8_0, Q2_K..Q6_K, IQ4_NL, IQ4_XS), usable on their own to write or read blocks.</li>
 * <li>{@link dev.heft.core.quant.HalfFloats} - fp16/bf16 conversions as ggml rounds them.</li>
 * </ul>
 *
 * <h2>Ground truth</h2>
 * The ggml ports reproduce the bytes llama-quantize (llama.cpp c392e509) wrote into ../shared/fixtures/gguf for every
 * quantized tensor, and the round-trip error of llama-quantize-stats and gguf-py's expected.json. The other schemes
 * follow the library conventions written on each {@link dev.heft.core.quant.QuantScheme} record; they are tested by
 * properties (error within half a step, exact on representable values, exact pruning counts), because no reference
 * output of bitsandbytes/AWQ/torch is in the shared fixtures.
 *
 * <h2>Kernels</h2>
 * Hot loops sit behind the package-private sealed {@code ErrorKernel} (scalar reference and a jdk.incubator.vector
 * twin, chosen once; {@code -Dheft.quant.kernel=scalar} forces the reference). The k-quant candidate search also has a
 * vector twin. Twins must give bit-identical quantized values; tests run both.
 */
package dev.heft.core.quant;
