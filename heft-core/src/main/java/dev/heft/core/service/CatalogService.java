package dev.heft.core.service;

import dev.heft.core.arch.catalog.CatalogEntry;
import dev.heft.core.arch.catalog.LlmCatalog;
import dev.heft.core.arch.hf.HfArchitecture;
import dev.heft.core.arch.hf.HfFamilies;
import dev.heft.core.report.TextTable;
import dev.heft.core.report.Units;
import dev.heft.core.arch.vision.VisionCatalog;
import dev.heft.core.arch.vision.VisionModel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code heft catalog}: the built-in models, counted by the engine from their published configs. */
public final class CatalogService {
    public static final Set<String> OPTIONS = Set.of("families");

    private CatalogService() {
    }

    public static Result run(Options o) {
        o.requireOnly(OPTIONS);
        if (o.flag("families")) {
            return families();
        }
        List<Object> rows = new ArrayList<>();
        TextTable t = new TextTable("id", "name", "type", "parameters", "source");
        for (CatalogEntry e : LlmCatalog.all()) {
            HfArchitecture a = e.architecture();
            t.row(e.id(), e.name(), a.modelType(), Units.count(a.counts().parameters()), e.source());
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("id", e.id());
            r.put("name", e.name());
            r.put("kind", "llm");
            r.put("model_type", a.modelType());
            r.put("parameters", a.counts().parameters());
            r.put("source", e.source());
            rows.add(r);
        }
        TextTable v = new TextTable("id", "family", "parameters", "FLOPs at default input", "source");
        for (VisionModel m : VisionCatalog.all()) {
            long params = m.counts().parameters();
            long flops = m.flops().flops();
            v.row(m.name(), m.family(), Units.count(params), EstimateService.sci(flops), m.source());
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("id", m.name());
            r.put("name", m.name());
            r.put("kind", "vision");
            r.put("family", m.family());
            r.put("parameters", params);
            r.put("flops", flops);
            r.put("input", m.defaultInput().dims());
            r.put("source", m.source());
            rows.add(r);
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("schema", "heft.catalog/1");
        root.put("models", rows);
        return new Result(root, "Language, speech and encoder models (transformers configs)\n" + t.render()
                + "\nVision models (torchvision, built from their layer definitions)\n" + v.render());
    }

    /** Items joined by commas, two spaces of indent, lines kept under {@code width}. */
    private static String wrapped(List<String> items, int width) {
        StringBuilder out = new StringBuilder();
        StringBuilder line = new StringBuilder("  ");
        for (int i = 0; i < items.size(); i++) {
            String item = items.get(i) + (i + 1 < items.size() ? "," : "");
            if (line.length() > 2 && line.length() + 1 + item.length() > width) {
                out.append(line).append('\n');
                line = new StringBuilder("  ");
            }
            line.append(line.length() > 2 ? " " : "").append(item);
        }
        return out.append(line).append('\n').toString();
    }

    /** {@code heft catalog --families}: the model_types counted exactly, and how every other one is approximated. */
    private static Result families() {
        List<String> exact = HfFamilies.exact();
        List<Object> tiers = new ArrayList<>();
        TextTable t = new TextTable("generic shape recognised", "typical error (9 in 10)", "worst seen");
        for (HfFamilies.ApproximationTier tier : HfFamilies.approximationTiers()) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("tier", tier.tier());
            r.put("typical_relative_error_bound", tier.typicalBound());
            r.put("worst_relative_error_seen", tier.worstSeen());
            tiers.add(r);
            t.row(tier.tier(), "\u00b1" + Units.percent(tier.typicalBound()), Units.percent(tier.worstSeen()));
        }
        Map<String, Object> approx = new LinkedHashMap<>();
        approx.put("families", "every other model_type");
        approx.put("tiers", tiers);
        approx.put("basis", HfFamilies.approximationBasis());
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("schema", "heft.families/1");
        root.put("exact", exact);
        root.put("approximate", approx);
        String text = "Exact (" + exact.size() + " model_types, counted module by module as transformers builds them)\n"
                + wrapped(exact, 110) + "\nApproximate: every other model_type, counted from the generic "
                + "transformer shape\n" + t.render() + "\n(" + HfFamilies.approximationBasis() + ")\n";
        return new Result(root, text);
    }
}
