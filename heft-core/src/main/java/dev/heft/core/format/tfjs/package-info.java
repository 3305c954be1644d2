/**
 * TF.js models: a {@code model.json} whose {@code weightsManifest} names binary shard files (tfjs-core
 * {@code io/types.ts}, {@code io/weights_loader.ts}). Weights are located by position in each group's concatenated
 * shards; shard sizes are checked against the manifest, never read. Entry point:
 * {@link dev.heft.core.format.tfjs.TfjsReader}.
 */
package dev.heft.core.format.tfjs;
