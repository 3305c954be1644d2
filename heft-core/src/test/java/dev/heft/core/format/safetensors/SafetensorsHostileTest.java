package dev.heft.core.format.safetensors;

import static dev.heft.core.format.safetensors.SafetensorsWriter.Entry;
import static dev.heft.core.format.safetensors.SafetensorsWriter.Spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.heft.core.error.CorruptModelException;
import dev.heft.core.error.InvalidInputException;
import dev.heft.core.error.ModelFormatException;
import dev.heft.core.error.UnsupportedModelException;
import dev.heft.core.format.io.SegmentReader;
import dev.heft.core.tensor.DType;
import dev.heft.core.tensor.Tensor;
import dev.heft.core.tensor.TensorInventory;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files that break each rule of the format, written by {@link SafetensorsWriter}; every one is a typed error. */
class SafetensorsHostileTest {
    @TempDir
    Path dir;

    private static final Spec A = new Spec("a", "F32", 2, 3);
    private static final Spec B = new Spec("b", "BF16", 4);

    private TensorInventory read(byte[] bytes) throws IOException {
        return new SafetensorsReader().read(SafetensorsWriter.write(dir.resolve("x.safetensors"), bytes));
    }

    private ModelFormatException corrupt(byte[] bytes) {
        return expect(CorruptModelException.class, () -> read(bytes));
    }

    private static <T extends ModelFormatException> T expect(Class<T> type, ThrowingCallable call) {
        Throwable[] caught = new Throwable[1];
        assertThatThrownBy(call).isInstanceOf(type).satisfies(t -> caught[0] = t);
        return type.cast(caught[0]);
    }

    private byte[] withEntries(long dataBytes, Entry... entries) {
        return SafetensorsWriter.file(SafetensorsWriter.header(null, List.of(entries)), dataBytes);
    }

    // ---- well-formed files ----

    @Test
    void readsAWellFormedFileWithMetadataPaddingAndAbsoluteOffsets() throws IOException {
        byte[] bytes = SafetensorsWriter.file(
                Map.of("format", "pt"), A, B, new Spec("empty", "F16", 0, 5), new Spec("scalar", "I64"));
        TensorInventory inv = read(bytes);
        long headerLength = java.nio.ByteBuffer.wrap(bytes, 0, 8)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .getLong();
        assertThat(headerLength % 8).isZero(); // padded with spaces as the reference writer pads
        assertThat(inv.metadata()).containsExactly(Map.entry("format", "pt"));
        Tensor a = inv.tensor("a").orElseThrow();
        assertThat(a.offset()).isEqualTo(8 + headerLength);
        assertThat(a.bytes()).isEqualTo(24);
        assertThat(a.shape()).containsExactly(2, 3);
        Tensor b = inv.tensor("b").orElseThrow();
        assertThat(b.offset()).isEqualTo(8 + headerLength + 24);
        assertThat(b.dtype()).isEqualTo(DType.BF16);
        assertThat(inv.tensor("empty").orElseThrow().bytes()).isZero();
        assertThat(inv.tensor("scalar").orElseThrow().shape()).isEmpty();
        assertThat(inv.parameters()).isEqualTo(6 + 4 + 0 + 1);
    }

    @Test
    void entriesInAnyHeaderOrderAreSortedByOffset() throws IOException {
        Entry second = Entry.of("second", "U8", new long[] {3}, 5, 8);
        Entry first = Entry.of("first", "U8", new long[] {5}, 0, 5);
        TensorInventory inv = read(withEntries(8, second, first));
        assertThat(inv.tensors()).extracting(Tensor::name).containsExactly("first", "second");
    }

    @Test
    void everyReferenceDtypeIsReadWithTheReferenceBitWidth() throws IOException {
        Spec[] specs = SafetensorsWriter.REFERENCE_BITS.keySet().stream()
                .map(name -> new Spec("t_" + name, name, 3, 8))
                .toArray(Spec[]::new);
        TensorInventory inv = read(SafetensorsWriter.file(null, specs));
        for (Spec s : specs) {
            Tensor t = inv.tensor(s.name()).orElseThrow();
            assertThat(t.bytes()).as(s.dtype()).isEqualTo(24L * SafetensorsWriter.REFERENCE_BITS.get(s.dtype()) / 8);
            assertThat(t.dtype().safetensorsName()).isEqualTo(s.dtype());
        }
    }

    @Test
    void emptyHeaderWithNoDataIsAValidEmptyFile() throws IOException {
        assertThat(read(SafetensorsWriter.file("{}", 0)).tensors()).isEmpty();
    }

