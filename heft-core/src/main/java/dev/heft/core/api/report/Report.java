package dev.heft.core.api.report;

/**
 * What a heft command answers: an immutable record whose components are its {@code --json} keys ({@link ReportJson}
 * writes and reads them), rendered as text, Markdown or CSV by the shared renderers. The family is closed so that every
 * renderer handles every report.
 */
public sealed interface Report
        permits InspectReport,
                EstimateReport,
                MemoryReport,
                TrainingReport,
                NetworkMemoryReport,
                FitReport,
                NetworkFitReport,
                SpeedReport,
                NetworkSpeedReport,
                CompressReport,
                QuantErrorReport,
                CompareReport,
                CatalogReport,
                DevicesReport,
                ModelsReport {

    /** The {@code schema} key: the report's name and version ({@code heft.memory/1}); bumped only on a breaking change. */
    String schema();
}
