package dev.heft.core.format.gguf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.heft.core.error.CorruptModelException;
import dev.heft.core.error.ModelFormatException;
import dev.heft.core.error.UnsupportedModelException;
import dev.heft.core.tensor.DType;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hostile and broken GGUF headers, all generated here (valid files by {@link GgufWriter}, broken fields by
 * {@link RawGguf}): each must end in a typed {@link ModelFormatException} that names the file and where, never another
 * exception, a hang, or an allocation sized by the bad field.
 */
class GgufHostileInputTest {
    private static final Path FILE = Path.of("hostile.gguf");
    private static final long HUGE = 1L << 62;

    private static GgufFile parse(byte[] bytes) {
        return GgufParser.parse(MemorySegment.ofArray(bytes), FILE);
    }

    private static CorruptModelException corrupt(byte[] bytes) {
        Throwable t = catchThrowable(() -> parse(bytes));
        assertThat(t).isInstanceOf(CorruptModelException.class);
        CorruptModelException e = (CorruptModelException) t;
        assertThat(e.file()).isEqualTo(FILE);
        assertThat(e.getMessage()).startsWith("hostile.gguf");
        return e;
    }

    private static UnsupportedModelException unsupported(byte[] bytes) {
        Throwable t = catchThrowable(() -> parse(bytes));
        assertThat(t).isInstanceOf(UnsupportedModelException.class);
        return (UnsupportedModelException) t;
    }

    // ---- truncation ----

    /** Cut a valid file after every byte up to the end of its last tensor's data: each cut is corrupt. */
    @ParameterizedTest
    @EnumSource(GgufVersion.class)
    void everyTruncationIsCorrupt(GgufVersion version) {
        byte[] whole = GgufWriterTest.sample(version).toBytes();
        GgufFile f = parse(whole);
        long end = 0;
        for (GgufTensorInfo t : f.tensors()) {
            end = Math.max(end, f.absoluteOffset(t) + t.bytes());
        }
        for (int cut = 0; cut < end; cut++) {
            byte[] part = java.util.Arrays.copyOf(whole, cut);
            int at = cut;
            Throwable t = catchThrowable(() -> parse(part));
            assertThat(t).as("cut at %d of %d", at, end).isInstanceOf(CorruptModelException.class);
            assertThat(((CorruptModelException) t).offset()).as("cut at %d", at).isLessThanOrEqualTo(end);
        }
        // Only the last tensor's alignment padding may be cut: the data is all there.
        assertThat(parse(java.util.Arrays.copyOf(whole, (int) end)).tensorCount())
                .isEqualTo(3);
    }

    @Test
    void truncatedFileOnDiskIsCorrupt(@TempDir Path dir) throws IOException {
        byte[] whole = GgufWriterTest.sample(GgufVersion.V3).toBytes();
        Path p = dir.resolve("cut.gguf");
        Files.write(p, java.util.Arrays.copyOf(whole, 100));
        assertThatThrownBy(() -> GgufReader.readFile(p))
                .isInstanceOf(CorruptModelException.class)
                .hasMessageStartingWith(p.toString());
        Files.write(p, new byte[0]);
        assertThatThrownBy(() -> new GgufReader().read(p)).isInstanceOf(CorruptModelException.class);
    }

    // ---- counts and lengths ----

    @Test
    void absurdTensorCountIsRefusedBeforeAllocating() {
        CorruptModelException e = corrupt(RawGguf.v3(HUGE, 0).toBytes());
        assertThat(e.problem()).contains("tensor_count is " + HUGE);
    }

    @Test
    void absurdKvCountIsRefusedBeforeAllocating() {
        CorruptModelException e = corrupt(RawGguf.v3(0, HUGE).toBytes());
        assertThat(e.problem()).contains("metadata_kv_count is " + HUGE);
    }

