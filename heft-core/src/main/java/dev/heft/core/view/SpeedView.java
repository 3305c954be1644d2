package dev.heft.core.view;

import static dev.heft.core.api.render.Document.field;

import dev.heft.core.api.render.Document;
import dev.heft.core.api.report.SpeedReport;
import dev.heft.core.report.Units;

/** {@code heft speed} for people: decode and prefill with the arithmetic behind them. */
public final class SpeedView {
    private SpeedView() {}

    /** "llama-3-8b as bf16 (as published) (14.96 GiB)". */
    private static String weights(SpeedReport r) {
        return r.model() + " as " + r.dtype()
                + r.dtypeOrigin().map(o -> " (" + o + ")").orElse("") + " (" + Units.bytes(r.weightsBytes()) + ")";
    }

    public static Document of(SpeedReport r) {
        if (r.noSpeedReason().isPresent()) {
            return Document.builder()
                    .fields(9, field("Model", weights(r)), field("Device", r.deviceName()))
                    .bullets("Warnings", r.warnings())
                    .paragraph("No speed: " + r.noSpeedReason().get())
                    .build();
        }
        String prefill = Units.fixed(r.prefillFlops().orElseThrow() / 1e12, 2) + " TFLOP for the prompt -> "
                + Units.fixed(r.prefillTokensPerS().orElseThrow(), 0) + " tokens/s";
        Document.Builder d = Document.builder()
                .fields(
                        9,
                        field("Model", weights(r)),
                        field(
                                "Device",
                                r.deviceName() + ": " + Units.fixed(r.bandwidthBytesPerS() / 1e9, 0) + " GB/s, "
                                        + Units.fixed(r.peakTflops(), 1) + " TFLOP/s " + r.computeDtype()),
                        field("Batch", r.batch() + ", context " + r.context() + ", prompt " + r.promptTokens()),
                        field("Runs", r.placement().orElse("")))
                .bullets("Warnings", r.warnings());
        if (r.decodeTokensPerS().isEmpty()) {
            // An encoder: one forward pass per input, no decode steps and no first token.
            return d.fields(9, field("Decode", "none (encoder-only)"), field("Prefill", prefill))
                    .bullets("Assumptions", r.assumptions())
                    .build();
        }
        double decode = r.decodeTokensPerS().orElseThrow();
        return d.fields(
                        9,
                        field(
                                "Decode",
                                Units.fixed(r.decodeMsPerToken().orElseThrow(), 3) + " ms per step = "
                                        + Units.bytes(r.decodeBytesPerStep().orElseThrow()) + " read per step -> "
                                        + Units.fixed(decode, 1) + " tokens/s (" + Units.fixed(decode / r.batch(), 1)
                                        + " per sequence)"),
                        field(
                                "Prefill",
                                prefill + "; time to first token "
                                        + Numbers.seconds(r.timeToFirstTokenS().orElseThrow())))
                .bullets("Assumptions", r.assumptions())
                .build();
    }
}
