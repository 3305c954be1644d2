package dev.heft.core.arch.hf;

import java.util.Arrays;
import java.util.List;

/**
 * Which Hugging Face families heft counts exactly and how well it approximates the rest: what {@code heft catalog
 * --families} lists. The exact list is {@link HfModelType} (one constant per family, each tested against
 * transformers' own counts); every other {@code model_type} is counted by {@link GenericTransformer} within the bounds
 * of its tier.
 */
public final class HfFamilies {
    private HfFamilies() {}

    /**
     * A tier of the generic approximation.
     *
     * @param tier         what the generic reader recognised
     * @param typicalBound relative error 9 in 10 held-out configs of the tier stayed within
     * @param worstSeen    the largest relative error seen in the tier
     */
    public record ApproximationTier(String tier, double typicalBound, double worstSeen) {}

    /** The {@code model_type}s counted exactly, module by module. */
    public static List<String> exact() {
        return HfModelType.supported();
    }

    /** The tiers any other {@code model_type} is approximated in, with their measured bounds. */
    public static List<ApproximationTier> approximationTiers() {
        return Arrays.stream(GenericTransformer.Tier.values())
                .map(t -> new ApproximationTier(t.label, t.typical, t.worst))
                .toList();
    }

    /** How the approximation bounds were measured. */
    public static String approximationBasis() {
        return GenericTransformer.BASIS;
    }
}