    // ---- the length prefix ----

    @Test
    void headerLengthTwoToTheSixtyThreeIsRefused() {
        ModelFormatException e =
                corrupt(SafetensorsWriter.raw(Long.MIN_VALUE, "{}".getBytes(StandardCharsets.UTF_8), 0));
        assertThat(e.offset()).isZero();
        assertThat(e.problem()).contains("9223372036854775808").contains("100000000");
    }

    @Test
    void headerLengthAboveTheReferenceCapIsRefusedEvenIfTheFileIsThatLarge() throws IOException {
        Path big = dir.resolve("big.safetensors");
        try (var raf = new java.io.RandomAccessFile(big.toFile(), "rw")) {
            raf.write(SafetensorsWriter.raw(100_000_001L, new byte[] {'{'}, 0));
            raf.setLength(100_000_001L + 8); // sparse: nothing is written past the prefix
        }
        assertThatThrownBy(() -> new SafetensorsReader().read(big))
                .isInstanceOf(CorruptModelException.class)
                .hasMessageContaining("at byte 0")
                .hasMessageContaining("exceeds");
    }

    @Test
    void headerLengthPastTheEndOfTheFileIsRefused() {
        ModelFormatException e = corrupt(SafetensorsWriter.raw(4096, "{}".getBytes(StandardCharsets.UTF_8), 0));
        assertThat(e.offset()).isZero();
        assertThat(e.problem()).contains("runs past the end of the file");
    }

    @Test
    void aFileShorterThanTheLengthPrefixIsTruncatedAtByteZeroInTheBoundsCheckedReadersWords() throws IOException {
        for (int n = 0; n < 8; n++) {
            byte[] part = new byte[n];
            // What the bounds-checked reader every format uses says of the same bytes (it read this prefix before).
            String expected = expect(
                            CorruptModelException.class,
                            () -> new SegmentReader(MemorySegment.ofArray(part), Path.of("x"))
                                    .i64("header length (u64 little-endian)"))
                    .problem();
            ModelFormatException file = corrupt(part);
            assertThat(file.offset()).isZero();
            assertThat(file.problem()).isEqualTo(expected);
            long size = n;
            ModelFormatException upload =
                    expect(CorruptModelException.class, () -> HeaderReader.parse(part, Path.of("x.safetensors"), size));
            assertThat(upload.problem()).isEqualTo(expected);
        }
    }

    @Test
    void truncationAtEveryByteIsCorruption() throws IOException {
        byte[] whole = SafetensorsWriter.file(Map.of("format", "pt"), A, B);
        read(whole); // the untruncated file is fine
        for (int cut = 0; cut < whole.length; cut++) {
            byte[] part = Arrays.copyOf(whole, cut);
            assertThatThrownBy(() -> read(part))
                    .as("cut at %d of %d", cut, whole.length)
                    .isInstanceOf(CorruptModelException.class);
        }
    }

    // ---- the header text ----

    @Test
    void headerMustStartWithABrace() {
        ModelFormatException e = corrupt(SafetensorsWriter.file("  {}", 0));
        assertThat(e.offset()).isEqualTo(8);
        assertThat(e.problem()).contains("must start with '{'");
    }

    @Test
    void nonObjectHeaderIsRefused() {
        assertThat(corrupt(SafetensorsWriter.file("[1, 2]", 0)).problem()).contains("must start with '{'");
        assertThat(corrupt(SafetensorsWriter.file("{\"a\": 5}", 0)).key()).isEqualTo("a");
    }

    @Test
    void invalidUtf8IsReportedAtItsByte() {
        byte[] header = "{\"a?\":{}}".getBytes(StandardCharsets.US_ASCII);
        header[3] = (byte) 0xff; // never valid in UTF-8
        ModelFormatException e = corrupt(SafetensorsWriter.raw(header.length, header, 0));
        assertThat(e.offset()).isEqualTo(8 + 3);
        assertThat(e.problem()).contains("UTF-8");
    }

    @Test
    void malformedJsonIsReportedAtItsByte() {
        ModelFormatException e = corrupt(SafetensorsWriter.file("{\"é\": ]", 0));
        assertThat(e.offset()).isEqualTo(8 + 7); // '{' '"' 'é'(2 bytes) '"' ':' ' ' then ']'
        assertThat(e.problem()).contains("not valid JSON");
    }

    @Test
    void duplicateKeysAreRefused() {
        Entry a = Entry.of("a", "U8", new long[] {1}, 0, 1);
        String header = "{" + a.json() + "," + a.json() + "}";
        assertThat(corrupt(SafetensorsWriter.file(header, 1)).problem()).contains("duplicate key 'a'");
    }