    @Test
    void countsOfTwoToTheSixtyThreeAreCorrupt() {
        assertThat(corrupt(RawGguf.v3(Long.MIN_VALUE, 0).toBytes()).problem()).contains("9223372036854775808");
        assertThat(corrupt(RawGguf.v3(-1, 0).toBytes()).problem()).contains("18446744073709551615");
    }

    @Test
    void stringLengthOfTwoToTheSixtyThreeIsCorrupt() {
        byte[] b = RawGguf.v3(0, 1)
                .u64(Long.MIN_VALUE)
                .bytes("key".getBytes())
                .zeros(16)
                .toBytes();
        CorruptModelException e = corrupt(b);
        assertThat(e.offset()).isEqualTo(24); // the length field right after the header
        assertThat(e.problem()).contains("string length");
    }

    @Test
    void stringLengthPastTheEndIsCorrupt() {
        byte[] b = RawGguf.v3(0, 1).u64(1000).bytes("key".getBytes()).zeros(16).toBytes();
        assertThat(corrupt(b).problem()).contains("truncated");
        byte[] value = RawGguf.v3(0, 1)
                .str("k")
                .u32(GgufValueType.STRING.id())
                .u64(HUGE)
                .toBytes();
        assertThat(corrupt(value).problem()).contains("truncated");
    }

    @Test
    void hugeArrayLengthIsRefusedBeforeWalking() {
        byte[] b = RawGguf.v3(0, 1)
                .str("a")
                .u32(GgufValueType.ARRAY.id())
                .u32(GgufValueType.STRING.id())
                .u64(HUGE)
                .zeros(64)
                .toBytes();
        CorruptModelException e = corrupt(b);
        assertThat(e.problem()).contains("array length is " + HUGE);
        byte[] ints = RawGguf.v3(0, 1)
                .str("a")
                .u32(GgufValueType.ARRAY.id())
                .u32(GgufValueType.INT64.id())
                .u64(1000)
                .zeros(8 * 999)
                .toBytes(); // one element short
        assertThat(corrupt(ints).problem()).contains("array length is 1000");
    }

    @Test
    void deeplyNestedArraysAreRefusedNotRecursed() {
        RawGguf g = RawGguf.v3(0, 1).str("deep").u32(GgufValueType.ARRAY.id());
        for (int i = 0; i < 10_000; i++) {
            g.u32(GgufValueType.ARRAY.id()).u64(1);
        }
        UnsupportedModelException e =
                unsupported(g.u32(GgufValueType.UINT8.id()).u64(0).toBytes());
        assertThat(e.key()).isEqualTo("deep");
    }

    @Test
    void unknownValueTypeIsCorrupt() {
        byte[] b = RawGguf.v3(0, 1).str("k").u32(13).u32(0).toBytes();
        CorruptModelException e = corrupt(b);
        assertThat(e.key()).isEqualTo("k");
        assertThat(e.problem()).contains("unknown metadata value type 13");
    }

    @Test
    void invalidUtf8InAKeyIsCorrupt() {
        byte[] bad = {'a', (byte) 0xC3, (byte) 0x28}; // a lead byte followed by a non-continuation
        byte[] b = RawGguf.v3(0, 1)
                .u64(bad.length)
                .bytes(bad)
                .u32(GgufValueType.UINT8.id())
                .u8(1)
                .toBytes();
        CorruptModelException e = corrupt(b);
        assertThat(e.offset()).isEqualTo(32);
        assertThat(e.problem()).contains("not valid UTF-8");
    }

    @Test
    void invalidUtf8InAValueIsKeptAndNoted() {
        byte[] bad = {'x', (byte) 0xFF};
        byte[] b = RawGguf.v3(0, 1)
                .str("k")
                .u32(GgufValueType.STRING.id())
                .u64(bad.length)
                .bytes(bad)
                .toBytes();
        GgufFile f = parse(b);
        assertThat(f.metadata()).containsEntry("k", "x\uFFFD");
        assertThat(f.notes()).singleElement().asString().contains("1 metadata string value(s) are not valid UTF-8");
    }

