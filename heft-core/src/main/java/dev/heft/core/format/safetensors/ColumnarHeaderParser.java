package dev.heft.core.format.safetensors;

import dev.heft.core.format.safetensors.PlainJson.NotPlain;
import dev.heft.core.tensor.DType;
import dev.heft.core.tensor.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The fast path for safetensors headers: one pass over the bytes that writes each tensor's name, dtype, shape and
 * data offsets straight into arrays (no JSON tree, no map per entry, no {@code BigDecimal} per number), then checks
 * them and builds the {@link Tensor}s once, in data order.
 *
 * <p>It handles the headers every writer produces (plain ASCII JSON, entries of exactly {@code dtype}, {@code shape}
 * and {@code data_offsets}, an optional {@code __metadata__} of strings) and returns {@code null} for anything else,
 * <em>including every header that breaks a rule</em>: {@link HeaderParser} then parses the same bytes and accepts
 * them or reports the fault with its exact message and offset. So this class enforces the reference's rules only in
 * the sense that it refuses to accept what they forbid; the wording of every error stays in one place. The rules it
 * checks before accepting, all of {@link HeaderParser}'s: the header starts with {@code '{'}; no key appears twice;
 * every dtype is known; every shape and offset is a non-negative integer; {@code begin <= end}; the element count and
 * byte size do not overflow and the dtype packs them in whole bytes; {@code end - begin} equals the bytes that dtype
 * and shape need; sorted by offsets, the ranges tile the data section exactly up to the end of the file.
 * {@code ColumnarHeaderParserTest} checks that both parsers agree on valid, mutated and hostile headers.
 */
final class ColumnarHeaderParser {
    private static final byte[] METADATA = PlainJson.ascii(HeaderParser.METADATA_KEY);
    private static final byte[] DTYPE = PlainJson.ascii("dtype");
    private static final byte[] SHAPE = PlainJson.ascii("shape");
    private static final byte[] DATA_OFFSETS = PlainJson.ascii("data_offsets");
    /** The dtypes safetensors names, and their names as bytes, matched without making a String. */
    private static final DType[] DTYPES = Arrays.stream(DType.values())
            .filter(t -> t.safetensorsName() != null)
            .toArray(DType[]::new);

    private static final byte[][] DTYPE_NAMES =
            Arrays.stream(DTYPES).map(t -> PlainJson.ascii(t.safetensorsName())).toArray(byte[][]::new);

    /** The header being read; the columns below are kept from one header to the next (see {@link #read}). */
    private PlainJson json;
    /** The index's names for the header being read, or {@code null}. */
    private IndexColumns.KnownNames known;
    // The columns: tensor i is names[i], dtypes[i], dims[shapeStart[i] .. shapeStart[i + 1]), [begins[i], ends[i]).
    private String[] names = new String[64];
    private DType[] dtypes = new DType[64];
    private long[] begins = new long[64];
    private long[] ends = new long[64];
    private int[] shapeStart = new int[65];
    private long[] dims = new long[128];
    private int count;
    private int dimCount;
    /** Index into DTYPES of the last dtype matched: a checkpoint uses one or two, so it is usually the next too. */
    private int lastDtype;

    private Map<String, String> metadata;

    /**
     * A parser whose columns serve every header it is given in turn ({@link #read}): a reader of many shards in a row
     * grows them once instead of once per shard (on a 163-shard checkpoint the columns' regrowth was 5 of the 46 MB
     * an inspect allocated, all of it fresh memory the kernel zeroes first, issue 12).
     */
    ColumnarHeaderParser() {}

    /**
     * The header, or {@code null} when it is not the plain, valid case (then {@link HeaderParser#strict} decides).
     * Same parameters as {@link HeaderParser#parse}.
     */
    static SafetensorsHeader parse(Path file, long fileSize, byte[] header) {
        return new ColumnarHeaderParser().read(file, fileSize, header, header.length);
    }

    /**
     * {@link #parse} of the header {@code header[0, length)}: the rest of the array is not read (a reused buffer).
     * Not thread-safe: one parser per thread.
     */
    SafetensorsHeader read(Path file, long fileSize, byte[] header, int length) {
        return read(file, fileSize, header, length, null);
    }

    /**
     * {@link #read}, taking the tensors' names from {@code known} (an index's entries for this shard; may be
     * {@code null}) where the header spells the same names in the same order.
     */
    SafetensorsHeader read(Path file, long fileSize, byte[] header, int length, IndexColumns.KnownNames known) {
        long dataStart = SafetensorsHeader.LENGTH_PREFIX_BYTES + (long) length;
        if (dataStart > fileSize || length == 0 || header[0] != '{') {
            return null;
        }
        json = new PlainJson(header, length);
        this.known = known;
        count = 0;
        dimCount = 0;
        metadata = null;
        try {
            readHeader();
            return validated(file, fileSize, length, dataStart);
        } catch (NotPlain e) {
            return null;
        } finally {
            json = null;
            this.known = null;
        }
    }

    private void readHeader() {
        json.expect('{');
        if (json.consume('}')) {
            json.finish();
            return;
        }
        do {
            json.string();
            if (json.textIs(METADATA)) {
                if (metadata != null) {
                    throw NotPlain.INSTANCE; // a second __metadata__: the strict parser's duplicate-key error
                }
                json.expect(':');
                metadata = readMetadata();
            } else {
                String name = known == null ? null : known.match(count, json.bytes(), json.textStart(), json.textEnd());
                if (name == null) {
                    name = json.text();
                }
                json.expect(':');
                readTensor(name);
            }
        } while (json.more('}'));
        json.finish();
    }

    /** {@code null} (Option::None) or an object of string values. */
    private Map<String, String> readMetadata() {
        Map<String, String> out = new LinkedHashMap<>();
        if (json.literal("null")) {
            return out;
        }
        json.expect('{');
        if (json.consume('}')) {
            return out;
        }
        do {
            json.string();
            String k = json.text();
            json.expect(':');
            json.string();
            String v = json.text();
            if (out.putIfAbsent(k, v) != null) {
                throw NotPlain.INSTANCE;
            }
        } while (json.more('}'));
        return out;
    }

    /** One entry with exactly dtype, shape and data_offsets, in any order. */
    private void readTensor(String name) {
        grow();
        shapeStart[count] = dimCount;
        json.expect('{');
        int seen = 0;
        do {
            json.string();
            int field = json.textIs(DTYPE) ? 1 : json.textIs(SHAPE) ? 2 : json.textIs(DATA_OFFSETS) ? 4 : 0;
            json.expect(':');
            if (field == 1) {
                dtypes[count] = dtype();
            } else if (field == 2) {
                readShape();
            } else if (field == 4) {
                json.expect('[');
                begins[count] = json.natural();
                json.expect(',');
                ends[count] = json.natural();
                json.expect(']');
            } else {
                throw NotPlain.INSTANCE; // an unknown field (the strict parser ignores it)
            }
            if ((seen & field) != 0) {
                throw NotPlain.INSTANCE;
            }
            seen |= field;
        } while (json.more('}'));
        if (seen != 7) {
            throw NotPlain.INSTANCE;
        }
        names[count++] = name;
        shapeStart[count] = dimCount;
    }

    private DType dtype() {
        json.string();
        if (json.textIs(DTYPE_NAMES[lastDtype])) {
            return DTYPES[lastDtype];
        }
        for (int i = 0; i < DTYPES.length; i++) {
            if (json.textIs(DTYPE_NAMES[i])) {
                lastDtype = i;
                return DTYPES[i];
            }
        }
        throw NotPlain.INSTANCE; // unknown dtype
    }

    private void readShape() {
        dimCount = shapeStart[count]; // a repeated shape field is refused after it is read; start it afresh anyway
        json.expect('[');
        if (json.consume(']')) {
            return;
        }
        do {
            if (dimCount == dims.length) {
                dims = Arrays.copyOf(dims, dims.length * 2);
            }
            dims[dimCount++] = json.natural();
        } while (json.more(']'));
    }

    private void grow() {
        if (count + 1 >= names.length) {
            int n = names.length * 2;
            names = Arrays.copyOf(names, n);
            dtypes = Arrays.copyOf(dtypes, n);
            begins = Arrays.copyOf(begins, n);
            ends = Arrays.copyOf(ends, n);
            shapeStart = Arrays.copyOf(shapeStart, n + 1);
        }
    }

    /** Checks every rule on the columns; the header when all hold, else {@code null}. */
    private SafetensorsHeader validated(Path file, long fileSize, int headerLength, long dataStart) {
        long dataLength = fileSize - dataStart;
        boolean inOrder = true;
        boolean namesAscending = true;
        for (int i = 0; i < count; i++) {
            long begin = begins[i];
            long end = ends[i];
            if (begin > end || end > dataLength || end - begin != bytesOf(i)) {
                return null;
            }
            if (i > 0) {
                inOrder &= begins[i - 1] < begin || (begins[i - 1] == begin && ends[i - 1] <= end);
                namesAscending &= names[i - 1].compareTo(names[i]) < 0;
            }
        }
        if (!namesAscending && hasDuplicateName()) {
            return null;
        }
        int[] order = inOrder ? null : dataOrder();
        long covered = 0;
        for (int k = 0; k < count; k++) {
            int i = order == null ? k : order[k];
            if (begins[i] != covered) {
                return null; // a gap or an overlap
            }
            covered = ends[i];
        }
        if (covered != dataLength) {
            return null;
        }
        List<Tensor> tensors = new ArrayList<>(count);
        long[] shape = null;
        for (int k = 0; k < count; k++) {
            int i = order == null ? k : order[k];
            // Tensor keeps its own copy of the shape, so the array handed over may serve the next tensor of the same
            // shape too (most of a checkpoint's neighbours: an MoE layer's experts); one array per distinct run.
            if (shape == null || !Arrays.equals(shape, 0, shape.length, dims, shapeStart[i], shapeStart[i + 1])) {
                shape = Arrays.copyOfRange(dims, shapeStart[i], shapeStart[i + 1]);
            }
            tensors.add(Tensor.weight(names[i], shape, dtypes[i], dataStart + begins[i], ends[i] - begins[i], file));
        }
        return new SafetensorsHeader(file, headerLength, fileSize, tensors, metadata == null ? Map.of() : metadata);
    }

    /** The bytes tensor {@code i} needs, or -1 when its shape overflows or its dtype cannot pack it in whole bytes. */
    private long bytesOf(int i) {
        long elements = 1;
        for (int d = shapeStart[i]; d < shapeStart[i + 1]; d++) {
            long dim = dims[d];
            if (dim != 0 && elements > Long.MAX_VALUE / dim) {
                return -1;
            }
            elements *= dim;
        }
        DType t = dtypes[i];
        if (!t.fitsBlocks(elements) || elements / t.blockElements() > Long.MAX_VALUE / t.blockBytes()) {
            return -1;
        }
        return elements / t.blockElements() * t.blockBytes();
    }

    private boolean hasDuplicateName() {
        Set<String> seen = new HashSet<>(count * 2);
        for (int i = 0; i < count; i++) {
            if (!seen.add(names[i])) {
                return true;
            }
        }
        return false;
    }

    /** Entry indexes sorted by (begin, end), ties in header order: the order the strict parser's stable sort gives. */
    private int[] dataOrder() {
        Integer[] boxed = new Integer[count];
        for (int i = 0; i < count; i++) {
            boxed[i] = i;
        }
        Arrays.sort(
                boxed,
                (a, b) -> begins[a] != begins[b] ? Long.compare(begins[a], begins[b]) : Long.compare(ends[a], ends[b]));
        int[] order = new int[count];
        for (int i = 0; i < count; i++) {
            order[i] = boxed[i];
        }
        return order;
    }
}
