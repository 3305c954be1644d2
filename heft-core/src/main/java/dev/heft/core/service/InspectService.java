package dev.heft.core.service;

import dev.heft.core.api.report.InspectReport;
import dev.heft.core.api.report.InspectReport.BlockStack;
import dev.heft.core.api.report.InspectReport.DtypeDetail;
import dev.heft.core.api.report.InspectReport.KindDetail;
import dev.heft.core.api.report.InspectReport.PackedLayout;
import dev.heft.core.api.report.InspectReport.QuantOverhead;
import dev.heft.core.api.report.InspectReport.RoleDetail;
import dev.heft.core.api.report.InspectReport.TensorEntry;
import dev.heft.core.api.report.InspectReport.TiedHead;
import dev.heft.core.api.request.InspectRequest;
import dev.heft.core.compress.LlamaFileType;
import dev.heft.core.compress.LlamaQuantPlanner;
import dev.heft.core.compress.ModelFacts;
import dev.heft.core.compress.PlannedTensor;
import dev.heft.core.compress.QuantPlan;
import dev.heft.core.compress.TensorSpec;
import dev.heft.core.error.HeftException;
import dev.heft.core.error.InvalidInputException;
import dev.heft.core.model.ModelSource;
import dev.heft.core.model.ResolvedModel;
import dev.heft.core.tensor.DType;
import dev.heft.core.tensor.ModelFormat;
import dev.heft.core.tensor.Tensor;
import dev.heft.core.tensor.TensorInventory;
import dev.heft.core.tensor.TensorInventory.MetadataArray;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** {@code heft inspect}: exact weight accounting of stored weights. */
public final class InspectService {
    private InspectService() {}

    public static InspectReport run(ResolvedModel model, InspectRequest request) {
        if (!(model instanceof ResolvedModel.Stored stored)) {
            throw new InvalidInputException("'" + model.label() + "' is an architecture description, not stored "
                    + "weights: use 'estimate' for it");
        }
        TensorInventory inv = stored.inventory();
        List<String> extra = ggufTypeNotes(inv);
        if (!extra.isEmpty()) {
            inv = inv.withNotes(extra);
        }
        return report(stored.label(), dev.heft.core.report.InspectReport.of(inv), request.tensors(), stored.source());
    }

    /** The engine's accounting as the report's JSON-shaped record. */
    static InspectReport report(
            String label, dev.heft.core.report.InspectReport r, boolean listTensors, Optional<ModelSource> source) {
        Map<String, Long> byKind = new LinkedHashMap<>();
        Map<String, KindDetail> byKindDetail = new LinkedHashMap<>();
        r.byKind().forEach((k, v) -> {
            byKind.put(k.displayName(), v.parameters());
            byKindDetail.put(
                    k.displayName(), new KindDetail(v.parameters(), v.bytes(), v.tensors(), v.biasParameters()));
        });
        Map<String, DtypeDetail> byDtype = new LinkedHashMap<>();
        r.byDtype()
                .forEach((k, v) ->
                        byDtype.put(k.displayName(), new DtypeDetail(v.parameters(), v.bytes(), v.tensors())));
        Map<String, RoleDetail> byRole = new LinkedHashMap<>();
        r.byRole()
                .forEach((k, v) -> byRole.put(
                        k.name().toLowerCase(Locale.ROOT), new RoleDetail(v.elements(), v.bytes(), v.tensors())));
        List<BlockStack> blocks = r.blocks().stream()
                .map(b ->
                        new BlockStack(b.container(), b.blocks(), b.minParameters(), b.maxParameters(), b.parameters()))
                .toList();
        long overhead = r.quantOverheadBytes();
        QuantOverhead quantOverhead =
                new QuantOverhead(overhead, r.tensorBytes() == 0 ? 0.0 : round((double) overhead / r.tensorBytes()));
        List<PackedLayout> packed = r.packed().stream()
                .map(p -> new PackedLayout(
                        p.layout(),
                        p.method(),
                        p.bits() == 0 ? Optional.empty() : Optional.of(p.bits()),
                        p.tensors(),
                        p.parameters(),
                        p.bytes(),
                        p.overheadBytes(),
                        round(p.bitsPerWeight())))
                .toList();
        Optional<List<TensorEntry>> list = Optional.empty();
        if (listTensors) {
            List<TensorEntry> rows = new ArrayList<>(r.rows().size());
            for (var row : r.rows()) {
                var c = row.classification();
                rows.add(entry(
                        row.tensor(),
                        Optional.of(c.kind().displayName()),
                        Optional.of(c.part()),
                        Optional.of(c.bias()),
                        Optional.of(c.block())));
            }
            list = Optional.of(rows);
        }
        return new InspectReport(
                label,
                r.format(),
                r.files().stream().map(Object::toString).toList(),
                r.parameters(),
                r.tensorCount(),
                r.tensorBytes(),
                r.weightBytes(),
                round(r.bitsPerParameter()),
                r.embeddingParameters(),
                r.nonEmbeddingParameters(),
                r.biasParameters(),
                byKind,
                byKindDetail,
                byDtype,
                byRole,
                blocks,
                quantOverhead,
                packed,
                r.tied().map(t -> new TiedHead(t.tied(), t.reason())),
                r.largest().stream()
                        .map(t -> entry(t, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty()))
                        .toList(),
                r.other(),
                r.notes(),
                metadata(r.metadata()),
                list,
                source.map(s -> new InspectReport.Source(
                        s.kind().jsonName(), s.id(), s.revision(), s.commit(), s.location(), s.requests())),
                source.map(ModelSource::transferredBytes));
    }

