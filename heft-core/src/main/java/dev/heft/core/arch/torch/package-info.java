/**
 * Analytic torch.nn: layers as {@link dev.heft.core.arch.torch.Module} trees that know their tensors (named as torch
 * names them), parameters and buffers, and propagate shapes to count FLOPs the way
 * {@code torch.utils.flop_counter.FlopCounterMode} does. {@link dev.heft.core.arch.torch.LayerSpec} reads a custom
 * network from JSON or YAML into a {@link dev.heft.core.arch.torch.CustomNetwork}.
 * <pre>{@code
 * CustomNetwork net = LayerSpec.parse(Path.of("net.json"));
 * ArchitectureCounts counts = net.counts();      // params, buffers, by torch class, by kind
 * List<NamedTensor> tensors = net.tensors();      // "0.weight" [64, 3, 7, 7] ...
 * FlopReport flops = net.flops(Shape.parse("1,3,224,224"));
 * }</pre>
 */
package dev.heft.core.arch.torch;
