package dev.heft.core.service;

import dev.heft.core.arch.torch.LayerTrace;
import dev.heft.core.arch.torch.Module;
import dev.heft.core.arch.torch.ModuleTree;
import dev.heft.core.arch.torch.Shape;
import dev.heft.core.error.InvalidInputException;
import dev.heft.core.hardware.Device;
import dev.heft.core.memory.MemoryPart;
import dev.heft.core.model.ResolvedModel;
import dev.heft.core.network.NetworkMemory;
import dev.heft.core.network.NetworkPrecision;
import dev.heft.core.network.NetworkSpeed;
import dev.heft.core.report.TextTable;
import dev.heft.core.report.Units;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code memory}, {@code fit}, {@code speed} and {@code estimate --layers} for torch.nn networks (torchvision models,
 * layer specs): their own precisions (fp32, fp16, bf16, int8, fp8), activation memory from the layer graph, images
 * per second. The LLM services hand a {@link ResolvedModel.Network} to these.
 */
public final class NetworkServices {
    public static final String DEFAULT_DEVICES = "h200,h100-sxm,a100-80gb,l40s,l4,t4,rtx-4090,rtx-3060,m3-max,m2,"
            + "cpu-ddr5,jetson-orin,rpi5,snapdragon-8g3,a17-pro,webgpu";

    private NetworkServices() {
    }

    /** The input a command runs the network at: the model's default (or the spec's) with the batch replaced. */
    static Shape input(ResolvedModel.Network n, Options o) {
        Shape base = o.string("input").map(Shape::parse).or(n::defaultInput).orElseThrow(() ->
                new InvalidInputException(n.label() + ": the layer spec gives no \"input\" shape, so activation "
                        + "memory and speed cannot be estimated (add one, e.g. \"input\": [1, 3, 224, 224])"));
        return o.string("batch").isPresent() ? base.with(0, o.integer("batch", 1, 1, 1L << 20)) : base;
    }

    private static Module module(ResolvedModel.Network n, Shape input) {
        return n.module().apply(input);
    }

