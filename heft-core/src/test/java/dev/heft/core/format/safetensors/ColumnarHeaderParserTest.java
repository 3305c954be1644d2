package dev.heft.core.format.safetensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.heft.core.error.ModelFormatException;
import dev.heft.core.format.safetensors.SafetensorsWriter.Spec;
import dev.heft.core.tensor.Tensor;
import dev.heft.core.testing.SharedFixtures;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The columnar fast path against the strict parser it stands in for: on every header the fast path accepts, the
 * strict parser must give the same {@link SafetensorsHeader}; every header the strict parser rejects, the fast path
 * must hand over (return null), so that the user sees the strict parser's exact error. Inputs: the files
 * transformers/safetensors wrote (../shared/fixtures/hf/safetensors), headers laid out with the reference's bit table
 * ({@link SafetensorsWriter#REFERENCE_BITS}), and those headers mutated byte by byte.
 */
class ColumnarHeaderParserTest {
    private static final Path FILE = Path.of("x.safetensors");

    /** Outcome of the strict parser: the header, or the error's message. */
    private record Strict(SafetensorsHeader header, String error) {
        static Strict of(long fileSize, byte[] header) {
            try {
                return new Strict(HeaderParser.strict(FILE, fileSize, header), null);
            } catch (ModelFormatException e) {
                return new Strict(null, e.getMessage());
            }
        }
    }

    private static void assertAgrees(long fileSize, byte[] header) {
        Strict strict = Strict.of(fileSize, header);
        SafetensorsHeader fast = ColumnarHeaderParser.parse(FILE, fileSize, header);
        if (fast != null) {
            assertThat(strict.error())
                    .as("strict parser rejects what the fast path accepted")
                    .isNull();
            assertThat(fast).isEqualTo(strict.header());
            assertThat(fast.tensors()).containsExactlyElementsOf(strict.header().tensors());
        } else if (strict.error() != null) {
            // What a user sees goes through the switch: the strict parser's message, word for word.
            assertThatThrownBy(() -> HeaderParser.parse(FILE, fileSize, header)).hasMessage(strict.error());
        }
    }

    static Stream<Path> realFiles() throws IOException {
        try (Stream<Path> files = Files.walk(SharedFixtures.fixture("hf/safetensors"))) {
            return files.filter(p -> p.toString().endsWith(".safetensors")).sorted().toList().stream();
        }
    }

    @Test
    void takesTheFastPathOnEveryFileTheLibrariesWrote() throws IOException {
        List<Path> files = realFiles().toList();
        assertThat(files).hasSizeGreaterThanOrEqualTo(15);
        for (Path f : files) {
            byte[] bytes = Files.readAllBytes(f);
            long n = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
            byte[] header = Arrays.copyOfRange(bytes, 8, 8 + (int) n);
            SafetensorsHeader fast = ColumnarHeaderParser.parse(f, bytes.length, header);
            assertThat(fast).as(f.toString()).isNotNull();
            assertThat(fast).isEqualTo(HeaderParser.strict(f, bytes.length, header));
        }
    }

    /**
     * The fuzz test's committed seed corpus (FuzzSeedCorpus: valid, sub-byte dtypes, empty, overlapping tensors, an
     * unknown dtype) and the header files the libraries wrote, each cut at every eighth byte: valid, broken and
     * truncated inputs all give what the strict parser gives (its header, or its message word for word).
     */
    @Test
    void agreesOnTheSeedCorpusAndTruncatedRealHeaders() throws IOException {
        List<byte[]> files = new ArrayList<>(FuzzSeedCorpus.seeds().values());
        for (Path f : realFiles().toList()) {
            files.add(Files.readAllBytes(f));
        }
        int checked = 0;
        for (byte[] file : files) {
            long n = ByteBuffer.wrap(file, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
            if (n > file.length - 8) {
                continue; // a length past the end of the file is the reader's error, before any parser runs
            }
            byte[] header = Arrays.copyOfRange(file, 8, 8 + (int) n);
            assertAgrees(file.length, header);
            for (int cut = 0; cut < header.length; cut += 8) {
                assertAgrees(file.length, Arrays.copyOf(header, cut));
            }
            checked++;
        }
        assertThat(checked).isGreaterThanOrEqualTo(20);
    }

    /** A valid header of random tensors: dtypes from the reference's table, keys and entries in random order. */
    private static byte[] validHeader(Random r, List<Spec> specs, boolean shuffleOffsets) {
        List<SafetensorsWriter.Entry> entries = new ArrayList<>(SafetensorsWriter.layout(specs.toArray(Spec[]::new)));
        if (shuffleOffsets) {
            Collections.shuffle(entries, r);
        }
        StringBuilder sb = new StringBuilder("{");
        List<String> members = new ArrayList<>();
        for (SafetensorsWriter.Entry e : entries) {
            List<String> fields = new ArrayList<>(List.of(
                    "\"dtype\":\"" + e.dtype() + "\"",
                    "\"shape\":" + e.shapeJson(),
                    "\"data_offsets\":" + e.offsetsJson()));
            Collections.shuffle(fields, r);
            members.add("\"" + e.name() + "\"" + ws(r) + ":" + ws(r) + "{" + String.join("," + ws(r), fields) + "}");
        }
        switch (r.nextInt(4)) {
            case 0 -> members.add(r.nextInt(members.size() + 1), "\"__metadata__\":{\"format\":\"pt\",\"k\":\"v\"}");
            case 1 -> members.add(r.nextInt(members.size() + 1), "\"__metadata__\":null");
            case 2 -> members.add(r.nextInt(members.size() + 1), "\"__metadata__\":{}");
            default -> {}
        }
        sb.append(ws(r)).append(String.join("," + ws(r), members)).append(ws(r)).append('}');
        sb.append(" ".repeat(r.nextInt(8)));
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static String ws(Random r) {
        return switch (r.nextInt(6)) {
            case 0 -> " ";
            case 1 -> "\n  ";
            case 2 -> "\t";
            default -> "";
        };
    }

    private static List<Spec> specs(Random r, int count) {
        List<String> dtypes = List.copyOf(SafetensorsWriter.REFERENCE_BITS.keySet());
        List<Spec> specs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String dtype = dtypes.get(r.nextInt(dtypes.size()));
            int rank = r.nextInt(4);
            if (rank == 0 && SafetensorsWriter.REFERENCE_BITS.get(dtype) < 8) {
                dtype = "F32"; // one F4 or F6 element is not a whole number of bytes
            }
            long[] shape = new long[rank];
            for (int d = 0; d < rank; d++) {
                // Multiples of 4, so F4 and the F6 types fill whole bytes; some zeros for empty tensors.
                shape[d] = r.nextInt(5) == 0 ? 0 : 4 * (1 + r.nextInt(3));
            }
            // Names in random order, so the duplicate check cannot rely on sorted keys.
            specs.add(new Spec("model.layers." + r.nextInt(1000) + ".w" + i, dtype, shape));
        }
        return specs;
    }

    @Property(tries = 300)
    void agreesOnValidHeaders(@ForAll long seed, @ForAll @IntRange(min = 0, max = 40) int count) {
        Random r = new Random(seed);
        List<Spec> specs = specs(r, count);
        byte[] header = validHeader(r, specs, r.nextBoolean());
        long fileSize = 8 + header.length + SafetensorsWriter.dataBytes(specs.toArray(Spec[]::new));
        assertThat(ColumnarHeaderParser.parse(FILE, fileSize, header))
                .as(new String(header, StandardCharsets.US_ASCII))
                .isNotNull();
        assertAgrees(fileSize, header);
    }

    private static final byte[] ALPHABET =
            "{}[]:,\" 0123456789-.eE\\nrtu_aBF1682\u00e9".getBytes(StandardCharsets.UTF_8);

    @Property(tries = 2000)
    void agreesOnMutatedHeaders(@ForAll long seed) {
        Random r = new Random(seed);
        List<Spec> specs = specs(r, 1 + r.nextInt(6));
        byte[] header = validHeader(r, specs, r.nextBoolean());
        long fileSize = 8 + header.length + SafetensorsWriter.dataBytes(specs.toArray(Spec[]::new));
        byte[] mutated = mutate(r, header);
        // Keep the file size of the unmutated file (so ranges may now miss the end) or make it fit the new header.
        long size = r.nextBoolean() ? fileSize : fileSize - header.length + mutated.length + r.nextInt(3) - 1;
        assertAgrees(Math.max(size, 0), mutated);
    }

    private static byte[] mutate(Random r, byte[] in) {
        byte[] b = in.clone();
        int edits = 1 + r.nextInt(3);
        for (int e = 0; e < edits && b.length > 0; e++) {
            int at = r.nextInt(b.length);
            switch (r.nextInt(4)) {
                case 0 -> b[at] = ALPHABET[r.nextInt(ALPHABET.length)];
                case 1 -> b = concat(Arrays.copyOfRange(b, 0, at), Arrays.copyOfRange(b, at + 1, b.length));
                case 2 ->
                    b = concat(
                            Arrays.copyOfRange(b, 0, at),
                            new byte[] {ALPHABET[r.nextInt(ALPHABET.length)]},
                            Arrays.copyOfRange(b, at, b.length));
                default -> b = Arrays.copyOfRange(b, 0, at);
            }
        }
        return b;
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    /**
     * A reader parses shard after shard through one parser (its columns kept) from one buffer that holds more than the
     * header at hand (the longest header so far, then whatever the last read left): for valid and mutated headers in
     * a row, the reused parser reading {@code buffer[0, length)} answers as a fresh parser and the strict parser do on
     * the exact bytes, and the switch ({@link HeaderParser#parse}) gives the strict parser's header or message.
     */
    @Property(tries = 200)
    void aReusedParserOverABufferAgreesWithAFreshOneOnTheExactBytes(@ForAll long seed) {
        Random r = new Random(seed);
        ColumnarHeaderParser reused = new ColumnarHeaderParser();
        byte[] buffer = new byte[0];
        for (int shard = 0; shard < 8; shard++) {
            List<Spec> specs = specs(r, r.nextInt(70)); // past the columns' first 64 entries, so they grow and shrink
            byte[] header = validHeader(r, specs, r.nextBoolean());
            long fileSize = 8 + header.length + SafetensorsWriter.dataBytes(specs.toArray(Spec[]::new));
            if (r.nextInt(3) == 0) {
                header = mutate(r, header);
            }
            if (buffer.length < header.length) {
                buffer = new byte[header.length + r.nextInt(64)];
            }
            System.arraycopy(header, 0, buffer, 0, header.length);
            for (int i = header.length; i < buffer.length; i++) {
                buffer[i] = ALPHABET[r.nextInt(ALPHABET.length)]; // what must not be read
            }
            SafetensorsHeader fresh = ColumnarHeaderParser.parse(FILE, fileSize, header);
            SafetensorsHeader again = reused.read(FILE, fileSize, buffer, header.length);
            assertThat(again)
                    .as(new String(header, StandardCharsets.ISO_8859_1))
                    .isEqualTo(fresh);
            Strict strict = Strict.of(fileSize, header);
            byte[] held = buffer.clone();
            int length = header.length;
            ColumnarHeaderParser columns = new ColumnarHeaderParser();
            if (strict.error() != null) {
                assertThatThrownBy(() -> HeaderParser.parse(FILE, fileSize, held, length, columns, null))
                        .hasMessage(strict.error());
            } else {
                assertThat(HeaderParser.parse(FILE, fileSize, held, length, columns, null))
                        .isEqualTo(strict.header());
            }
        }
    }

    /** An index placing {@code names} in one shard, as transformers writes it (weight_map keys in the given order). */
    private static IndexColumns indexOf(List<String> names) {
        StringBuilder sb = new StringBuilder("{\"metadata\":{\"total_size\":0},\"weight_map\":{");
        for (int i = 0; i < names.size(); i++) {
            sb.append(i == 0 ? "" : ",").append('"').append(names.get(i)).append("\":\"s.safetensors\"");
        }
        IndexColumns index = IndexColumns.parse(
                Path.of("model.safetensors.index.json"),
                sb.append("}}").toString().getBytes(StandardCharsets.US_ASCII));
        assertThat(index.knownNames(0))
                .as("an index read in one pass offers its names")
                .isNotNull();
        return index;
    }

    /**
     * The names a shard's header takes from the index ({@link IndexColumns.KnownNames}): where the header spells the
     * index's entries in the index's order, each tensor's name is the index's own String (no second copy); where it
     * does not (another order, other names, a mutated header), the answer is the same as without the index, and the
     * switch still gives the strict parser's header or message.
     */
    @Property(tries = 300)
    void takesNamesFromTheIndexOnlyWhereTheySpellThemAlike(@ForAll long seed) {
        Random r = new Random(seed);
        List<Spec> specs = specs(r, 1 + r.nextInt(40));
        byte[] header = validHeader(r, specs, r.nextBoolean());
        long fileSize = 8 + header.length + SafetensorsWriter.dataBytes(specs.toArray(Spec[]::new));
        List<String> inHeaderOrder = namesInOrder(header);
        List<String> listed = new ArrayList<>(new java.util.LinkedHashSet<>(inHeaderOrder));
        int variant = r.nextInt(4);
        switch (variant) {
            case 0 -> Collections.shuffle(listed, r); // another order
            case 1 -> listed.set(r.nextInt(listed.size()), "other.name"); // one name the header does not spell
            case 2 -> header = mutate(r, header);
            default -> {} // the header's own order: every name taken from the index
        }
        IndexColumns index = indexOf(listed);
        SafetensorsHeader plain = ColumnarHeaderParser.parse(FILE, fileSize, header);
        SafetensorsHeader hinted =
                new ColumnarHeaderParser().read(FILE, fileSize, header, header.length, index.knownNames(0));
        assertThat(hinted).isEqualTo(plain);
        if (hinted != null && variant != 2) {
            for (Tensor t : hinted.tensors()) {
                int k = inHeaderOrder.indexOf(t.name());
                boolean sameSpot = k < listed.size() && listed.get(k).equals(t.name());
                if (sameSpot && inHeaderOrder.lastIndexOf(t.name()) == k) {
                    assertThat(t.name()).as("the index's String").isSameAs(index.entryName(0, k));
                }
            }
        }
        Strict strict = Strict.of(fileSize, header);
        byte[] exact = header;
        if (strict.error() != null) {
            assertThatThrownBy(() -> HeaderParser.parse(
                            FILE, fileSize, exact, exact.length, new ColumnarHeaderParser(), index.knownNames(0)))
                    .hasMessage(strict.error());
        } else {
            assertThat(HeaderParser.parse(
                            FILE, fileSize, exact, exact.length, new ColumnarHeaderParser(), index.knownNames(0)))
                    .isEqualTo(strict.header());
        }
    }

    /** The tensor keys of a valid plain header, in the order it spells them. */
    private static List<String> namesInOrder(byte[] header) {
        List<String> out = new ArrayList<>();
        PlainJson json = new PlainJson(header);
        json.expect('{');
        if (json.consume('}')) {
            return out;
        }
        do {
            json.string();
            String key = json.text();
            json.expect(':');
            skipValue(json);
            if (!key.equals(HeaderParser.METADATA_KEY)) {
                out.add(key);
            }
        } while (json.more('}'));
        return out;
    }

    private static void skipValue(PlainJson json) {
        int c = json.peek();
        if (c == '"') {
            json.string();
        } else if (c == '{' || c == '[') {
            char close = c == '{' ? '}' : ']';
            json.expect((char) c);
            if (json.consume(close)) {
                return;
            }
            do {
                if (close == '}') {
                    json.string();
                    json.expect(':');
                }
                skipValue(json);
            } while (json.more(close));
        } else if (!json.literal("null")) {
            json.natural();
        }
    }

    /** Rules the fast path must not wave through: each input is valid JSON in the plain subset, yet wrong. */
    @Test
    void handsEveryBrokenRuleToTheStrictParser() {
        String ok = "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}";
        Map<String, String> broken = new LinkedHashMap<>();
        broken.put("duplicate tensor", "{" + ok + "," + ok + "}");
        broken.put(
                "duplicate field",
                "{\"a\":{\"dtype\":\"F32\",\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}");
        broken.put("duplicate metadata", "{\"__metadata__\":{},\"__metadata__\":{}," + ok + "}");
        broken.put("metadata duplicate key", "{\"__metadata__\":{\"k\":\"1\",\"k\":\"2\"}," + ok + "}");
        broken.put("metadata number", "{\"__metadata__\":{\"k\":1}," + ok + "}");
        broken.put("unknown dtype", "{\"a\":{\"dtype\":\"F33\",\"shape\":[2],\"data_offsets\":[0,8]}}");
        broken.put("missing field", "{\"a\":{\"dtype\":\"F32\",\"shape\":[2]}}");
        broken.put("size mismatch", "{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}");
        broken.put("begin after end", "{\"a\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[8,0]}}");
        broken.put("past the end", "{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}");
        broken.put("gap", "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}");
        broken.put("partial bytes", "{\"a\":{\"dtype\":\"F4\",\"shape\":[3],\"data_offsets\":[0,8]}}");
        broken.put(
                "element overflow",
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296,2]," + "\"data_offsets\":[0,8]}}");
        broken.put(
                "byte overflow",
                "{\"a\":{\"dtype\":\"F64\",\"shape\":[4611686018427387904]," + "\"data_offsets\":[0,8]}}");
        broken.put("trailing garbage", "{" + ok + "}x");
        broken.put("not an object", "{\"a\":[1]}");
        for (Map.Entry<String, String> e : broken.entrySet()) {
            byte[] header = e.getValue().getBytes(StandardCharsets.US_ASCII);
            long fileSize = 8 + header.length + 8;
            assertThat(ColumnarHeaderParser.parse(FILE, fileSize, header))
                    .as(e.getKey())
                    .isNull();
            assertThat(Strict.of(fileSize, header).error()).as(e.getKey()).isNotNull();
        }
    }

    /** Valid headers the fast path leaves alone: the strict parser accepts them and the switch returns its answer. */
    @Test
    void leavesUnusualButValidHeadersToTheStrictParser() {
        for (String json : List.of(
                "{\"caf\\u00e9\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}",
                "{\"caf\u00e9\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}",
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8],\"extra\":1}}",
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[2.0e0],\"data_offsets\":[0,8]}}")) {
            byte[] header = json.getBytes(StandardCharsets.UTF_8);
            long fileSize = 8 + header.length + 8;
            assertThat(ColumnarHeaderParser.parse(FILE, fileSize, header))
                    .as(json)
                    .isNull();
            SafetensorsHeader strict = HeaderParser.strict(FILE, fileSize, header);
            assertThat(HeaderParser.parse(FILE, fileSize, header)).isEqualTo(strict);
        }
    }
}
