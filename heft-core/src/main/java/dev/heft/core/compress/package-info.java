/**
 * Precision planning: which type or packed format every tensor of a model gets, and exactly how many bytes it takes.
 * No quantization kernels live here (those are in {@code dev.heft.core.quant}); this is arithmetic over names and
 * shapes.
 *
 * <ul>
 *   <li>{@link dev.heft.core.compress.PrecisionFormats#parse} turns what a user types ("q4_k_m", "gptq-4bit-g128",
 *       "nf4-dq", "fp8-block128", "mxfp4", ...) into a {@link dev.heft.core.compress.PrecisionFormat}.</li>
 *   <li>{@link dev.heft.core.compress.CompressionPlanner#plan} plans any format over a list of
 *       {@link dev.heft.core.compress.TensorSpec}s (llama.cpp-style names; map Hugging Face names first with
 *       {@link dev.heft.core.compress.HfTensorNames#map}) and returns a {@link dev.heft.core.compress.QuantPlan}:
 *       per tensor the encoding, the stored tensors, bytes and the reason; totals, bits per weight, savings vs fp16.</li>
 *   <li>{@link dev.heft.core.compress.LlamaQuantPlanner} is the port of llama-quantize's per-tensor type rules
 *       (llama.cpp c392e50 src/llama-quant.cpp), checked tensor by tensor against files llama-quantize wrote.</li>
 *   <li>{@link dev.heft.core.compress.PackedWeights#reinterpret} goes the other way for stored files: it recognises
 *       GPTQ/AWQ/bitsandbytes/MXFP4/FP8 tensors in an inventory, gives packed weights their logical parameter counts
 *       and marks scales and zero points as quantization overhead.</li>
 * </ul>
 */
package dev.heft.core.compress;