    /** {@code heft memory} for a network: the parts at one precision, or the precision table with --dtypes. */
    public static Result memory(ResolvedModel.Network n, Options o) {
        rejectLlmOnly(n, o, List.of("train", "context", "kv-dtype", "phase", "attention", "logits", "runtime",
                "encoder-context", "optimizer", "recipe", "checkpointing", "zero", "gpus", "offload", "lora",
                "qlora"));
        Shape in = input(n, o);
        Module root = module(n, in);
        Device budgetDevice = o.string("budget").filter(b -> !b.isBlank() && !Character.isDigit(b.charAt(0)))
                .map(b -> o.devices().find(b)).orElse(null);
        NetworkPrecision p = NetworkPrecision.parse(o.string("dtype", "fp32"));
        NetworkMemory m = NetworkMemory.estimate(root, in, p, budgetDevice);
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("schema", "heft.memory/1");
        j.put("model", n.label());
        j.put("kind", "torch.nn network");
        j.put("dtype", p.key());
        j.put("input", in.dims());
        j.put("batch", in.dim(0));
        List<Object> parts = new ArrayList<>();
        TextTable t = new TextTable("part", "bytes", "", "how");
        for (MemoryPart part : m.parts()) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("component", part.component().key());
            r.put("bytes", part.bytes());
            r.put("formula", part.formula());
            parts.add(r);
            t.row(part.component().key(), Units.exact(part.bytes()), Units.bytes(part.bytes()), part.formula());
        }
        t.row("total", Units.exact(m.total()), Units.bytes(m.total()), "sum of the parts");
        j.put("parts", parts);
        j.put("total_bytes", m.total());
        j.put("weights_bytes", m.weightBytes());
        j.put("activation_peak_bytes_per_image", m.activationPerImage());
        StringBuilder out = new StringBuilder();
        out.append("Model       ").append(n.label()).append("  (torch.nn network, ")
                .append(Units.count(root == null ? 0 : ModuleTree.counts(root).parameters())).append(" parameters)\n");
        out.append("Precision   ").append(p.key()).append(": ").append(p.meaning()).append('\n');
        out.append("Inference   input ").append(in.dims()).append(" (batch ").append(in.dim(0))
                .append("), activations ").append(Units.bytes(m.activationPerImage())).append(" per image at peak\n\n");
        out.append(t.render());
        o.string("budget").ifPresent(b -> {
            long bytes = MemoryService.budgetBytes(b, o.devices());
            long batch = m.maxBatch(bytes);
            j.put("budget_bytes", bytes);
            j.put("max_batch", batch);
            out.append("\nBudget ").append(Units.bytes(bytes)).append(": ").append(batch == 0 ? "one image does not fit"
                    : "largest batch " + Units.exact(batch)).append('\n');
        });
        if (o.string("dtypes").isPresent()) {
            List<NetworkPrecision> list = precisions(o.string("dtypes").get());
            List<Object> rows = new ArrayList<>();
            TextTable pt = new TextTable("dtype", "weights", "activations/image", "total at batch " + in.dim(0));
            for (NetworkPrecision q : list) {
                NetworkMemory x = NetworkMemory.estimate(root, in, q, budgetDevice);
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("dtype", q.key());
                r.put("weights_bytes", x.weightBytes());
                r.put("activation_peak_bytes_per_image", x.activationPerImage());
                r.put("total_bytes", x.total());
                rows.add(r);
                pt.row(q.key(), Units.bytes(x.weightBytes()), Units.bytes(x.activationPerImage()),
                        Units.bytes(x.total()));
            }
            j.put("precisions", rows);
            out.append("\nPrecisions\n").append(pt.render());
        }
        j.put("assumptions", m.assumptions());
        out.append("\nAssumptions\n");
        m.assumptions().forEach(a -> out.append("- ").append(a).append('\n'));
        return new Result(j, out.toString());
    }

    /** {@code heft fit} for a network: devices x precisions, the largest batch, images per second. */
    public static Result fit(ResolvedModel.Network n, Options o) {
        rejectLlmOnly(n, o, List.of("context", "kv-dtype", "phase", "attention", "logits", "runtime",
                "encoder-context"));
        Shape in = input(n, o);
        Module root = module(n, in);
        List<NetworkPrecision> precisions = NetworkPrecision.parseList(o.string("dtypes").orElse(null));
        List<Device> devices = new ArrayList<>();
        for (String d : o.string("devices", DEFAULT_DEVICES).split(",")) {
            devices.add(o.devices().find(d.trim()));
        }
        boolean onlyFitting = o.flag("only-fitting");
        List<Object> rows = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        TextTable t = new TextTable("device", "dtype", "fits", "needs", "usable", "headroom", "max batch",
                "images/s");
        for (Device d : devices) {
            for (NetworkPrecision p : precisions) {
                NetworkMemory m = NetworkMemory.estimate(root, in, p, d);
                boolean fits = m.total() <= d.usableBytes();
                if (onlyFitting && !fits) {
                    continue;
                }
                long maxBatch = m.maxBatch(d.usableBytes());
                Double ips = null;
                String speedText = "-";
                if (!fits) {
                    speedText = "- (does not fit)";
                } else if (!d.ratesKnown()) {
                    speedText = "- (rates unknown)";
                } else {
                    NetworkSpeed s = NetworkSpeed.estimate(ModuleTree.trace(root, in, p.activationBytes()), p, d,
                            in.dim(0));
                    ips = s.imagesPerSecond();
                    speedText = Units.fixed(ips, ips >= 100 ? 0 : 1);
                }
                d.substitutionNote(p.key()).filter(x -> !notes.contains(x)).ifPresent(notes::add);
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("device", d.id());
                r.put("dtype", p.key());
                r.put("fits", fits);
                r.put("weights_bytes", m.weightBytes());
                r.put("total_bytes", m.total());
                r.put("usable_bytes", d.usableBytes());
                r.put("headroom_bytes", d.usableBytes() - m.total());
                r.put("max_batch", maxBatch);
                r.put("images_per_s", ips == null ? null : FitService.round(ips));
                r.put("why", fits ? "" : "needs " + m.total() + " B, " + d.usableBytes() + " B usable");
                rows.add(r);
                long headroom = d.usableBytes() - m.total();
                t.row(d.id(), p.key(), fits ? "yes" : "no", Units.bytes(m.total()), Units.bytes(d.usableBytes()),
                        (headroom < 0 ? "-" : "") + Units.bytes(Math.abs(headroom)), Units.exact(maxBatch), speedText);
            }
        }
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("schema", "heft.fit/1");
        j.put("model", n.label());
        j.put("kind", "torch.nn network");
        j.put("input", in.dims());
        j.put("batch", in.dim(0));
        j.put("rows", rows);
        j.put("notes", notes);
        StringBuilder out = new StringBuilder();
        out.append("Model  ").append(n.label()).append("  (torch.nn network), input ").append(in.dims())
                .append("\n\n").append(t.render()).append('\n');
        out.append("needs = weights + buffers + input + peak activations (+ the CUDA context on GPUs); 'heft memory' "
                + "shows the parts. images/s: per-layer roofline, 'heft speed' states the factors.\n");
        notes.forEach(x -> out.append("- ").append(x).append('\n'));
        return new Result(j, out.toString());
    }

    /** {@code heft speed} for a network: images per second on one device at one precision and batch. */
    public static Result speed(ResolvedModel.Network n, Options o) {
        rejectLlmOnly(n, o, List.of("prompt", "context", "kv-dtype", "phase", "attention", "logits", "runtime",
                "encoder-context"));
        Device d = o.devices().find(o.string("device").orElseThrow(() ->
                new InvalidInputException("device: required (see the device catalog)")));
        Shape in = input(n, o);
        Module root = module(n, in);
        NetworkPrecision p = NetworkPrecision.parse(o.string("dtype", "fp32"));
        NetworkMemory m = NetworkMemory.estimate(root, in, p, d);
        if (m.total() > d.usableBytes()) {
            throw new InvalidInputException(n.label() + " at " + p.key() + ", batch " + in.dim(0) + " needs "
                    + Units.bytes(m.total()) + " and " + d.name() + " has " + Units.bytes(d.usableBytes())
                    + " usable: no speed for what does not fit (a smaller --batch or precision may)");
        }
        NetworkSpeed s = NetworkSpeed.estimate(ModuleTree.trace(root, in, p.activationBytes()), p, d, in.dim(0));
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("schema", "heft.speed/1");
        j.put("model", n.label());
        j.put("kind", "torch.nn network");
        j.put("device", d.id());
        j.put("dtype", p.key());
        j.put("batch", in.dim(0));
        j.put("input", in.dims());
        j.put("flops", s.flops());
        j.put("bytes_moved", s.bytesMoved());
        j.put("seconds_per_batch", s.seconds());
        j.put("images_per_s", FitService.round(s.imagesPerSecond()));
        j.put("compute_bound_share", Math.round(s.computeBoundShare() * 1000) / 1000.0);
        j.put("assumptions", s.assumptions());
        StringBuilder out = new StringBuilder();
        out.append("Model    ").append(n.label()).append(" at ").append(p.key()).append(", input ").append(in.dims())
                .append('\n');
        out.append("Device   ").append(d.name()).append('\n');
        out.append(String.format(Locale.ROOT, "Forward  %s FLOP, %s moved -> %s per batch of %d -> %s images/s "
                        + "(%.0f%% of the time compute-bound)%n", EstimateService.sci(s.flops()),
                Units.bytes(s.bytesMoved()), FitService.seconds(s.seconds()), in.dim(0),
                Units.fixed(s.imagesPerSecond(), s.imagesPerSecond() >= 100 ? 0 : 1), 100 * s.computeBoundShare()));
        out.append("\nAssumptions\n");
        s.assumptions().forEach(a -> out.append("- ").append(a).append('\n'));
        d.substitutionNote(p.key()).ifPresent(a -> out.append("- ").append(a).append('\n'));
        return new Result(j, out.toString());
    }

    /** The per-layer table of {@code estimate --layers}: one row per module call, as torchinfo lists them. */
    static void layers(ResolvedModel.Network n, Shape input, Map<String, Object> j, StringBuilder out) {
        LayerTrace trace = ModuleTree.trace(n.module().apply(input), input, 4);
        List<Object> rows = new ArrayList<>();
        TextTable t = new TextTable("layer", "output shape", "parameters", "FLOPs", "activation");
        long multAdds = 0;
        for (LayerTrace.Row r : trace.rows()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("depth", r.depth());
            row.put("name", r.name());
            row.put("class", r.torchClass());
            row.put("output_shape", r.output().dims());
            row.put("parameters", r.repeated() ? 0 : r.leaf() ? r.parameters() : r.ownParameters());
            row.put("parameters_in_subtree", r.parameters());
            row.put("repeated_call", r.repeated());
            row.put("flops", r.flops());
            row.put("activation_bytes", r.outputBytes());
            if (r.leaf()) {
                row.put("torchinfo_mult_adds", r.multAdds());
                multAdds += r.multAdds();
            }
            rows.add(row);
            String params = r.repeated() ? "(repeated)" : r.leaf() ? (r.parameters() == 0 ? "--"
                    : Units.exact(r.parameters())) : r.ownParameters() == 0 ? "--" : Units.exact(r.ownParameters());
            t.row("  ".repeat(r.depth()) + r.torchClass() + (r.depth() == 0 ? "" : " (" + r.name() + ")"),
                    r.output().dims().toString(), params, r.flops() == 0 ? "--" : EstimateService.sci(r.flops()),
                    Units.bytes(r.outputBytes()));
        }
        Map<String, Object> layers = new LinkedHashMap<>();
        layers.put("rows", rows);
        layers.put("activation_dtype", "fp32");
        layers.put("torchinfo_total_mult_adds", multAdds);
        layers.put("activation_peak_bytes", trace.peakBytes());
        layers.put("conventions", List.of("one row per module call in call order, as torchinfo's forward hooks "
                + "list them (depth, class, attribute name, output shape)",
                "parameters: a leaf's parameters, or what a container registers itself (torchinfo prints "
                        + "containers' own parameters the same way); a repeated call counts none",
                "FLOPs: FlopCounterMode's per-module count, children included (2 per multiply-accumulate, matrix "
                        + "products and convolutions only)",
                "activation: the output tensor's bytes in fp32 (torchinfo's output_bytes)"));
        j.put("layers", layers);
        out.append("\nLayers at input ").append(input.dims()).append(" (torchinfo's rows; FLOPs as FlopCounterMode "
                + "counts them, children included; activation = output bytes, fp32)\n").append(t.render());
        out.append("torchinfo total mult-adds ").append(Units.exact(multAdds)).append("; peak live activations ")
                .append(Units.bytes(trace.peakBytes())).append(" (eval, no_grad)\n");
    }

    private static List<NetworkPrecision> precisions(String list) {
        // --dtypes without a value arrives as the LLM table or "true": a network uses its own defaults
        return list.isBlank() || list.equals("true") || list.equals(MemoryService.DEFAULT_TABLE)
                ? NetworkPrecision.DEFAULTS : NetworkPrecision.parseList(list);
    }

    private static void rejectLlmOnly(ResolvedModel.Network n, Options o, List<String> llmOnly) {
        for (String k : llmOnly) {
            if (o.string(k).isPresent()) {
                throw new InvalidInputException(n.label() + ": --" + k + " applies to transformer models; a "
                        + "torch.nn network takes --dtype/--dtypes (fp32, fp16, bf16, int8, fp8) and --batch");
            }
        }
    }
}
