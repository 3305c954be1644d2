package dev.heft.core.format.safetensors;

import dev.heft.core.error.CorruptModelException;
import dev.heft.core.format.io.ModelFolder;
import dev.heft.core.format.safetensors.PlainJson.NotPlain;
import dev.heft.core.tensor.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;

/**
 * A sharded checkpoint's index held as columns for the one job the safetensors reader has for it: which shards to
 * open, and whether every tensor sits in the shard the index names. The entries are grouped by shard (shards numbered
 * in sorted name order, the order they are read), so a shard's header is checked against its own few hundred entries
 * only: in order, where the header lists its tensors as the index does (every single-dtype shard of a sorted index),
 * else by a small hash table of that shard's entries. No map of every tensor name is built: on a 92k-tensor index its
 * lookups missed the CPU caches and cost more than the parse (issue 12). The index's {@code weight_map} is never
 * copied into maps of strings.
 *
 * <p>{@link #read} parses the plain JSON every writer produces in one pass ({@link PlainJson}); anything else, and
 * every index that breaks a rule (a duplicate key, a shard name that is not a plain file name, a metadata value of
 * another type), goes through {@link ShardIndex#parse}, the strict parser, which reports the fault with its exact
 * message, or accepts the file and is converted. The rules are {@link ShardIndex}'s.
 *
 * <p>Each entry {@code i} of the index is {@code names[i]} in {@code shards.get(shardOf[i])}.
 *
 * <p>Public for the remote reader ({@code dev.heft.core.model.RemoteWeights}), which fetches the index's bytes and the
 * shards' headers over HTTP and checks them the same way; the package is not exported from heft-core's module.
 */
public final class IndexColumns {
    private static final byte[] WEIGHT_MAP = PlainJson.ascii("weight_map");
    private static final byte[] METADATA = PlainJson.ascii("metadata");
    /** Bytes per read of an index file. */
    private static final int READ_SLICE = 64 * 1024;

    private final Path file;
    /** The distinct shard file names, sorted (model-00001-of-00191 ... in order): the order shards are read in. */
    private final List<String> shards;
    /** Every tensor name, in index order. */
    private final String[] names;
    /** For each of {@link #names}, its shard's position in {@link #shards}. */
    private final int[] shardOf;
    /** The index's {@code metadata} object, as {@link ShardIndex#metadata()}. */
    private final Map<String, Object> metadata;
    /** The entries' positions grouped by shard, in index order within each: shard s's are {@code [shardStart[s],
     * shardStart[s + 1])}. */
    private final int[] byShard;

    private final int[] shardStart;
    /**
     * Where each of {@link #names} is spelled in {@link #source}, the index's bytes: {@code [nameStart[i],
     * nameEnd[i])}; {@code null} when the strict parser read the index (escapes, another shape), then no shard header
     * is read against it ({@link #knownNames}).
     */
    private final byte[] source;

    private final int[] nameStart;
    private final int[] nameEnd;

    private IndexColumns(
            Path file,
            List<String> shards,
            String[] names,
            int[] shardOf,
            Map<String, Object> metadata,
            int[] byShard,
            int[] shardStart,
            byte[] source,
            int[] nameStart,
            int[] nameEnd) {
        this.file = file;
        this.shards = shards;
        this.names = names;
        this.shardOf = shardOf;
        this.metadata = metadata;
        this.byShard = byShard;
        this.shardStart = shardStart;
        this.source = source;
        this.nameStart = nameStart;
        this.nameEnd = nameEnd;
    }

    /** Reads and checks the index at {@code file}, within {@link ShardIndex#MAX_INDEX_BYTES}. */
    public static IndexColumns read(Path file) throws IOException {
        long size = Files.size(file);
        if (size > ShardIndex.MAX_INDEX_BYTES) {
            throw new CorruptModelException(
                    file,
                    0,
                    "index of " + size + " bytes is larger than the " + ShardIndex.MAX_INDEX_BYTES
                            + "-byte limit heft reads");
        }
        return parse(file, readAll(file, (int) size));
    }