    @Test
    void metadataMustMapStringsToStrings() {
        ModelFormatException e = corrupt(SafetensorsWriter.file("{\"__metadata__\":{\"format\":\"pt\",\"n\":1}}", 0));
        assertThat(e.key()).isEqualTo("__metadata__.n");
        assertThat(corrupt(SafetensorsWriter.file("{\"__metadata__\":[]}", 0)).key())
                .isEqualTo("__metadata__");
    }

    @Test
    void deepNestingFailsCleanly() {
        String deep = "{\"a\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}";
        assertThat(corrupt(SafetensorsWriter.file(deep, 0)).problem()).contains("nested deeper");
    }

    // ---- tensor entries ----

    @Test
    void missingFieldsAreNamed() {
        for (String field : List.of("dtype", "shape", "data_offsets")) {
            String entry = "{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]}"
                    .replaceFirst("\"" + field + "\":(\"U8\"|\\[1\\]|\\[0,1\\]),?", "")
                    .replace(",}", "}");
            ModelFormatException e = corrupt(SafetensorsWriter.file("{\"t\":" + entry + "}", 1));
            assertThat(e.key()).isEqualTo("t");
            assertThat(e.problem()).contains("no '" + field + "'");
        }
    }

    @Test
    void unknownDtypeIsUnsupportedAndNamesTheTensor() {
        Entry e = Entry.of("weird", "F3", new long[] {8}, 0, 3);
        UnsupportedModelException ex = expect(UnsupportedModelException.class, () -> read(withEntries(3, e)));
        assertThat(ex.key()).isEqualTo("weird");
        assertThat(ex.problem()).contains("'F3'").contains("F8_E4M3FNUZ");
    }

    @Test
    void negativeAndFractionalAndHugeDimensionsAreRefused() {
        for (String shape : List.of("[-1, 4]", "[2.5]", "[18446744073709551616]", "[\"4\"]", "[1e999999999]")) {
            ModelFormatException e = corrupt(withEntries(4, new Entry("t", "U8", shape, "[0,4]")));
            assertThat(e.key()).as(shape).isEqualTo("t");
            assertThat(e.problem()).as(shape).contains("shape[0] must be a non-negative integer");
        }
    }

