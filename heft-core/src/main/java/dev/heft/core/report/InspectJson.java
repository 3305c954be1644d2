package dev.heft.core.report;

import dev.heft.core.report.InspectReport.Row;
import dev.heft.core.tensor.TensorInventory.MetadataArray;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code heft inspect --json} object. Its keys are a contract for scripts (documented in the README, schema
 * {@value #SCHEMA}); add keys, never rename or remove them.
 */
public final class InspectJson {
    public static final String SCHEMA = "heft.inspect/1";

    private InspectJson() {
    }

    public static Map<String, Object> toMap(InspectReport r, boolean listTensors) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("schema", SCHEMA);
        m.put("format", r.format());
        m.put("files", r.files().stream().map(Object::toString).toList());
        m.put("parameters", r.parameters());
        m.put("tensors", r.tensorCount());
        m.put("tensor_bytes", r.tensorBytes());
        m.put("weight_bytes", r.weightBytes());
        m.put("bits_per_parameter", round(r.bitsPerParameter()));
        m.put("embedding_parameters", r.embeddingParameters());
        m.put("non_embedding_parameters", r.nonEmbeddingParameters());
        m.put("bias_parameters", r.biasParameters());
        Map<String, Object> byKind = new LinkedHashMap<>();
        Map<String, Object> byKindDetail = new LinkedHashMap<>();
        r.byKind().forEach((k, v) -> {
            byKind.put(k.displayName(), v.parameters());
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("parameters", v.parameters());
            d.put("bytes", v.bytes());
            d.put("tensors", v.tensors());
            d.put("bias_parameters", v.biasParameters());
            byKindDetail.put(k.displayName(), d);
        });
        m.put("by_kind", byKind);
        m.put("by_kind_detail", byKindDetail);
        Map<String, Object> byDtype = new LinkedHashMap<>();
        r.byDtype().forEach((k, v) -> {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("parameters", v.parameters());
            d.put("bytes", v.bytes());
            d.put("tensors", v.tensors());
            byDtype.put(k.displayName(), d);
        });
        m.put("by_dtype", byDtype);
        Map<String, Object> byRole = new LinkedHashMap<>();
        r.byRole().forEach((k, v) -> {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("elements", v.elements());
            d.put("bytes", v.bytes());
            d.put("tensors", v.tensors());
            byRole.put(k.name().toLowerCase(Locale.ROOT), d);
        });
        m.put("by_role", byRole);
        List<Object> blocks = new ArrayList<>();
        for (InspectReport.BlockStack b : r.blocks()) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("container", b.container());
            d.put("blocks", b.blocks());
            d.put("min_parameters", b.minParameters());
            d.put("max_parameters", b.maxParameters());
            d.put("parameters", b.parameters());
            blocks.add(d);
        }
        m.put("blocks", blocks);
        Map<String, Object> overhead = new LinkedHashMap<>();
        overhead.put("bytes", r.quantOverheadBytes());
        overhead.put("share_of_tensor_bytes", r.tensorBytes() == 0 ? 0.0
                : round((double) r.quantOverheadBytes() / r.tensorBytes()));
        m.put("quant_overhead", overhead);
        List<Object> packed = new ArrayList<>();
        for (InspectReport.PackedTotals p : r.packed()) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("layout", p.layout());
            d.put("method", p.method());
            d.put("bits", p.bits() == 0 ? null : p.bits());
            d.put("tensors", p.tensors());
            d.put("parameters", p.parameters());
            d.put("bytes", p.bytes());
            d.put("overhead_bytes", p.overheadBytes());
            d.put("bits_per_weight", round(p.bitsPerWeight()));
            packed.add(d);
        }
        m.put("packed_layouts", packed);
        m.put("tied_head", r.tied().map(t -> {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("tied", t.tied());
            d.put("reason", t.reason());
            return (Object) d;
        }).orElse(null));
        m.put("largest", r.largest().stream().map(InspectJson::tensor).toList());
        m.put("other", r.other());
        m.put("notes", r.notes());
        m.put("metadata", metadata(r.metadata()));
        if (listTensors) {
            List<Object> list = new ArrayList<>(r.rows().size());
            for (Row row : r.rows()) {
                Map<String, Object> t = tensor(row.tensor());
                t.put("kind", row.classification().kind().displayName());
                t.put("part", row.classification().part());
                t.put("bias", row.classification().bias());
                t.put("block", row.classification().block());
                list.add(t);
            }
            m.put("tensor_list", list);
        }
        return m;
    }

    private static Map<String, Object> tensor(dev.heft.core.tensor.Tensor x) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("name", x.name());
        t.put("shape", x.shape());
        t.put("dtype", x.dtype().displayName());
        t.put("role", x.role().name().toLowerCase(Locale.ROOT));
        t.put("parameters", x.parameters());
        t.put("bytes", x.bytes());
        t.put("offset", x.offset());
        t.put("file", x.file() == null ? null : x.file().getFileName().toString());
        x.packing().ifPresent(p -> {
            t.put("logical_shape", p.logicalShape());
            t.put("packing", p.layout());
        });
        return t;
    }

    private static Map<String, Object> metadata(Map<String, Object> md) {
        Map<String, Object> out = new LinkedHashMap<>();
        md.forEach((k, v) -> {
            if (!k.equals(dev.heft.core.tensor.TensorInventory.ALIASES_KEY)) {
                out.put(k, v instanceof MetadataArray a ? Map.of("type", a.elementType(), "length", a.length()) : v);
            }
        });
        return out;
    }

    private static double round(double v) {
        return Math.round(v * 1e6) / 1e6;
    }
}
