package dev.heft.core.compress;

/**
 * Whether a precision format found anything to quantize in a model. A plan that quantized nothing is not a 0% saving:
 * reports show {@link NotApplicable} as "n/a" with its reason.
 */
public sealed interface Applicability {

    /** The format stored {@code quantized} of the {@code targets} tensors it aims at in its own encoding. */
    record Applies(int quantized, int targets) implements Applicability {}

    /** Nothing was quantized; {@code reason} says what the format targets and why this model has none of it. */
    record NotApplicable(String reason) implements Applicability {}
}
