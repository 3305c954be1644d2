/**
 * Parameter, buffer and per-class counts from a Hugging Face {@code config.json}, as transformers 5 builds the model
 * (on the meta device, no weights): exact for the {@code model_type}s {@link dev.heft.core.arch.hf.HfModelType} lists
 * (see {@link dev.heft.core.arch.hf.HfFamilies}), approximate with a measured bound for every other one
 * ({@code GenericTransformer}, {@link dev.heft.core.arch.hf.CountAccuracy}).
 *
 * <p>Entry point: {@link dev.heft.core.arch.hf.HfArchitectures#count}. Each family reader applies its
 * {@code *Config} class defaults and older key names, so the full {@code to_dict()} form and the minimal
 * {@code save_pretrained} form give the same result. Counting is arithmetic over module constructor arguments
 * ({@code ModuleTally} over {@link dev.heft.core.arch.ParameterTally}); no tensor list is built. The result carries a
 * family-independent {@link dev.heft.core.arch.hf.TransformerShape} for the memory and speed estimates, with
 * {@link dev.heft.core.arch.hf.TransformerShape#flopsPerToken(long)} in FlopCounterMode's convention.
 *
 * <p>Cost: counting the 83 catalog configs in a loop took about 1 µs of CPU per config (about 1 million per
 * CPU-second) on the shared 2-core development box at load average 21 (ThreadMXBean CPU time, 2026-11-28); the
 * per-tensor listing ({@link dev.heft.core.arch.hf.HfTensors}) is a separate, slower path.
 */
package dev.heft.core.arch.hf;
