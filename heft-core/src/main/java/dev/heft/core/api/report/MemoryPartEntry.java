package dev.heft.core.api.report;

/**
 * One part of a memory estimate with the arithmetic that produced it.
 *
 * @param part    {@code weights}, {@code kv_cache}, {@code activations}, {@code logits}, {@code gradients},
 *                {@code optimizer}, {@code autocast_copies} or {@code overhead}
 * @param formula the arithmetic in words and numbers
 */
public record MemoryPartEntry(String part, long bytes, String formula) {}