    private static TensorEntry entry(
            Tensor x, Optional<String> kind, Optional<String> part, Optional<Boolean> bias, Optional<Integer> block) {
        List<Long> shape = dims(x.shape());
        return new TensorEntry(
                x.name(),
                shape,
                x.dtype().displayName(),
                x.role().name().toLowerCase(Locale.ROOT),
                x.parameters(),
                x.bytes(),
                x.offset(),
                Optional.ofNullable(x.file()).map(f -> f.getFileName().toString()),
                x.packing().map(p -> dims(p.logicalShape())),
                x.packing().map(p -> p.layout()),
                kind,
                part,
                bias,
                block);
    }

    private static List<Long> dims(long[] shape) {
        List<Long> out = new ArrayList<>(shape.length);
        for (long d : shape) {
            out.add(d);
        }
        return out;
    }

    /**
     * A file's own metadata in JSON-shaped values: long arrays (a vocabulary) summarised as {@code {type, length}},
     * and whole-number floats as integers (JSON does not tell 10000.0 from 10000, so neither does the report).
     */
    private static Map<String, Object> metadata(Map<String, Object> md) {
        Map<String, Object> out = new LinkedHashMap<>();
        md.forEach((k, v) -> {
            if (!k.equals(TensorInventory.ALIASES_KEY)) {
                out.put(k, plain(v));
            }
        });
        return out;
    }

    private static Object plain(Object v) {
        // instanceof tests, not a pattern switch: SwitchBootstraps.typeSwitch would generate a class on every run
        // (the AOT cache cannot hold it), for a handful of metadata values (see ModelResolver.resolve).
        if (v instanceof MetadataArray a) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("type", a.elementType());
            m.put("length", a.length());
            return m;
        } else if (v instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15) {
            return d.longValue();
        } else if (v instanceof Float f) {
            return plain(f.doubleValue());
        } else if (v instanceof Integer i) {
            return i.longValue();
        } else if (v instanceof Short s) {
            return s.longValue();
        } else if (v instanceof Byte b) {
            return b.longValue();
        } else if (v instanceof List<?> l) {
            return l.stream().map(InspectService::plain).toList();
        }
        return v;
    }

    static double round(double v) {
        return Math.round(v * 1e6) / 1e6;
    }

    /**
     * For a llama.cpp file, replays llama-quantize's per-tensor rules for its {@code general.file_type} and says which
     * tensors got fallback types (a file named Q4_K_M can be mostly Q5_0 and F16 when its rows do not fill K-quant
     * blocks), or that the types differ from the rules (a custom --tensor-type mix or another tool).
     */
    static List<String> ggufTypeNotes(TensorInventory inv) {
        if (inv.format() != ModelFormat.GGUF || !(inv.metadata().get("general.file_type") instanceof Long id)) {
            return List.of();
        }
        Optional<LlamaFileType> ftype = LlamaFileType.fromId(id);
        if (ftype.isEmpty() || ftype.get() == LlamaFileType.F32) {
            return List.of();
        }
        try {
            List<TensorSpec> specs = new ArrayList<>();
            for (Tensor t : inv.tensors()) {
                specs.add(new TensorSpec(t.name(), t.shape(), DType.F32));
            }
            QuantPlan plan = LlamaQuantPlanner.plan(specs, ModelFacts.fromGgufMetadata(inv.metadata()), ftype.get());
            Map<String, Integer> fallbacks = new TreeMap<>();
            int differ = 0;
            for (Tensor t : inv.tensors()) {
                Optional<PlannedTensor> p = plan.tensor(t.name());
                if (p.isEmpty() || !p.get().encoding().equals(t.dtype().displayName())) {
                    differ++;
                } else if (p.get().reason().contains("fallback")) {
                    fallbacks.merge(t.dtype().displayName(), 1, Integer::sum);
                }
            }
            String name = ftype.get().name();
            if (differ == 0) {
                int n = fallbacks.values().stream().mapToInt(Integer::intValue).sum();
                return List.of("file type " + name + ": every tensor type is what llama-quantize's rules give"
                        + (n == 0
                                ? ""
                                : "; " + n + " tensors needed fallback types because their rows do not fill "
                                        + "the type's blocks ("
                                        + String.join(
                                                ", ",
                                                fallbacks.entrySet().stream()
                                                        .map(e -> e.getKey() + " x" + e.getValue())
                                                        .toList())
                                        + ")"));
            }
            return List.of("file type " + name + ": " + differ + " tensors have other types than llama-quantize's "
                    + "default rules give (a custom --tensor-type mix, an importance matrix, or another tool)");
        } catch (HeftException e) {
            return List.of();
        }
    }
}