    /**
     * The file's bytes, read in slices of {@value #READ_SLICE} bytes. {@code Files.readAllBytes} reads the whole file
     * in one call, through a temporary native buffer of the file's size that the JDK allocates for it: for a 4 MB
     * index that is a thousand fresh pages, each faulted in and zeroed by the kernel only to be copied out once (8-10
     * ms of a DeepSeek-V3 inspect's main thread under perf, issue 12); a slice reuses the JDK's cached buffer.
     */
    private static byte[] readAll(Path file, int expected) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            byte[] bytes = new byte[expected];
            int at = 0;
            while (at < expected) {
                int read = channel.read(ByteBuffer.wrap(bytes, at, Math.min(READ_SLICE, expected - at)));
                if (read < 0) {
                    return Arrays.copyOf(bytes, at); // shrank since its size was taken: what is there, as before
                }
                at += read;
            }
            if (channel.read(ByteBuffer.allocate(1)) < 0) {
                return bytes;
            }
        }
        return Files.readAllBytes(file); // grew since its size was taken: read it whole, as before
    }

    /**
     * Checks and holds the index in {@code bytes} ({@code file} names it in messages), which the caller read within
     * {@link ShardIndex#MAX_INDEX_BYTES}.
     */
    public static IndexColumns parse(Path file, byte[] bytes) {
        IndexColumns fast = plain(file, bytes);
        return fast != null ? fast : of(ShardIndex.parse(file, bytes));
    }

    /** The columns of an index the strict parser read. */
    static IndexColumns of(ShardIndex index) {
        String[] names = index.weightMap().keySet().toArray(String[]::new);
        String[] shardNames = index.weightMap().values().toArray(String[]::new);
        return build(index.file(), names, shardNames, Set.of(), index.metadata(), null, null, null);
    }

    /** The fast path: the index, or {@code null} when it is not plain and valid (then the strict parser decides). */
    static IndexColumns plain(Path file, byte[] bytes) {
        PlainJson json = new PlainJson(bytes);
        // Sized from the file (an entry takes 80 bytes or more of an index transformers writes: a name, a shard name,
        // quotes and indentation) so that a 45k-entry index fills its columns without regrowing them a dozen times.
        int guess = Math.max(16, bytes.length / 80);
        String[] names = new String[guess];
        String[] shardNames = new String[guess];
        int[] nameStart = new int[guess];
        int[] nameEnd = new int[guess];
        int count = 0;
        Map<String, Object> metadata = null;
        boolean sawWeightMap = false;
        // Shard names repeat thousands of times: each distinct one becomes a String once, kept here.
        Map<String, String> distinct = new HashMap<>();
        try {
            json.expect('{');
            if (json.consume('}')) {
                return null; // no weight_map: the strict parser's error
            }
            do {
                json.string();
                if (json.textIs(WEIGHT_MAP) && !sawWeightMap) {
                    sawWeightMap = true;
                    json.expect(':');
                    json.expect('{');
                    if (json.consume('}')) {
                        continue;
                    }
                    int lastStart = -1;
                    int lastEnd = -1;
                    String last = null;
                    do {
                        json.string();
                        String name = json.text();
                        int start = json.textStart();
                        int end = json.textEnd();
                        json.expect(':');
                        json.string();
                        String shard;
                        if (last != null && json.textIs(lastStart, lastEnd)) {
                            shard = last;
                        } else {
                            shard = distinct.computeIfAbsent(json.text(), s -> s);
                            last = shard;
                            lastStart = json.textStart();
                            lastEnd = json.textEnd();
                        }
                        if (count == names.length) {
                            names = Arrays.copyOf(names, count * 2);
                            shardNames = Arrays.copyOf(shardNames, count * 2);
                            nameStart = Arrays.copyOf(nameStart, count * 2);
                            nameEnd = Arrays.copyOf(nameEnd, count * 2);
                        }
                        nameStart[count] = start;
                        nameEnd[count] = end;
                        names[count] = name;
                        shardNames[count++] = shard;
                    } while (json.more('}'));
                } else if (json.textIs(METADATA) && metadata == null) {
                    json.expect(':');
                    metadata = metadata(json);
                } else {
                    return null; // another key, or one twice: the strict parser ignores or rejects it
                }
            } while (json.more('}'));
            json.finish();
        } catch (NotPlain e) {
            return null;
        }
        if (!sawWeightMap) {
            return null;
        }
        for (String shard : distinct.keySet()) { // every shard name of the entries, once
            if (!ShardIndex.isPlainFileName(shard)) {
                return null;
            }
        }
        names = Arrays.copyOf(names, count);
        if (hasDuplicate(names)) {
            return null; // a tensor named twice
        }
        return build(
                file,
                names,
                Arrays.copyOf(shardNames, count),
                distinct.keySet(),
                metadata == null ? Map.of() : metadata,
                bytes,
                nameStart,
                nameEnd);
    }

    /**
     * Whether a name occurs twice. Writers sort the weight_map's keys (transformers' {@code save_pretrained} dumps it
     * with {@code sort_keys=True}), so strictly increasing neighbours answer it without hashing every name; an unsorted
     * index falls back to a set.
     */
    static boolean hasDuplicate(String[] names) {
        int i = 1;
        while (i < names.length && names[i - 1].compareTo(names[i]) < 0) {
            i++;
        }
        if (i >= names.length) {
            return false;
        }
        Set<String> seen = HashSet.newHashSet(names.length);
        for (String n : names) {
            if (!seen.add(n)) {
                return true;
            }
        }
        return false;
    }

    /** {@code null} or an object of strings, non-negative integers and booleans (what the strict parser keeps). */
    private static Map<String, Object> metadata(PlainJson json) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (json.literal("null")) {
            return out;
        }
        json.expect('{');
        if (json.consume('}')) {
            return out;
        }
        do {
            json.string();
            String key = json.text();
            json.expect(':');
            Object value;
            if (json.peek() == '"') {
                json.string();
                value = json.text();
            } else if (json.literal("true")) {
                value = Boolean.TRUE;
            } else if (json.literal("false")) {
                value = Boolean.FALSE;
            } else {
                value = json.natural();
            }
            if (out.putIfAbsent(key, value) != null) {
                throw NotPlain.INSTANCE;
            }
        } while (json.more('}'));
        return out;
    }

    /**
     * @param distinctShards the distinct values of {@code shardNames} where the caller collected them already, else
     *                       empty (then they are collected here)
     * @param source         the index's bytes, where {@code names[i]} is spelled at {@code [nameStart[i],
     *                       nameEnd[i])}; all three {@code null} when the strict parser read it
     */
    private static IndexColumns build(
            Path file,
            String[] names,
            String[] shardNames,
            Set<String> distinctShards,
            Map<String, Object> metadata,
            byte[] source,
            int[] nameStart,
            int[] nameEnd) {
        List<String> shards =
                List.copyOf(new TreeSet<>(distinctShards.isEmpty() ? Arrays.asList(shardNames) : distinctShards));
        Map<String, Integer> position = new HashMap<>();
        for (int i = 0; i < shards.size(); i++) {
            position.put(shards.get(i), i);
        }
        int[] shardOf = new int[names.length];
        int[] shardStart = new int[shards.size() + 1];
        // Consecutive entries mostly share a shard (the same String, deduplicated by the parse): one lookup per run.
        String last = null;
        int lastShard = -1;
        for (int i = 0; i < names.length; i++) {
            if (shardNames[i] != last) {
                last = shardNames[i];
                lastShard = position.get(last);
            }
            shardOf[i] = lastShard;
            shardStart[lastShard + 1]++;
        }
        for (int s = 0; s < shards.size(); s++) {
            shardStart[s + 1] += shardStart[s];
        }
        int[] byShard = new int[names.length];
        int[] next = Arrays.copyOf(shardStart, shards.size());
        for (int i = 0; i < names.length; i++) {
            byShard[next[shardOf[i]]++] = i;
        }
        return new IndexColumns(
                file,
                shards,
                names,
                shardOf,
                Collections.unmodifiableMap(new LinkedHashMap<>(metadata)),
                byShard,
                shardStart,
                source,
                nameStart,
                nameEnd);
    }

    /** {@code metadata.total_size}: the bytes of every tensor in every shard, as the writer counted them. */
    OptionalLong totalSize() {
        return metadata.get("total_size") instanceof Long l ? OptionalLong.of(l) : OptionalLong.empty();
    }

    /** {@code metadata.total_parameters}, written by transformers 5 and later. */
    OptionalLong totalParameters() {
        return metadata.get("total_parameters") instanceof Long l ? OptionalLong.of(l) : OptionalLong.empty();
    }

    public Path file() {
        return file;
    }

    /** The distinct shard file names, sorted: the order the shards are read in. */
    public List<String> shards() {
        return shards;
    }

    /** How many entries the index places in shard {@code s} (a position in {@link #shards}). */
    public int entryCount(int s) {
        return shardStart[s + 1] - shardStart[s];
    }

    /** The {@code k}-th tensor name (in index order) the index places in shard {@code s}. */
    public String entryName(int s, int k) {
        return names[byShard[shardStart[s] + Objects.checkIndex(k, entryCount(s))]];
    }

    /** The entries as tensor name to shard name, in index order (what {@link ShardIndex#weightMap()} holds). */
    Map<String, String> weightMap() {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < names.length; i++) {
            out.put(names[i], shards.get(shardOf[i]));
        }
        return out;
    }

    /** The index's {@code metadata} entries (numbers as Long or Double, strings, booleans). */
    Map<String, Object> metadata() {
        return metadata;
    }

    /** The folder the shards must sit in. */
    Path folder() {
        Path parent = file.toAbsolutePath().getParent();
        return parent == null ? Path.of(".") : parent;
    }

    /**
     * Shard {@code s}'s entries, in index order, as the names its header is expected to spell, or {@code null} when
     * the index was not read from plain bytes.
     */
    KnownNames knownNames(int s) {
        return source == null ? null : new KnownNames(s);
    }

    /**
     * What a shard's header parse asks of the index ({@link ColumnarHeaderParser}): whether the header's k-th key
     * spells the shard's k-th entry, and if so the entry's String. The header's name is then that String instead of a
     * second copy of it: every tensor name was made twice, once per file (5 MB of the 46 MB a 45,395-tensor inspect
     * allocated, each byte zeroed twice as fresh memory first, issue 12), and the index check then compares each
     * name with itself. Equal bytes of plain ASCII are equal Strings, so what a header holds does not change.
     */
    final class KnownNames {
        private final int from;
        private final int count;

        private KnownNames(int s) {
            this.from = shardStart[s];
            this.count = shardStart[s + 1] - from;
        }

        /**
         * The {@code k}-th entry's name if it is spelled exactly by {@code bytes[start, end)}, else {@code null}.
         */
        String match(int k, byte[] bytes, int start, int end) {
            if (k >= count) {
                return null;
            }
            int i = byShard[from + k];
            return Arrays.equals(bytes, start, end, source, nameStart[i], nameEnd[i]) ? names[i] : null;
        }
    }

    /** The first tensor (in index order) that the index places in {@code shard}, for messages. */
    public String firstTensorOf(int shard) {
        return shardStart[shard] < shardStart[shard + 1] ? names[byShard[shardStart[shard]]] : null;
    }

    /** Whether shard {@code s}'s header lists exactly the index's entries for it, in the index's order. */
    private boolean inIndexOrder(List<Tensor> stored, int s) {
        int from = shardStart[s];
        if (stored.size() != shardStart[s + 1] - from) {
            return false;
        }
        for (int i = 0; i < stored.size(); i++) {
            if (!stored.get(i).name().equals(names[byShard[from + i]])) {
                return false;
            }
        }
        return true;
    }

    /**
     * Checks shard {@code s}'s tensors one by one against a hash table of the index's entries for that shard (open
     * addressing; slots hold entry position + 1), reporting the first that is not there as the index places it.
     */
    private void checkByTable(SafetensorsHeader h, int s) {
        int from = shardStart[s];
        int to = shardStart[s + 1];
        int[] slots = new int[Integer.highestOneBit(Math.max(1, to - from)) * 4];
        int mask = slots.length - 1;
        for (int k = from; k < to; k++) {
            int i = mix(names[byShard[k]].hashCode()) & mask;
            while (slots[i] != 0) {
                i = (i + 1) & mask;
            }
            slots[i] = byShard[k] + 1;
        }
        for (Tensor t : h.tensors()) {
            if (!inTable(slots, t.name())) {
                checkStored(h, s, t);
            }
        }
    }

    private boolean inTable(int[] slots, String name) {
        int mask = slots.length - 1;
        for (int i = mix(name.hashCode()) & mask; slots[i] != 0; i = (i + 1) & mask) {
            if (names[slots[i] - 1].equals(name)) {
                return true;
            }
        }
        return false;
    }

    private static int mix(int h) {
        return h ^ (h >>> 16);
    }

    /** A stored tensor that is not among its shard's entries: which of the two errors it is (a rare path). */
    private void checkStored(SafetensorsHeader h, int s, Tensor t) {
        Integer expected = null;
        for (int i = 0; i < names.length && expected == null; i++) {
            if (names[i].equals(t.name())) {
                expected = shardOf[i];
            }
        }
        if (expected == null) {
            throw new CorruptModelException(
                    h.file(),
                    t.name(),
                    "tensor is stored in this shard but missing " + "from the index's weight_map (" + file.getFileName()
                            + ")");
        }
        if (expected != s) {
            throw new CorruptModelException(
                    h.file(),
                    t.name(),
                    "tensor is stored in this shard but the " + "index's weight_map places it in '"
                            + shards.get(expected) + "'");
        }
    }

    /**
     * Checks the shards' headers (one per entry of {@link #shards}, in that order) against the index: every stored
     * tensor is in the index and in the shard it names, and every tensor the index names is stored. A name is unique
     * within a header and the index maps it to one shard, so when every stored tensor matches and their count equals
     * the index's, nothing the index names is missing; only then is the missing one looked for.
     */
    void check(List<SafetensorsHeader> headers) {
        long matched = 0;
        for (int s = 0; s < headers.size(); s++) {
            SafetensorsHeader h = headers.get(s);
            if (!inIndexOrder(h.tensors(), s)) {
                checkByTable(h, s);
            }
            matched += h.tensors().size();
        }
        if (matched != names.length) {
            Set<String> stored = new HashSet<>();
            headers.forEach(h -> h.tensors().forEach(t -> stored.add(t.name())));
            for (int i = 0; i < names.length; i++) {
                if (!stored.contains(names[i])) {
                    throw new CorruptModelException(
                            file,
                            names[i],
                            "weight_map places this tensor in '" + shards.get(shardOf[i])
                                    + "', which does not hold it");
                }
            }
        }
    }

    /** The shards as paths in {@link #folder()}, by the one path policy ({@link ModelFolder}), each checked to exist. */
    List<Path> shardPaths() {
        Path folder = folder();
        List<Path> out = new ArrayList<>(shards.size());
        for (int s = 0; s < shards.size(); s++) {
            Path shard = ModelFolder.resolve(file, firstTensorOf(s), folder, shards.get(s));
            if (!Files.isRegularFile(shard)) {
                throw new CorruptModelException(
                        file,
                        firstTensorOf(s),
                        "weight_map names shard '" + shards.get(s) + "', which does not exist in " + folder);
            }
            out.add(shard);
        }
        return out;
    }
}