    @Test
    void duplicateKeyIsCorrupt() {
        byte[] b = RawGguf.v3(0, 2).kvU32("a", 1).kvU32("a", 2).toBytes();
        assertThat(corrupt(b).key()).isEqualTo("a");
    }

    // ---- header identity ----

    @ParameterizedTest
    @ValueSource(longs = {0, 4, 99})
    void unknownVersionIsUnsupported(long version) {
        byte[] b = new RawGguf()
                .bytes("GGUF".getBytes())
                .u32(version)
                .u64(0)
                .u64(0)
                .toBytes();
        assertThat(unsupported(b).problem()).contains("version " + version);
    }

    @Test
    void bigEndianFileIsUnsupported() {
        byte[] b = new RawGguf()
                .bytes("GGUF".getBytes())
                .u32(Integer.reverseBytes(3))
                .u64(0)
                .u64(0)
                .toBytes();
        assertThat(unsupported(b).problem()).contains("big-endian");
    }

    @Test
    void wrongMagicIsUnsupported() {
        byte[] b = new RawGguf().bytes("GGML".getBytes()).u32(3).u64(0).u64(0).toBytes();
        assertThat(unsupported(b).offset()).isZero();
    }

    // ---- alignment ----

    @ParameterizedTest
    @ValueSource(longs = {0, 3, 48, 0xFFFF_FFFFL})
    void alignmentThatIsNotAPowerOfTwoIsCorrupt(long alignment) {
        byte[] b = RawGguf.v3(0, 1).kvU32("general.alignment", alignment).toBytes();
        CorruptModelException e = corrupt(b);
        assertThat(e.key()).isEqualTo("general.alignment");
        assertThat(e.problem()).contains("not a nonzero power of two");
    }

    @Test
    void alignmentOfTheWrongTypeIsCorrupt() {
        byte[] b = RawGguf.v3(0, 1)
                .str("general.alignment")
                .u32(GgufValueType.UINT64.id())
                .u64(32)
                .toBytes();
        assertThat(corrupt(b).problem()).contains("must be a uint32");
    }

    // ---- tensor infos ----

    /** A file with one KV-less header and the given tensor infos, padded, then {@code dataBytes} of data. */
    private static byte[] withTensors(long dataBytes, TensorSpec... tensors) {
        RawGguf g = RawGguf.v3(tensors.length, 0);
        for (TensorSpec t : tensors) {
            g.tensor(t.name, t.ne, t.type, t.offset);
        }
        return g.padTo(32).zeros(dataBytes).toBytes();
    }

    private record TensorSpec(String name, long[] ne, long type, long offset) {}

    private static TensorSpec f32(String name, long offset, long... ne) {
        return new TensorSpec(name, ne, 0, offset);
    }

    @Test
    void aValidHandMadeFileReads() {
        GgufFile f = parse(withTensors(96, f32("a", 0, 8), f32("b", 32, 4, 4)));
        assertThat(f.tensors()).extracting(GgufTensorInfo::bytes).containsExactly(32L, 64L);
    }

    @Test
    void layoutLlamaCppWouldRefuseIsReadButNoted() {
        // b before a in the data: valid for gguf-py (aligned, in bounds, disjoint), not for gguf.cpp
        GgufFile f = parse(withTensors(64, f32("a", 32, 8), f32("b", 0, 8)));
        assertThat(f.notes()).singleElement().asString().contains("'a' is at data offset 32 where llama.cpp expects 0");
        String longName = "x".repeat(64);
        assertThat(parse(withTensors(32, f32(longName, 0, 8))).notes())
                .singleElement()
                .asString()
                .contains("64 bytes or longer");
        assertThat(parse(withTensors(32, f32("x".repeat(63), 0, 8))).notes()).isEmpty();
    }

