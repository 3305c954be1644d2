package dev.heft.core.service;

import dev.heft.core.api.report.CatalogReport;
import dev.heft.core.api.request.CatalogRequest;
import dev.heft.core.arch.catalog.CatalogEntry;
import dev.heft.core.arch.catalog.LlmCatalog;
import dev.heft.core.arch.hf.HfArchitecture;
import dev.heft.core.arch.hf.HfFamilies;
import dev.heft.core.arch.vision.VisionCatalog;
import dev.heft.core.arch.vision.VisionModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@code heft catalog}: the built-in models, counted by the engine from their published configs. */
public final class CatalogService {
    private CatalogService() {}

    public static CatalogReport run() {
        return run(CatalogRequest.defaults());
    }

    public static CatalogReport run(CatalogRequest request) {
        if (request.families()) {
            return new CatalogReport(List.of(), Optional.of(families()));
        }
        return new CatalogReport(Rows.ALL, Optional.empty());
    }

    /**
     * The rows, counted once per process on first use: they depend only on the built-in configs, and counting every
     * model builds each one's modules (about 70 MB of allocation), which {@code /api/catalog} would otherwise repeat on
     * every request (a fuzz input of 13 bytes was charged 70 MB by the per-input allocation budget).
     */
    private static final class Rows {
        static final List<CatalogReport.Entry> ALL = count();
    }

    private static List<CatalogReport.Entry> count() {
        List<CatalogReport.Entry> rows = new ArrayList<>();
        for (CatalogEntry e : LlmCatalog.all()) {
            HfArchitecture a = e.architecture();
            rows.add(new CatalogReport.Entry(
                    e.id(),
                    e.name(),
                    "llm",
                    Optional.of(a.modelType()),
                    Optional.empty(),
                    a.counts().parameters(),
                    Optional.empty(),
                    Optional.empty(),
                    e.source()));
        }
        for (VisionModel m : VisionCatalog.all()) {
            rows.add(new CatalogReport.Entry(
                    m.name(),
                    m.name(),
                    "vision",
                    Optional.empty(),
                    Optional.of(m.family()),
                    m.counts().parameters(),
                    Optional.of(m.flops().flops()),
                    Optional.of(m.defaultInput().dims()),
                    m.source()));
        }
        return List.copyOf(rows);
    }

    /** The model types counted exactly (HfModelType) and the approximation tiers with their measured errors. */
    private static CatalogReport.Families families() {
        List<CatalogReport.Tier> tiers = HfFamilies.approximationTiers().stream()
                .map(t -> new CatalogReport.Tier(t.tier(), t.typicalBound(), t.worstSeen()))
                .toList();
        return new CatalogReport.Families(
                HfFamilies.exact(),
                new CatalogReport.Approximate("every other model_type", tiers, HfFamilies.approximationBasis()));
    }
}
