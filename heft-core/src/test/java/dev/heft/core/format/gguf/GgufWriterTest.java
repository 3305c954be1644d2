package dev.heft.core.format.gguf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heft.core.tensor.DType;
import dev.heft.core.tensor.TensorInventory.MetadataArray;
import dev.heft.core.testing.SharedFixtures;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The writer's files read back with every value intact, in every version; and the writer reproduces a real
 * llama.cpp file's layout (data offset and tensor offsets) when given the same KVs and tensors.
 */
class GgufWriterTest {

    /** A small file with one KV of every value type, nested and long arrays, and tensors of three types. */
    static GgufWriter sample(GgufVersion version) {
        List<String> vocab = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            vocab.add("tok" + i + (i % 7 == 0 ? "é✓" : ""));
        }
        return new GgufWriter(version)
                .put("general.architecture", GgufValue.string("llama"))
                .put("t.u8", GgufValue.u8(200))
                .put("t.i8", GgufValue.i8(-100))
                .put("t.u16", GgufValue.u16(65000))
                .put("t.i16", GgufValue.i16(-30000))
                .put("t.u32", GgufValue.u32(4_000_000_000L))
                .put("t.i32", GgufValue.i32(-2_000_000_000))
                .put("t.f32", GgufValue.f32(1e-5f))
                .put("t.bool", GgufValue.bool(true))
                .put("t.u64", GgufValue.u64(1L << 40))
                .put("t.i64", GgufValue.i64(-(1L << 40)))
                .put("t.f64", GgufValue.f64(Math.PI))
                .put("t.short", GgufValue.ints(GgufValueType.INT32, 1, -2, 3))
                .put(
                        "t.nested",
                        new GgufValue.Array(
                                GgufValueType.ARRAY,
                                List.of(
                                        GgufValue.ints(GgufValueType.UINT8, 1, 2),
                                        GgufValue.strings(List.of("a", "b")))))
                .put("tokenizer.ggml.tokens", GgufValue.strings(vocab))
                .put("tokenizer.ggml.scores", GgufValue.floats(new float[100]))
                .tensor("token_embd.weight", new long[] {64, 100}, DType.Q8_0)
                .tensor("norm.weight", new long[] {64}, DType.F32, f32s(64))
                .tensor("blk.0.ffn.weight", new long[] {256, 3}, DType.Q4_K);
    }

    static byte[] f32s(int n) {
        MemorySegment s = MemorySegment.ofArray(new byte[n * 4]);
        for (int i = 0; i < n; i++) {
            s.setAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), i, i + 0.5f);
        }
        return s.toArray(ValueLayout.JAVA_BYTE);
    }

    @ParameterizedTest
    @EnumSource(GgufVersion.class)
    void everyValueTypeRoundTrips(GgufVersion version, @TempDir Path dir) throws IOException {
        Path p = dir.resolve("sample.gguf");
        sample(version).write(p);
        GgufFile f = GgufReader.readFile(p);
        assertThat(f.version()).isEqualTo(version);
        assertThat(f.metadata())
                .containsEntry("general.architecture", "llama")
                .containsEntry("t.u8", 200L)
                .containsEntry("t.i8", -100L)
                .containsEntry("t.u16", 65000L)
                .containsEntry("t.i16", -30000L)
                .containsEntry("t.u32", 4_000_000_000L)
                .containsEntry("t.i32", -2_000_000_000L)
                .containsEntry("t.f32", (double) 1e-5f)
                .containsEntry("t.bool", true)
                .containsEntry("t.u64", 1L << 40)
                .containsEntry("t.i64", -(1L << 40))
                .containsEntry("t.f64", Math.PI)
                .containsEntry("t.short", List.of(1L, -2L, 3L))
                .containsEntry("t.nested", List.of(List.of(1L, 2L), List.of("a", "b")));
        assertThat(f.valueTypes())
                .containsEntry("t.u16", GgufValueType.UINT16)
                .containsEntry("t.nested", GgufValueType.ARRAY);
        MetadataArray tokens = (MetadataArray) f.metadata().get("tokenizer.ggml.tokens");
        assertThat(tokens)
                .isEqualTo(new MetadataArray(
                        "STRING", 100, List.of("tok0é✓", "tok1", "tok2", "tok3", "tok4", "tok5", "tok6", "tok7é✓")));
        MetadataArray scores = (MetadataArray) f.metadata().get("tokenizer.ggml.scores");
        assertThat(scores.elementType()).isEqualTo("FLOAT32");
        assertThat(scores.length()).isEqualTo(100);
        assertThat(f.kvCount()).isEqualTo(16);
        assertThat(f.notes()).isEmpty();

        assertThat(f.tensors())
                .extracting(GgufTensorInfo::name)
                .containsExactly("token_embd.weight", "norm.weight", "blk.0.ffn.weight");
        GgufTensorInfo emb = f.tensors().get(0);
        assertThat(emb.ggmlDims()).containsExactly(64, 100);
        assertThat(emb.logicalShape()).containsExactly(100, 64);
        assertThat(emb.bytes()).isEqualTo(100 * 2 * 34); // 2 Q8_0 blocks of 34 bytes per row
        assertThat(f.tensors().get(2).bytes()).isEqualTo(3 * 144);
        assertThat(f.alignment()).isEqualTo(32);
        assertThat(f.dataOffset() % 32).isZero();
        for (GgufTensorInfo t : f.tensors()) {
            assertThat(t.relativeOffset() % 32).isZero();
        }
    }

    @Test
    void mappedTensorDataIsTheBytesWritten(@TempDir Path dir) throws IOException {
        Path p = dir.resolve("sample.gguf");
        sample(GgufVersion.V3).write(p);
        try (GgufMapping m = GgufReader.map(p)) {
            MemorySegment norm = m.tensorData("norm.weight");
            assertThat(norm.byteSize()).isEqualTo(256);
            assertThat(norm.toArray(ValueLayout.JAVA_BYTE)).isEqualTo(f32s(64));
            assertThat(norm.isReadOnly()).isTrue();
            assertThat(m.tensorData("blk.0.ffn.weight").byteSize()).isEqualTo(3 * 144);
        }
    }

    @Test
    void customAlignmentIsHonoured(@TempDir Path dir) throws IOException {
        Path p = dir.resolve("aligned.gguf");
        new GgufWriter()
                .put("general.alignment", GgufValue.u32(64))
                .tensor("a", new long[] {3}, DType.F32)
                .tensor("b", new long[] {5}, DType.F16)
                .write(p);
        GgufFile f = GgufReader.readFile(p);
        assertThat(f.alignment()).isEqualTo(64);
        assertThat(f.dataOffset() % 64).isZero();
        assertThat(f.tensors().get(1).relativeOffset()).isEqualTo(64);
    }

    /**
     * Rewriting tiny-llama-Q8_0's tensors with this writer puts each one at the relative offset llama-quantize chose
     * (gguf-py's figures in expected.json), with the same bytes.
     */
    @Test
    void tensorLayoutMatchesLlamaCpp(@TempDir Path dir) throws IOException {
        Path real = SharedFixtures.fixture("gguf/tiny-llama-Q8_0.gguf");
        var want = SharedFixtures.json(SharedFixtures.fixture("gguf/expected.json"))
                .getObject("files")
                .orElseThrow()
                .getObject("tiny-llama-Q8_0.gguf")
                .orElseThrow()
                .getArray("tensors")
                .orElseThrow();
        Path copy = dir.resolve("copy.gguf");
        try (GgufMapping m = GgufReader.map(real)) {
            GgufWriter w = new GgufWriter().put("general.architecture", GgufValue.string("llama"));
            for (GgufTensorInfo t : m.file().tensors()) {
                w.tensor(t.name(), t.ggmlDims(), t.type(), m.tensorData(t).toArray(ValueLayout.JAVA_BYTE));
            }
            w.write(copy);
            try (GgufMapping c = GgufReader.map(copy)) {
                for (int i = 0; i < want.size(); i++) {
                    var wt = want.get(i).asObject("tensor");
                    GgufTensorInfo t = c.file().tensors().get(i);
                    assertThat(t.name()).isEqualTo(wt.getString("name", null));
                    assertThat(t.relativeOffset()).as(t.name()).isEqualTo(wt.getLong("offset", -1));
                    assertThat(c.tensorData(t).mismatch(m.tensorData(t.name())))
                            .as(t.name())
                            .isEqualTo(-1L);
                }
            }
        }
    }
}