    @Test
    void tensorOffsetPastEndOfFileIsCorrupt() {
        CorruptModelException e = corrupt(withTensors(32, f32("a", 0, 8), f32("far", 1L << 40, 8)));
        assertThat(e.key()).isEqualTo("far");
        assertThat(e.problem()).contains("past the end of the file");
        // offset + bytes that would overflow a long must not wrap around into the file
        assertThat(corrupt(withTensors(32, f32("wrap", Long.MAX_VALUE - 31, 8))).key())
                .isEqualTo("wrap");
    }

    @Test
    void tensorDataRunningPastEndOfFileIsCorrupt() {
        CorruptModelException e = corrupt(withTensors(32, f32("long", 0, 9)));
        assertThat(e.key()).isEqualTo("long");
        assertThat(e.problem()).contains("36 bytes");
    }

    @Test
    void misalignedOffsetIsCorrupt() {
        CorruptModelException e = corrupt(withTensors(128, f32("a", 0, 4), f32("b", 16, 4)));
        assertThat(e.key()).isEqualTo("b");
        assertThat(e.problem()).contains("not a multiple of the alignment 32");
    }

    @Test
    void overlappingTensorsAreCorrupt() {
        CorruptModelException e = corrupt(withTensors(128, f32("a", 0, 16), f32("b", 32, 8)));
        assertThat(e.key()).isEqualTo("b");
        assertThat(e.problem()).contains("overlaps 'a'");
        // order in the file does not matter
        assertThat(corrupt(withTensors(128, f32("b", 32, 8), f32("a", 0, 16))).problem())
                .contains("overlaps");
    }

    @Test
    void duplicateTensorNameIsCorrupt() {
        assertThat(corrupt(withTensors(64, f32("a", 0, 8), f32("a", 32, 8))).key())
                .isEqualTo("a");
    }

    @ParameterizedTest
    @ValueSource(longs = {4, 5, 31, 36, 38, 43, 1000, 0xFFFF_FFFFL})
    void unknownGgmlTypeIsUnsupportedNamingTensorAndId(long id) {
        UnsupportedModelException e = unsupported(withTensors(32, new TensorSpec("w", new long[] {32}, id, 0)));
        assertThat(e.key()).isEqualTo("w");
        assertThat(e.problem()).contains("unknown ggml type id " + id);
    }

    @Test
    void moreThanFourDimensionsIsCorrupt() {
        CorruptModelException e = corrupt(withTensors(32, f32("five", 0, 1, 1, 1, 1, 2)));
        assertThat(e.key()).isEqualTo("five");
        assertThat(e.problem()).contains("n_dims is 5");
        assertThat(corrupt(RawGguf.v3(1, 0).str("w").u32(0xFFFF_FFFFL).zeros(16).toBytes())
                        .problem())
                .contains("n_dims");
    }

    @ParameterizedTest
    @ValueSource(longs = {0, -1, Long.MIN_VALUE})
    void zeroOrNegativeDimensionIsCorrupt(long dim) {
        CorruptModelException e = corrupt(withTensors(32, f32("w", 0, 8, dim)));
        assertThat(e.key()).isEqualTo("w");
        assertThat(e.problem()).contains("ne[1] is " + dim);
    }

    @Test
    void elementCountOverflowIsCorrupt() {
        CorruptModelException e = corrupt(withTensors(32, f32("big", 0, 1L << 31, 1L << 31, 1L << 31)));
        assertThat(e.key()).isEqualTo("big");
        assertThat(e.problem()).contains("overflows");
        // elements fit a long, bytes do not: 2^61 F32 elements are 2^63 bytes
        assertThat(corrupt(withTensors(32, f32("bytes", 0, 1L << 31, 1L << 30))).key())
                .isEqualTo("bytes");
    }

