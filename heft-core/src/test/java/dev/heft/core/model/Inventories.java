package dev.heft.core.model;

import dev.heft.core.report.InspectJson;
import dev.heft.core.report.InspectReport;
import dev.heft.core.tensor.Tensor;
import dev.heft.core.tensor.TensorInventory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What of an inventory must not depend on where its bytes came from: everything but file names and provenance notes. */
final class Inventories {
    private Inventories() {
    }

    /** As JSON text, so that arrays (shapes) compare by content. */
    static String comparable(TensorInventory inv) {
        return comparable(inv, true);
    }

    /** Without the names of the files (an Ollama blob is the same GGUF under its digest). */
    static String comparableContent(TensorInventory inv) {
        return comparable(inv, false);
    }

    private static String comparable(TensorInventory inv, boolean fileNames) {
        Map<String, Object> m = new LinkedHashMap<>(InspectJson.toMap(InspectReport.of(inv), true));
        m.remove("files");
        m.remove("notes");
        m.remove("tensor_list");
        if (!fileNames) {
            m.remove("largest");
        }
        List<String> tensors = new ArrayList<>();
        for (Tensor t : inv.tensors()) {
            tensors.add(t.name() + " " + Arrays.toString(t.shape()) + " " + t.dtype() + " " + t.role() + " "
                    + t.parameters() + " @" + t.offset() + "+" + t.bytes() + (fileNames ? " in " + t.file().getFileName() : ""));
        }
        m.put("tensors_exact", tensors);
        m.put("metadata", inv.metadata().toString());
        m.put("config", inv.config().map(Object::toString).orElse("none"));
        m.put("format", inv.format().displayName());
        return dev.heft.core.json.JsonWriter.write(m);
    }

    /** Notes a reader wrote (not the ones saying where the bytes came from). */
    static List<String> readerNotes(TensorInventory inv) {
        return inv.notes().stream().filter(n -> !n.equals(RemoteWeights.NOTE) && !n.startsWith("read from the HF cache")
                && !n.contains("read as the Hugging Face Hub repo")).toList();
    }
}
