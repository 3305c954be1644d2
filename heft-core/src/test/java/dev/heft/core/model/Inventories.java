package dev.heft.core.model;

import dev.heft.core.api.report.ReportJson;
import dev.heft.core.api.request.InspectRequest;
import dev.heft.core.json.Json;
import dev.heft.core.json.JsonWriter;
import dev.heft.core.service.InspectService;
import dev.heft.core.tensor.Tensor;
import dev.heft.core.tensor.TensorInventory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What of an inventory must not depend on where its bytes came from: everything but file names and provenance notes. */
final class Inventories {
    private Inventories() {}

    /** The inspect report and every tensor as JSON text, so that arrays (shapes) compare by content. */
    static String comparable(TensorInventory inv) {
        return comparable(inv, true);
    }

    /** Without the names of the files (an Ollama blob is the same GGUF under its digest). */
    static String comparableContent(TensorInventory inv) {
        return comparable(inv, false);
    }

    private static String comparable(TensorInventory inv, boolean fileNames) {
        var report = InspectService.run(new ResolvedModel.Stored("model", inv), new InspectRequest(false));
        Map<String, Object> m = new LinkedHashMap<>(
                Json.parse(ReportJson.write(report)).asObject("inspect").members());
        m.remove("files");
        m.remove("notes");
        m.remove("source");
        m.remove("transferred_bytes");
        if (!fileNames) {
            m.remove("largest");
        }
        List<String> tensors = new ArrayList<>();
        for (Tensor t : inv.tensors()) {
            tensors.add(t.name() + " " + Arrays.toString(t.shape()) + " " + t.dtype() + " " + t.role() + " "
                    + t.parameters() + " @" + t.offset() + "+" + t.bytes()
                    + (fileNames ? " in " + t.file().getFileName() : ""));
        }
        m.put("tensors_exact", tensors);
        m.put("inventory_metadata", inv.metadata().toString());
        m.put("config", inv.config().map(Object::toString).orElse("none"));
        m.put("inventory_format", inv.format().displayName());
        return JsonWriter.write(m);
    }

    /**
     * As {@link #comparable}, without the tensors' file offsets: a PyTorch checkpoint read over HTTP never fetches the
     * local zip headers that place its storages, so its offsets are -1.
     */
    static String comparableWithoutOffsets(TensorInventory inv) {
        return comparable(inv).replaceAll(" @-?\\d+\\+", " @+").replaceAll("\"offset\": -?\\d+", "\"offset\": _");
    }

    /** Notes a reader wrote (not the ones saying where the bytes came from). */
    static List<String> readerNotes(TensorInventory inv) {
        return inv.notes().stream()
                .filter(n -> !n.equals(RemoteWeights.NOTE)
                        && !n.equals(RemoteWeights.PYTORCH_NOTE)
                        && !n.startsWith("read from the HF cache")
                        && !n.contains("read as the Hugging Face Hub repo"))
                .toList();
    }
}
