package dev.heft.core.plan;

import dev.heft.core.arch.hf.TransformerShape;
import dev.heft.core.compress.PlainFormat;
import dev.heft.core.model.ModelProfile;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The weight plans of a precision list, with the model's own precision (as stored or as published) among them once:
 * {@code native} asks for it, and a listed format that is the model's own ({@code bf16} for a model published in
 * bf16, {@code mxfp4} for gpt-oss) is that row, marked as such, not a second row beside it.
 */
public final class WeightPlans {
    /** The name in a precision list that stands for the default table of the model ({@code memory --dtypes}). */
    public static final String DEFAULT = "default";

    private WeightPlans() {}

    /**
     * Plans for {@code names} in order, each format once. A native name ({@link WeightPlan#isNativeName}) puts the
     * model's own precision at its place; a plain own type (bf16, fp16, fp32) that is also listed keeps that listed
     * place instead, so a bf16 model's table reads fp32, bf16, ... as any other's.
     */
    public static List<WeightPlan> of(ModelProfile m, List<String> names) {
        WeightPlan own = WeightPlan.of(m, null);
        boolean plainOwn = own.plan().isEmpty()
                || own.own()
                        .flatMap(o -> o.format())
                        .filter(f -> f instanceof PlainFormat)
                        .isPresent();
        boolean plainListed = plainOwn
                && names.stream()
                        .filter(n -> !WeightPlan.isNativeName(n))
                        .anyMatch(n -> n.trim().equalsIgnoreCase(own.format()));
        List<WeightPlan> out = new ArrayList<>();
        for (String name : names) {
            WeightPlan w;
            if (WeightPlan.isNativeName(name)) {
                if (plainListed) {
                    continue;
                }
                w = own;
            } else {
                w = WeightPlan.of(m, name.trim());
                if (sameFormat(w, own)) {
                    w = own;
                }
            }
            WeightPlan added = w;
            if (out.stream().noneMatch(x -> sameFormat(x, added))) {
                out.add(w);
            }
        }
        return out;
    }

    /**
     * {@code memory --dtypes}' rows when none are named: the model's own precision, the fixed table, and for MoE
     * models mxfp4 (which quantizes only experts, so it is left out for dense models, where it stores nothing).
     */
    public static List<String> defaultTable(ModelProfile m, List<String> table) {
        List<String> out = new ArrayList<>();
        out.add("native");
        out.addAll(table);
        if (m.shape().flatMap(TransformerShape::moe).isPresent()) {
            out.add("mxfp4");
        }
        return out;
    }

    /** Expands {@link #DEFAULT} in a list into {@link #defaultTable}. */
    public static List<String> expand(ModelProfile m, List<String> names, List<String> table) {
        List<String> out = new ArrayList<>();
        for (String n : names) {
            if (n.trim().toLowerCase(Locale.ROOT).equals(DEFAULT)) {
                out.addAll(defaultTable(m, table));
            } else {
                out.add(n);
            }
        }
        return out;
    }

    private static boolean sameFormat(WeightPlan a, WeightPlan b) {
        return a.format().equalsIgnoreCase(b.format());
    }
}
