package dev.heft.core.format;

import dev.heft.core.error.CorruptModelException;
import dev.heft.core.error.InvalidInputException;
import dev.heft.core.error.UnsupportedModelException;
import dev.heft.core.format.gguf.GgufFile;
import dev.heft.core.format.gguf.GgufReader;
import dev.heft.core.format.quantized.QuantizedLayouts;
import dev.heft.core.format.safetensors.HeaderReader;
import dev.heft.core.format.safetensors.SafetensorsHeader;
import dev.heft.core.tensor.ModelFormat;
import dev.heft.core.tensor.TensorInventory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a model from its header bytes alone, for the web app: a browser sends a file's first bytes (safetensors:
 * the 8-byte length and the N-byte JSON header; GGUF: everything up to the end of the tensor infos) and keeps the
 * weights. Nothing is written to or read from disk; the file name is only a label.
 *
 * <p>Everything the file readers check is checked, except that tensor data is never there to read: data ranges are
 * validated against the declared file size (inside the file, disjoint, and for safetensors covering the data section
 * exactly) but their bytes are not. Inventories carry a note saying so.
 */
public final class HeaderOnly {
    /**
     * The most header bytes accepted: safetensors' own cap on N ({@code MAX_HEADER_SIZE}, 100,000,000) plus its
     * 8-byte prefix; GGUF headers of real models (vocabularies included) are far smaller.
     */
    public static final int MAX_HEAD_BYTES =
            (int) (HeaderReader.MAX_HEADER_BYTES + SafetensorsHeader.LENGTH_PREFIX_BYTES);

    public static final String NOTE = "read from header bytes only: tensor data ranges were checked against the "
            + "declared file size but not read";

    private HeaderOnly() {}

    /** What a prefix yields: the model, or "the header goes on past these bytes; send at least this many". */
    public sealed interface Outcome permits Parsed, NeedMore {}

    public record Parsed(TensorInventory inventory) implements Outcome {}

    /** The prefix ended inside the header (GGUF has no length prefix, so a browser reads progressively). */
    public record NeedMore(long atLeast) implements Outcome {}

    /**
     * Reads {@code head}, the first bytes of a file called {@code fileName} of {@code fileSize} bytes.
     *
     * @param fileSize the whole file's size (a browser's {@code File.size}); must be at least {@code head.length}
     */
    public static Outcome read(byte[] head, String fileName, long fileSize) {
        Path name = label(fileName);
        if (head.length > MAX_HEAD_BYTES) {
            throw new InvalidInputException(
                    fileName + ": " + head.length + " header bytes is more than the " + MAX_HEAD_BYTES + " accepted");
        }
        if (fileSize < head.length) {
            throw new InvalidInputException(fileName + ": declared file size " + fileSize + " is smaller than the "
                    + head.length + " bytes sent");
        }
        boolean partial = head.length < fileSize;
        if (isGguf(head)) {
            try {
                GgufFile g = GgufReader.parseHeader(head, name, fileSize);
                return new Parsed(new TensorInventory(
                        ModelFormat.GGUF,
                        List.of(name),
                        g.toTensors(),
                        g.metadata(),
                        Optional.empty(),
                        withNote(g.notes())));
            } catch (CorruptModelException e) {
                // A prefix shorter than the file may simply stop inside the header. Tell that apart from a real fault
                // by parsing again with no limit on the data: if the header itself still does not fit, ask for more.
                if (partial && head.length < MAX_HEAD_BYTES && !headerFits(head, name)) {
                    return new NeedMore(
                            Math.min(Math.min(fileSize, MAX_HEAD_BYTES), Math.max(1L << 20, (long) head.length * 4)));
                }
                throw e;
            }
        }
        if (isSafetensors(head)) {
            long n = 0;
            for (int i = 7; i >= 0; i--) {
                n = (n << 8) | (head[i] & 0xff);
            }
            if (n >= 0
                    && n <= HeaderReader.MAX_HEADER_BYTES
                    && n > head.length - SafetensorsHeader.LENGTH_PREFIX_BYTES
                    && partial) {
                return new NeedMore(Math.min(fileSize, SafetensorsHeader.LENGTH_PREFIX_BYTES + n));
            }
            SafetensorsHeader h = HeaderReader.parse(head, name, fileSize);
            Map<String, Object> metadata = new LinkedHashMap<>(h.metadata());
            // Packed quantized layouts are recognised from names and shapes alone: the file is not here to read.
            return new Parsed(QuantizedLayouts.recognise(
                    new TensorInventory(
                            ModelFormat.SAFETENSORS,
                            List.of(name),
                            h.tensors(),
                            metadata,
                            Optional.empty(),
                            withNote(List.of())),
                    false));
        }
        if (head.length < SafetensorsHeader.LENGTH_PREFIX_BYTES + 1 && partial) {
            return new NeedMore(Math.min(fileSize, 1L << 20));
        }
        throw new UnsupportedModelException(
                name,
                0L,
                "header-only reading knows safetensors (8-byte length, then "
                        + "'{') and GGUF ('GGUF' magic); these bytes are neither");
    }

    private static boolean headerFits(byte[] head, Path name) {
        try {
            GgufReader.parseHeader(head, name, Long.MAX_VALUE);
            return true;
        } catch (CorruptModelException e) {
            return false;
        }
    }

    /** Only the last path component is kept: the name labels the result and never names a file heft opens. */
    private static Path label(String fileName) {
        String n = fileName == null || fileName.isBlank() ? "upload" : fileName;
        int slash = Math.max(n.lastIndexOf('/'), n.lastIndexOf('\\'));
        n = n.substring(slash + 1);
        StringBuilder clean = new StringBuilder();
        for (char c : n.toCharArray()) {
            clean.append(Character.isLetterOrDigit(c) || c == '.' || c == '-' || c == '_' ? c : '_');
        }
        String s = clean.toString();
        return Path.of(s.isEmpty() || s.equals(".") || s.equals("..") ? "upload" : s);
    }

    private static boolean isGguf(byte[] h) {
        return h.length >= 4 && h[0] == 'G' && h[1] == 'G' && h[2] == 'U' && h[3] == 'F';
    }

    /** An 8-byte little-endian length then '{' (when the ninth byte is there). */
    private static boolean isSafetensors(byte[] h) {
        return h.length >= 9 && h[8] == '{';
    }

    private static List<String> withNote(List<String> notes) {
        List<String> out = new ArrayList<>(notes);
        out.add(NOTE);
        return out;
    }
}
