package dev.heft.core.view;

import static dev.heft.core.api.render.Document.field;

import dev.heft.core.api.render.Document;
import dev.heft.core.api.report.SpeedReport;
import dev.heft.core.report.Units;

/** {@code heft speed} for people: decode and prefill with the arithmetic behind them. */
public final class SpeedView {
    private SpeedView() {
    }

    public static Document of(SpeedReport r) {
        return Document.builder()
                .fields(9, field("Model", r.model() + " as " + r.dtype() + " (" + Units.bytes(r.weightsBytes()) + ")"),
                        field("Device", r.deviceName() + ": " + Units.fixed(r.bandwidthBytesPerS() / 1e9, 0)
                                + " GB/s, " + Units.fixed(r.peakTflops(), 1) + " TFLOP/s " + r.computeDtype()),
                        field("Batch", r.batch() + ", context " + r.context() + ", prompt " + r.promptTokens()))
                .fields(9, field("Decode", Units.fixed(r.decodeMsPerToken(), 3) + " ms per step = "
                                + Units.bytes(r.decodeBytesPerStep()) + " read per step -> "
                                + Units.fixed(r.decodeTokensPerS(), 1) + " tokens/s ("
                                + Units.fixed(r.decodeTokensPerS() / r.batch(), 1) + " per sequence)"),
                        field("Prefill", Units.fixed(r.prefillFlops() / 1e12, 2) + " TFLOP for the prompt -> "
                                + Units.fixed(r.prefillTokensPerS(), 0) + " tokens/s; time to first token "
                                + Numbers.seconds(r.timeToFirstTokenS())))
                .bullets("Assumptions", r.assumptions())
                .build();
    }
}
