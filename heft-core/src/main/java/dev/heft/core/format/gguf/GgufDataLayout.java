package dev.heft.core.format.gguf;

import dev.heft.core.error.CorruptModelException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the tensors' data sits in the file: the checks that make every tensor sliceable (inside the file, disjoint)
 * and the notes on layouts llama.cpp would refuse. Only offsets and sizes from the tensor infos are used; no tensor
 * data is read.
 */
final class GgufDataLayout {
    private GgufDataLayout() {}

    /**
     * Things gguf-py accepts but llama.cpp's gguf.cpp refuses, worth telling a user who means to run the file: a
     * tensor name of GGML_MAX_NAME (64) bytes or more, and data not packed in tensor-info order (gguf.cpp requires
     * each offset to equal the sum of the previous tensors' sizes, each padded to the alignment).
     */
    static List<String> llamaCppNotes(List<GgufTensorInfo> tensors, long alignment) {
        List<String> notes = new ArrayList<>();
        long expected = 0;
        for (GgufTensorInfo t : tensors) {
            if (t.name().getBytes(StandardCharsets.UTF_8).length >= GgufParser.GGML_MAX_NAME) {
                notes.add("tensor name '" + t.name() + "' is " + GgufParser.GGML_MAX_NAME
                        + " bytes or longer; llama.cpp refuses names that long");
            }
            if (t.relativeOffset() != expected) {
                notes.add("tensor '" + t.name() + "' is at data offset " + t.relativeOffset() + " where llama.cpp "
                        + "expects " + expected + " (tensors packed in file order); llama.cpp refuses this layout");
                break; // one note is enough: every later offset is off too
            }
            expected += t.bytes() + GgufParser.padding(t.bytes(), alignment);
        }
        return notes;
    }

    /** Every tensor's data lies inside the file, and no two tensors share bytes. */
    static void check(Path file, long size, List<GgufTensorInfo> tensors, List<Long> infoOffsets, long dataOffset) {
        for (int i = 0; i < tensors.size(); i++) {
            GgufTensorInfo t = tensors.get(i);
            long at = infoOffsets.get(i);
            if (dataOffset > size
                    || t.relativeOffset() > size - dataOffset
                    || t.bytes() > size - dataOffset - t.relativeOffset()) {
                throw new CorruptModelException(
                        file,
                        at,
                        t.name(),
                        "data [" + dataOffset + " + " + t.relativeOffset() + ", " + t.bytes()
                                + " bytes) extends past the end of the file (size " + size + ")");
            }
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < tensors.size(); i++) {
            order.add(i);
        }
        // A lambda of this class rather than Comparator.comparingLong: the AOT cache keeps this one, while the lambda
        // inside Comparator's own method was generated again on every run.
        order.sort((a, b) ->
                Long.compare(tensors.get(a).relativeOffset(), tensors.get(b).relativeOffset()));
        for (int k = 1; k < order.size(); k++) {
            GgufTensorInfo prev = tensors.get(order.get(k - 1));
            GgufTensorInfo cur = tensors.get(order.get(k));
            if (prev.bytes() > 0 && prev.relativeOffset() + prev.bytes() > cur.relativeOffset()) {
                throw new CorruptModelException(
                        file,
                        infoOffsets.get(order.get(k)),
                        cur.name(),
                        "data at relative offset "
                                + cur.relativeOffset() + " overlaps '" + prev.name() + "' ([" + prev.relativeOffset()
                                + ", "
                                + (prev.relativeOffset() + prev.bytes()) + "))");
            }
        }
    }
}
