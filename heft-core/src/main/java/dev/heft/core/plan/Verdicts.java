package dev.heft.core.plan;

import dev.heft.core.api.request.Runtime;
import dev.heft.core.hardware.Device;
import dev.heft.core.hardware.SpeedResult;
import dev.heft.core.memory.MemoryEstimate;
import dev.heft.core.memory.TrainingMemory;
import dev.heft.core.memory.TrainingOptions;
import dev.heft.core.model.ModelProfile;
import dev.heft.core.report.Units;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Turns fit rows (inference) or training estimates into one {@link Verdict} per device. */
public final class Verdicts {
    /** The LoRA rank the training verdict tries when the user did not choose one. */
    public static final int DEFAULT_LORA_RANK = 16;

    private Verdicts() {}

    /** One verdict per device, in the order the devices first appear in {@code rows}. */
    public static List<Verdict> perDevice(List<FitRow> rows) {
        List<String> ids = rows.stream().map(r -> r.device().id()).distinct().toList();
        List<Verdict> out = new ArrayList<>();
        for (String id : ids) {
            out.add(forDevice(
                    rows.stream().filter(r -> r.device().id().equals(id)).toList()));
        }
        return out;
    }

    /** The verdict for one device's rows (one row per precision tried). */
    public static Verdict forDevice(List<FitRow> rows) {
        String id = rows.getFirst().device().id();
        List<FitRow> fitting = rows.stream().filter(FitRow::fits).toList();
        if (!fitting.isEmpty()) {
            FitRow longest = fitting.stream()
                    .max(Comparator.comparingLong(FitRow::maxContext)
                            .thenComparing(r -> -r.weights().bitsPerWeight()))
                    .orElseThrow();
            FitRow best = fitting.stream()
                    .max(Comparator.comparingDouble((FitRow r) -> r.weights().bitsPerWeight())
                            .thenComparingLong(FitRow::maxContext))
                    .orElseThrow();
            String text = "fits at " + longest.weights().format() + contextPhrase(longest, " up to ");
            if (best != longest) {
                text += "; best quality that fits: " + best.weights().format() + contextPhrase(best, " at ");
            }
            return new Verdict(id, Verdict.Outcome.FITS, text);
        }
        Optional<FitRow> offloaded = rows.stream()
                .filter(r -> r.offload().isPresent() && r.speedResult() instanceof SpeedResult.Estimated)
                .max(Comparator.comparingDouble(
                        r -> r.speed().map(s -> s.decodeTokensPerSecond()).orElse(0.0)));
        if (offloaded.isPresent()) {
            FitRow r = offloaded.get();
            OffloadPlan p = r.offload().get();
            String how = p.kind() == OffloadPlan.Kind.MOE_EXPERTS
                    ? "keep the experts of " + p.cpuMoeLayers() + " layers in host memory (" + p.flag() + ")"
                    : "offload " + p.gpuLayers() + " of " + p.totalLayers() + " layers (" + p.flag() + ")";
            return new Verdict(
                    id,
                    Verdict.Outcome.OFFLOADED,
                    "does not fit; " + how + " at "
                            + r.weights().format() + ", ~"
                            + Units.fixed(r.speed().orElseThrow().decodeTokensPerSecond(), 1)
                            + " tok/s");
        }
        FitRow smallest = rows.stream()
                .min(Comparator.comparingLong(r -> r.memory().peak()))
                .orElseThrow();
        return new Verdict(
                id,
                Verdict.Outcome.DOES_NOT_FIT,
                "does not fit at any precision tried: the smallest ("
                        + smallest.weights().format() + ") needs "
                        + Units.bytes(smallest.runtime().deviceBytes()) + ", "
                        + Units.bytes(smallest.device().usableBytes()) + " usable"
                        + (smallest.runtimeKind().isLlamaCpp()
                                ? ""
                                : "; try --runtime llama.cpp with a llama.cpp type to " + "offload layers"));
    }

    private static String contextPhrase(FitRow r, String lead) {
        return r.maxContext() > 0 ? lead + tokens(r.maxContext()) + " tokens" : "";
    }

    /** 61,440 -> "60k"; 8,192 -> "8k"; 700 -> "700". */
    public static String tokens(long t) {
        if (t < 1024) {
            return Long.toString(t);
        }
        return Math.round(t / 1024.0) + "k";
    }

    /** Full fine-tuning, LoRA and QLoRA on one device, each fits or not, in one line. */
    public static Verdict training(ModelProfile m, Device d, TrainingOptions base) {
        if (m.shape().isEmpty()) {
            return new Verdict(
                    d.id(),
                    Verdict.Outcome.DOES_NOT_FIT,
                    "training memory is modelled for transformer " + "architectures only");
        }
        int rank = base.loraRank() > 0 ? base.loraRank() : DEFAULT_LORA_RANK;
        List<String> parts = new ArrayList<>();
        boolean any = false;
        String[] names = {"full fine-tuning", "LoRA r=" + rank, "QLoRA r=" + rank};
        TrainingOptions[] opts = {
            new TrainingOptions(
                    base.batch(),
                    base.sequence(),
                    base.optimizer(),
                    base.recipe(),
                    base.checkpointing(),
                    base.zero(),
                    base.gpus(),
                    base.cpuOffload(),
                    0,
                    false),
            new TrainingOptions(
                    base.batch(),
                    base.sequence(),
                    base.optimizer(),
                    base.recipe(),
                    base.checkpointing(),
                    base.zero(),
                    base.gpus(),
                    base.cpuOffload(),
                    rank,
                    false),
            new TrainingOptions(
                    base.batch(),
                    base.sequence(),
                    base.optimizer(),
                    base.recipe(),
                    base.checkpointing(),
                    base.zero(),
                    base.gpus(),
                    base.cpuOffload(),
                    rank,
                    true)
        };
        for (int i = 0; i < names.length; i++) {
            MemoryEstimate e = TrainingMemory.estimate(
                    m.shape().get(), m.parameters(), m.embeddingParameters(), opts[i], Runtime.PYTORCH);
            boolean fits = e.peak() <= d.usableBytes();
            any |= fits;
            parts.add(names[i] + (fits ? " fits (" : " does not fit (needs ") + Units.bytes(e.peak()) + ")");
        }
        String text = String.join("; ", parts)
                + String.format(
                        Locale.ROOT,
                        " at micro-batch %d x %d tokens%s",
                        base.batch(),
                        base.sequence(),
                        base.checkpointing() ? " with checkpointing" : "");
        return new Verdict(d.id(), any ? Verdict.Outcome.FITS : Verdict.Outcome.DOES_NOT_FIT, text);
    }
}