    @Test
    void rowThatIsNotWholeBlocksIsCorrupt() {
        long q4k = DType.Q4_K.ggmlId();
        CorruptModelException e = corrupt(withTensors(1024, new TensorSpec("q", new long[] {192, 4}, q4k, 0)));
        assertThat(e.key()).isEqualTo("q");
        assertThat(e.problem()).contains("ne[0] = 192").contains("blocks of 256");
        // 256 x 1 rows of 192 elements would be whole blocks in total, but rows must be whole on their own
        assertThat(corrupt(withTensors(1024, new TensorSpec("r", new long[] {128, 2}, q4k, 0)))
                        .key())
                .isEqualTo("r");
    }

    @Test
    void splitPartWithMissingSiblingsIsReported(@TempDir Path dir) throws IOException {
        Path part = dir.resolve("m-00001-of-00002.gguf");
        new GgufWriter()
                .put("split.no", GgufValue.u16(0))
                .put("split.count", GgufValue.u16(2))
                .put("split.tensors.count", GgufValue.i32(1))
                .tensor("a", new long[] {8}, DType.F32)
                .write(part);
        CorruptModelException e = (CorruptModelException) catchThrowable(() -> new GgufReader().read(part));
        assertThat(e.key()).isEqualTo("split.count");
        assertThat(e.problem()).contains("part 2 of 2 is missing");

        Path odd = dir.resolve("renamed.gguf");
        Files.copy(part, odd);
        assertThat(catchThrowable(() -> new GgufReader().read(odd))).isInstanceOf(UnsupportedModelException.class);
    }

    @Test
    void splitPartsThatDisagreeAreCorrupt(@TempDir Path dir) throws IOException {
        new GgufWriter()
                .put("split.no", GgufValue.u16(0))
                .put("split.count", GgufValue.u16(2))
                .put("split.tensors.count", GgufValue.i32(3))
                .tensor("a", new long[] {8}, DType.F32)
                .write(dir.resolve("m-00001-of-00002.gguf"));
        new GgufWriter()
                .put("split.no", GgufValue.u16(1))
                .put("split.count", GgufValue.u16(2))
                .put("split.tensors.count", GgufValue.i32(3))
                .tensor("b", new long[] {8}, DType.F32)
                .write(dir.resolve("m-00002-of-00002.gguf"));
        Throwable t = catchThrowable(() -> new GgufReader().read(dir.resolve("m-00002-of-00002.gguf")));
        assertThat(t).isInstanceOf(CorruptModelException.class).hasMessageContaining("says 3 tensors");

        new GgufWriter()
                .put("split.no", GgufValue.u16(0))
                .put("split.count", GgufValue.u16(2))
                .put("split.tensors.count", GgufValue.i32(2))
                .tensor("b", new long[] {8}, DType.F32)
                .write(dir.resolve("m-00002-of-00002.gguf"));
        assertThat(((CorruptModelException)
                                catchThrowable(() -> new GgufReader().read(dir.resolve("m-00001-of-00002.gguf"))))
                        .key())
                .isEqualTo("split.no");
    }

    @Test
    void splitTensorStoredTwiceIsCorrupt(@TempDir Path dir) throws IOException {
        for (int i = 0; i < 2; i++) {
            new GgufWriter()
                    .put("split.no", GgufValue.u16(i))
                    .put("split.count", GgufValue.u16(2))
                    .put("split.tensors.count", GgufValue.i32(2))
                    .tensor("same", new long[] {8}, DType.F32)
                    .write(dir.resolve("m-0000" + (i + 1) + "-of-00002.gguf"));
        }
        Throwable t = catchThrowable(() -> new GgufReader().read(dir.resolve("m-00001-of-00002.gguf")));
        assertThat(((CorruptModelException) t).key()).isEqualTo("same");
    }

    @Test
    void noTensorsNeedNoDataSection() {
        GgufFile f =
                parse(RawGguf.v3(0, 1).kvString("general.architecture", "x").toBytes());
        assertThat(f.tensors()).isEmpty();
        assertThat(f.metadata()).isEqualTo(java.util.Map.of("general.architecture", "x"));
        assertThat(List.copyOf(f.notes())).isEmpty();
    }
}