    @Test
    void hostileExponentFailsFast() {
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            corrupt(withEntries(4, new Entry("t", "U8", "[4]", "[0, 1e99999999]")));
        });
    }

    @Test
    void elementCountOverflowIsRefused() {
        long big = 1L << 32;
        ModelFormatException e = corrupt(withEntries(4, Entry.of("t", "U8", new long[] {big, big}, 0, 4)));
        assertThat(e.key()).isEqualTo("t");
        assertThat(e.problem()).contains("64 bits");
        ModelFormatException bytes = corrupt(withEntries(4, Entry.of("t", "F64", new long[] {1L << 61}, 0, 4)));
        assertThat(bytes.problem()).contains("64 bits");
    }

    @Test
    void byteLengthMustMatchDtypeTimesShape() {
        ModelFormatException e = corrupt(withEntries(20, Entry.of("t", "F32", new long[] {2, 3}, 0, 20)));
        assertThat(e.key()).isEqualTo("t");
        assertThat(e.problem()).contains("hold 20 bytes").contains("needs 24");
    }

    @Test
    void subByteDtypesMustFillWholeBytes() {
        ModelFormatException f4 = corrupt(withEntries(2, Entry.of("t", "F4", new long[] {3}, 0, 2)));
        assertThat(f4.problem()).contains("not a whole number of bytes");
        ModelFormatException f6 = corrupt(withEntries(2, Entry.of("t", "F6_E2M3", new long[] {2}, 0, 2)));
        assertThat(f6.problem()).contains("not a whole number of bytes");
    }

    @Test
    void beginAfterEndIsRefused() {
        ModelFormatException e = corrupt(withEntries(4, Entry.of("t", "U8", new long[] {0}, 4, 0)));
        assertThat(e.key()).isEqualTo("t");
        assertThat(e.problem()).contains("end before they begin");
    }

    @Test
    void offsetsPastTheEndOfFileAreRefused() {
        byte[] bytes = withEntries(4, Entry.of("t", "U8", new long[] {8}, 0, 8));
        ModelFormatException e = corrupt(bytes);
        assertThat(e.key()).isEqualTo("t");
        assertThat(e.offset()).isGreaterThan(bytes.length);
        assertThat(e.problem()).contains("past the end of the file");
        ModelFormatException huge =
                corrupt(withEntries(4, new Entry("t", "U8", "[0]", "[" + Long.MAX_VALUE + "," + Long.MAX_VALUE + "]")));
        assertThat(huge.problem()).contains("past the end of the file");
    }

    @Test
    void overlappingRangesAreRefused() {
        ModelFormatException e = corrupt(
                withEntries(6, Entry.of("a", "U8", new long[] {4}, 0, 4), Entry.of("b", "U8", new long[] {4}, 2, 6)));
        assertThat(e.key()).isEqualTo("b");
        assertThat(e.problem()).contains("overlap tensor 'a'");
    }

    @Test
    void gapsBetweenTensorsAreRefused() {
        byte[] bytes =
                withEntries(8, Entry.of("a", "U8", new long[] {4}, 0, 4), Entry.of("b", "U8", new long[] {2}, 6, 8));
        ModelFormatException e = corrupt(bytes);
        assertThat(e.key()).isEqualTo("b");
        assertThat(e.problem()).contains("gap of 2 bytes");
        ModelFormatException leading = corrupt(withEntries(4, Entry.of("a", "U8", new long[] {2}, 2, 4)));
        assertThat(leading.problem()).contains("gap of 2 bytes");
    }

    @Test
    void trailingBytesNotCoveredByAnyTensorAreRefused() {
        ModelFormatException e = corrupt(withEntries(10, Entry.of("a", "U8", new long[] {4}, 0, 4)));
        assertThat(e.problem()).contains("6 bytes after the last tensor");
    }

    // ---- indexes and folders ----

    private void shard(String name, Spec... specs) throws IOException {
        SafetensorsWriter.write(dir.resolve(name), SafetensorsWriter.file(Map.of("format", "pt"), specs));
    }

    private Path index(String json) throws IOException {
        Path p = dir.resolve("model.safetensors.index.json");
        Files.writeString(p, json);
        return p;
    }

    @Test
    void indexWithTwoShardsReadsAsOneModel() throws IOException {
        shard("s1.safetensors", A);
        shard("s2.safetensors", B);
        index("{\"metadata\":{\"total_size\":32},\"weight_map\":{\"a\":\"s1.safetensors\",\"b\":\"s2.safetensors\"}}");
        TensorInventory inv = SafetensorsReader.readDirectory(dir);
        assertThat(inv.tensors()).extracting(Tensor::name).containsExactly("a", "b");
        assertThat(inv.files()).hasSize(2);
        assertThat(inv.notes()).noneMatch(n -> n.contains("total_size says"));
    }

    @Test
    void totalSizeMismatchIsReported() throws IOException {
        shard("s1.safetensors", A);
        index("{\"metadata\":{\"total_size\":99},\"weight_map\":{\"a\":\"s1.safetensors\"}}");
        TensorInventory inv = SafetensorsReader.readDirectory(dir);
        assertThat(inv.notes()).anyMatch(n -> n.contains("total_size says 99 bytes but the shards hold 24"));
    }

    @Test
    void indexNamingAParentPathIsRefusedBeforeAnythingIsOpened() throws IOException {
        for (String evil : List.of(
                "../x.safetensors",
                "/etc/passwd",
                "sub/x.safetensors",
                "..\\\\x.safetensors",
                "..",
                "C:x.safetensors",
                "")) {
            Path idx = index("{\"weight_map\":{\"a\":\"" + evil + "\"}}");
            ModelFormatException e = expect(CorruptModelException.class, () -> SafetensorsReader.readIndex(idx));
            assertThat(e.key()).as(evil).isEqualTo("a");
            assertThat(e.problem()).contains("plain file name");
        }
    }

    @Test
    void missingShardIsNamed() throws IOException {
        shard("s1.safetensors", A);
        Path idx = index("{\"weight_map\":{\"a\":\"s1.safetensors\",\"b\":\"gone.safetensors\"}}");
        ModelFormatException e = expect(CorruptModelException.class, () -> SafetensorsReader.readIndex(idx));
        assertThat(e.key()).isEqualTo("b");
        assertThat(e.problem()).contains("'gone.safetensors'").contains("does not exist");
    }

    @Test
    void weightMapEntryAbsentFromItsShardIsRefused() throws IOException {
        shard("s1.safetensors", A);
        shard("s2.safetensors", B);
        Path idx =
                index("{\"weight_map\":{\"a\":\"s1.safetensors\",\"b\":\"s2.safetensors\",\"c\":\"s2.safetensors\"}}");
        ModelFormatException e = expect(CorruptModelException.class, () -> SafetensorsReader.readIndex(idx));
        assertThat(e.key()).isEqualTo("c");
        assertThat(e.problem()).contains("does not hold it");
    }

    @Test
    void shardTensorAbsentFromTheWeightMapIsRefused() throws IOException {
        shard("s1.safetensors", A, B);
        Path idx = index("{\"weight_map\":{\"a\":\"s1.safetensors\"}}");
        ModelFormatException e = expect(CorruptModelException.class, () -> SafetensorsReader.readIndex(idx));
        assertThat(e.key()).isEqualTo("b");
        assertThat(e.file().getFileName().toString()).isEqualTo("s1.safetensors");
        assertThat(e.problem()).contains("missing from the index's weight_map");
    }

    @Test
    void tensorInTheWrongShardIsRefused() throws IOException {
        shard("s1.safetensors", A);
        shard("s2.safetensors", B);
        Path idx = index("{\"weight_map\":{\"a\":\"s2.safetensors\",\"b\":\"s1.safetensors\"}}");
        assertThatThrownBy(() -> SafetensorsReader.readIndex(idx))
                .isInstanceOf(CorruptModelException.class)
                .hasMessageContaining("places it in");
    }

    @Test
    void corruptShardIsReportedByItsOwnName() throws IOException {
        shard("s1.safetensors", A);
        Files.write(dir.resolve("s2.safetensors"), new byte[] {1, 2, 3});
        Path idx = index("{\"weight_map\":{\"a\":\"s1.safetensors\",\"b\":\"s2.safetensors\"}}");
        ModelFormatException e = expect(CorruptModelException.class, () -> SafetensorsReader.readIndex(idx));
        assertThat(e.file().getFileName().toString()).isEqualTo("s2.safetensors");
    }

    @Test
    void malformedIndexIsCorruption() throws IOException {
        Path idx = index("{\"weight_map\": [1]}");
        assertThat(expect(CorruptModelException.class, () -> SafetensorsReader.readIndex(idx))
                        .key())
                .isEqualTo("weight_map");
        Path notJson = index("{\"weight_map\": {");
        assertThatThrownBy(() -> SafetensorsReader.readIndex(notJson)).isInstanceOf(CorruptModelException.class);
    }

    @Test
    void looseFilesWithoutIndexReadAsOneModelAndMustNotRepeatATensor() throws IOException {
        shard("part-a.safetensors", A);
        shard("part-b.safetensors", B);
        TensorInventory inv = SafetensorsReader.readDirectory(dir);
        assertThat(inv.tensors()).extracting(Tensor::name).containsExactly("a", "b");
        shard("part-c.safetensors", A);
        ModelFormatException e = expect(CorruptModelException.class, () -> SafetensorsReader.readDirectory(dir));
        assertThat(e.key()).isEqualTo("a");
        assertThat(e.problem()).contains("also stored in part-a.safetensors");
    }

    @Test
    void folderWithoutSafetensorsIsAnInputError() throws IOException {
        Files.writeString(dir.resolve("config.json"), "{}");
        assertThatThrownBy(() -> SafetensorsReader.readDirectory(dir))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("no model.safetensors");
    }

    @Test
    void configJsonBesideTheWeightsIsAttached() throws IOException {
        shard("model.safetensors", A);
        Files.writeString(dir.resolve("config.json"), "{\"model_type\": \"llama\"}");
        TensorInventory inv = SafetensorsReader.readDirectory(dir);
        assertThat(inv.config().orElseThrow().getString("model_type", null)).isEqualTo("llama");
    }

    @Test
    void singleFileIsPreferredOverAnIndexAsTransformersDoes() throws IOException {
        shard("model.safetensors", A);
        index("{\"weight_map\":{\"b\":\"gone.safetensors\"}}");
        assertThat(CheckpointLayout.of(dir)).isEqualTo(new CheckpointLayout.Single(dir.resolve("model.safetensors")));
        assertThat(SafetensorsReader.readDirectory(dir).tensors())
                .extracting(Tensor::name)
                .containsExactly("a");
    }

    @Test
    void severalIndexesWithoutTheStandardOneAreAmbiguous() throws IOException {
        Files.writeString(dir.resolve("a.safetensors.index.json"), "{\"weight_map\":{}}");
        Files.writeString(dir.resolve("b.safetensors.index.json"), "{\"weight_map\":{}}");
        assertThatThrownBy(() -> SafetensorsReader.readDirectory(dir))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("a.safetensors.index.json, b.safetensors.index.json");
    }
}
