package dev.heft.core.arch.hf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heft.core.error.InvalidInputException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The generic approximation's stated bounds hold on ground truth it was not tuned on: every config in
 * ../shared/ground-truth/hf-all-types and hf-family-counts.json whose model_type heft does NOT count exactly (default
 * and shrunken configs, counted by transformers 5.18). Each tier's 90th-percentile and worst relative errors must
 * stay within what {@link GenericTransformer.Tier} states; the measured table is printed so the bounds can be
 * re-derived. As families become exact they leave the held-out set.
 */
class GenericTransformerBoundTest {

    record Measured(String id, GenericTransformer.Tier tier, long expected, long approx) {
        double error() {
            return Math.abs((double) approx - expected) / expected;
        }
    }

    static List<Measured> heldOut() {
        List<Measured> out = new ArrayList<>();
        for (GroundTruthCases.Case c : GroundTruthCases.all()) {
            if (HfModelType.of(c.modelType()).isPresent() || c.params() <= 0) {
                continue;
            }
            HfArchitecture a;
            try {
                a = HfArchitectures.count(c.config());
            } catch (InvalidInputException e) {
                continue; // no transformer shape: refused with a clear error (counted in noShapeIsRare)
            }
            CountAccuracy.Approximate acc = (CountAccuracy.Approximate) a.accuracy();
            GenericTransformer.Tier tier = GenericTransformer.Tier.valueOf(tierName(acc.tier()));
            out.add(new Measured(c.id(), tier, c.params(), a.counts().parameters()));
        }
        return out;
    }

    private static String tierName(String label) {
        for (GenericTransformer.Tier t : GenericTransformer.Tier.values()) {
            if (t.label.equals(label)) {
                return t.name();
            }
        }
        throw new IllegalStateException(label);
    }

    @Test
    void everyTierStaysWithinItsStatedBound() {
        List<Measured> measured = heldOut();
        Map<GenericTransformer.Tier, List<Measured>> byTier = new EnumMap<>(GenericTransformer.Tier.class);
        measured.forEach(
                m -> byTier.computeIfAbsent(m.tier(), k -> new ArrayList<>()).add(m));
        StringBuilder report = new StringBuilder("generic approximation on held-out ground truth\n");
        for (Map.Entry<GenericTransformer.Tier, List<Measured>> e : byTier.entrySet()) {
            List<Measured> ms = e.getValue();
            ms.sort(Comparator.comparingDouble(Measured::error).reversed());
            double[] errs = ms.stream().mapToDouble(Measured::error).sorted().toArray();
            report.append(String.format(
                    Locale.ROOT,
                    "%s: n=%d median %.1f%% p90 %.1f%% worst %.1f%% (stated: p90 %.0f%%, worst %.0f%%)%n",
                    e.getKey(),
                    ms.size(),
                    100 * errs[errs.length / 2],
                    100 * p90(errs),
                    100 * errs[errs.length - 1],
                    100 * e.getKey().typical,
                    100 * e.getKey().worst));
            ms.stream()
                    .limit(12)
                    .forEach(m ->
                            report.append(String.format(Locale.ROOT, "   %-50s %6.1f%%%n", m.id(), 100 * m.error())));
        }
        // per model_type: the worst of its default and shrunken configs, for the record
        Map<String, Double> worstByType = new java.util.TreeMap<>();
        measured.forEach(m -> worstByType.merge(
                m.id().replaceFirst("/small$", "").replaceFirst("^[a-z]+:", ""), m.error(), Math::max));
        report.append("worst error per held-out model type:\n");
        worstByType.forEach((k, v) -> report.append(String.format(Locale.ROOT, "   %s %.1f%%%n", k, 100 * v)));
        System.out.println(report);
        assertThat(measured).as("held-out cases measured").hasSizeGreaterThan(300);
        for (Map.Entry<GenericTransformer.Tier, List<Measured>> e : byTier.entrySet()) {
            double[] errs =
                    e.getValue().stream().mapToDouble(Measured::error).sorted().toArray();
            assertThat(p90(errs))
                    .as(e.getKey() + " 90th percentile\n" + report)
                    .isLessThanOrEqualTo(e.getKey().typical);
            assertThat(errs[errs.length - 1])
                    .as(e.getKey() + " worst\n" + report)
                    .isLessThanOrEqualTo(e.getKey().worst);
        }
    }

    /** The error 9 in 10 cases stay within (nearest rank). */
    private static double p90(double[] sorted) {
        return sorted[Math.max(0, (int) Math.ceil(sorted.length * 0.9) - 1)];
    }
}
