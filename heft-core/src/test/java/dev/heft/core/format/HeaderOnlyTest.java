package dev.heft.core.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.heft.core.error.CorruptModelException;
import dev.heft.core.error.HeftException;
import dev.heft.core.error.InvalidInputException;
import dev.heft.core.error.UnsupportedModelException;
import dev.heft.core.json.JsonValue;
import dev.heft.core.tensor.ModelFormat;
import dev.heft.core.tensor.Tensor;
import dev.heft.core.tensor.TensorInventory;
import dev.heft.core.testing.SharedFixtures;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Header-only reads against the numbers the real libraries wrote: safetensors parameter counts from transformers
 * ({@code fixtures/hf/expected.json}), GGUF tensor infos from gguf-py ({@code fixtures/gguf/expected.json}).
 */
class HeaderOnlyTest {

    static Stream<String> safetensorsModels() {
        return Stream.of("tiny-llama-bf16", "tiny-llama-f32", "tiny-bert", "tiny-gpt2-tied", "tiny-mixtral");
    }

    /** A browser's read: the u64 length, then exactly 8 + N bytes. */
    static byte[] safetensorsHead(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        long n = ByteBuffer.wrap(all, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        return Arrays.copyOf(all, (int) (8 + n));
    }

    @ParameterizedTest
    @MethodSource("safetensorsModels")
    void safetensorsHeaderMatchesTransformersCounts(String model) throws IOException {
        Path file = SharedFixtures.fixture("hf/safetensors/" + model + "/model.safetensors");
        JsonValue.JsonObject expected = SharedFixtures.json(SharedFixtures.fixture("hf/expected.json"))
                .getObject("safetensors/" + model)
                .orElseThrow();
        byte[] head = safetensorsHead(file);
        assertThat((long) head.length).isLessThan(Files.size(file));

        HeaderOnly.Outcome out = HeaderOnly.read(head, "model.safetensors", Files.size(file));

        TensorInventory inv = ((HeaderOnly.Parsed) out).inventory();
        assertThat(inv.format()).isEqualTo(ModelFormat.SAFETENSORS);
        // transformers' parameter count, ties counted once: safetensors stores a tied head once (save_pretrained
        // drops the alias), so the stored elements sum to exactly that.
        long elements = inv.tensors().stream().mapToLong(Tensor::parameters).sum();
        assertThat(elements).isEqualTo(expected.getLong("params", -1));
        assertThat(inv.notes()).contains(HeaderOnly.NOTE);
        // Same tensors, offsets and sizes as reading the real file.
        TensorInventory fromFile = Formats.require(file).read(file);
        assertThat(inv.tensors())
                .extracting(Tensor::name, Tensor::offset, Tensor::bytes, Tensor::dtype)
                .containsExactlyElementsOf(fromFile.tensors().stream()
                        .map(t -> org.assertj.core.groups.Tuple.tuple(t.name(), t.offset(), t.bytes(), t.dtype()))
                        .toList());
    }

    @Test
    void safetensorsPrefixWithoutTheWholeHeaderAsksForExactlyTheHeader() throws IOException {
        Path file = SharedFixtures.fixture("hf/safetensors/tiny-llama-bf16/model.safetensors");
        byte[] head = safetensorsHead(file);
        HeaderOnly.Outcome out = HeaderOnly.read(Arrays.copyOf(head, 100), "m.safetensors", Files.size(file));
        assertThat(out).isEqualTo(new HeaderOnly.NeedMore(head.length));
    }

    @Test
    void safetensorsDataRangesAreCheckedAgainstTheDeclaredSize() throws IOException {
        Path file = SharedFixtures.fixture("hf/safetensors/tiny-llama-bf16/model.safetensors");
        byte[] head = safetensorsHead(file);
        // One byte short of what the tensors declare: the coverage rule (MetadataIncompleteBuffer) must fire.
        assertThatThrownBy(() -> HeaderOnly.read(head, "m.safetensors", Files.size(file) - 1))
                .isInstanceOf(CorruptModelException.class)
                .hasMessageContaining("m.safetensors");
        assertThatThrownBy(() -> HeaderOnly.read(head, "m.safetensors", Files.size(file) + 1))
                .isInstanceOf(CorruptModelException.class);
    }

    static Stream<Arguments> ggufFiles() {
        return Stream.of(
                        "tiny-llama-Q4_K_M.gguf",
                        "tiny-llama-F32.gguf",
                        "tiny-llama-Q8_0.gguf",
                        "tiny-odd-Q4_K_M.gguf",
                        "tiny-llama-IQ4_NL.gguf")
                .map(Arguments::of);
    }

    /** A browser's progressive read: start small, grow while the server asks for more. */
    @ParameterizedTest
    @MethodSource("ggufFiles")
    void ggufProgressiveReadMatchesGgufPy(String name) throws IOException {
        Path file = SharedFixtures.fixture("gguf/" + name);
        byte[] all = Files.readAllBytes(file);
        JsonValue.JsonObject expected = SharedFixtures.json(SharedFixtures.fixture("gguf/expected.json"))
                .getObject("files")
                .orElseThrow()
                .getObject(name)
                .orElseThrow();
        int sent = 4096;
        HeaderOnly.Outcome out;
        int rounds = 0;
        while ((out = HeaderOnly.read(Arrays.copyOf(all, sent), name, all.length)) instanceof HeaderOnly.NeedMore m) {
            assertThat(m.atLeast()).isGreaterThan(sent);
            sent = (int) m.atLeast();
            assertThat(++rounds).isLessThan(10);
        }
        TensorInventory inv = ((HeaderOnly.Parsed) out).inventory();
        assertThat((long) sent).isLessThan(all.length);
        assertThat(inv.format()).isEqualTo(ModelFormat.GGUF);
        assertThat((long) inv.tensors().size()).isEqualTo(expected.getLong("tensor_count", -1));
        assertThat(inv.tensors().stream().mapToLong(Tensor::parameters).sum())
                .isEqualTo(expected.getLong("total_elements", -1));
        assertThat(inv.tensors().stream().mapToLong(Tensor::bytes).sum())
                .isEqualTo(expected.getLong("tensor_data_bytes", -1));
        long dataOffset = expected.getLong("data_offset", -1);
        for (JsonValue t : expected.getArray("tensors").orElseThrow().elements()) {
            JsonValue.JsonObject o = (JsonValue.JsonObject) t;
            Tensor mine = inv.tensors().stream()
                    .filter(x -> x.name().equals(o.getString("name", "")))
                    .findFirst()
                    .orElseThrow();
            assertThat(mine.offset()).isEqualTo(dataOffset + o.getLong("offset", -1));
            assertThat(mine.bytes()).isEqualTo(o.getLong("n_bytes", -1));
        }
        assertThat(inv.metadata()).hasSize((int) expected.getLong("kv_count", -1));
    }

    @Test
    void ggufTensorPastTheDeclaredEndIsCorrupt() throws IOException {
        Path file = SharedFixtures.fixture("gguf/tiny-llama-Q4_K_M.gguf");
        byte[] all = Files.readAllBytes(file);
        // The whole header but a file size that ends 1 byte before the last tensor's data does.
        assertThatThrownBy(() -> HeaderOnly.read(Arrays.copyOf(all, 64 << 10), "x.gguf", all.length - 1))
                .isInstanceOf(CorruptModelException.class)
                .hasMessageContaining("past the end of the file");
    }

    @Test
    void wholeFileThatStopsInsideTheHeaderIsCorruptNotAnotherRequest() throws IOException {
        byte[] all = Files.readAllBytes(SharedFixtures.fixture("gguf/tiny-llama-Q4_K_M.gguf"));
        byte[] cut = Arrays.copyOf(all, 2000);
        assertThatThrownBy(() -> HeaderOnly.read(cut, "cut.gguf", cut.length))
                .isInstanceOf(CorruptModelException.class)
                .hasMessageContaining("cut.gguf");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "{}", "PK\u0003\u0004 zip", "plain text that is not a model at all"})
    void otherBytesAreUnsupported(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> HeaderOnly.read(b, "x.bin", b.length))
                .isInstanceOf(UnsupportedModelException.class)
                .hasMessageContaining("x.bin");
    }

    @Test
    void hugeDeclaredSafetensorsLengthIsRefusedBeforeAllocating() {
        byte[] b = new byte[16];
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(Long.MAX_VALUE);
        b[8] = '{';
        assertThatThrownBy(() -> HeaderOnly.read(b, "x.safetensors", b.length))
                .isInstanceOf(CorruptModelException.class)
                .hasMessageContaining("exceeds the safetensors limit");
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(200_000_000L);
        b[8] = '{';
        assertThatThrownBy(() -> HeaderOnly.read(b, "x.safetensors", 1L << 40))
                .isInstanceOf(CorruptModelException.class)
                .hasMessageContaining("exceeds the safetensors limit");
    }

    @Test
    void declaredSizeSmallerThanBytesSentIsBadInput() {
        assertThatThrownBy(() -> HeaderOnly.read(new byte[100], "x", 10)).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void theNameIsOnlyALabel() throws IOException {
        Path file = SharedFixtures.fixture("hf/safetensors/tiny-llama-bf16/model.safetensors");
        TensorInventory inv = ((HeaderOnly.Parsed)
                        HeaderOnly.read(safetensorsHead(file), "../../etc/passwd", Files.size(file)))
                .inventory();
        assertThat(inv.files()).containsExactly(Path.of("passwd"));
    }

    /** Every truncation of a real header: a typed error or a request for more, never anything else. */
    @Test
    void everyTruncationIsTypedOrAsksForMore() throws IOException {
        byte[] all = Files.readAllBytes(SharedFixtures.fixture("gguf/tiny-odd-Q4_K_M.gguf"));
        for (int len = 0; len < 16_384; len += 7) {
            byte[] cut = Arrays.copyOf(all, len);
            for (long size : List.of((long) len, (long) all.length)) {
                try {
                    HeaderOnly.Outcome o = HeaderOnly.read(cut, "t.gguf", size);
                    if (size == len) {
                        assertThat(o).isNotInstanceOf(HeaderOnly.NeedMore.class);
                    }
                } catch (HeftException expectedFailure) {
                    assertThat(expectedFailure.getMessage()).isNotBlank();
                }
            }
        }
    }

    private static byte[] realSafetensorsHead;
    private static byte[] realGgufHead;

    /**
     * Any one byte of a real header may be anything: the answer is a model, a request for more bytes, or a typed
     * error with a message, never another exception, a hang or an allocation the bytes did not pay for.
     */
    @Property(tries = 600)
    void anyByteOfARealHeaderMayBeWrong(
            @ForAll @IntRange(min = 0, max = 1 << 20) int at,
            @ForAll byte value,
            @ForAll boolean gguf,
            @ForAll boolean wholeFileSize)
            throws IOException {
        if (realSafetensorsHead == null) {
            realSafetensorsHead =
                    safetensorsHead(SharedFixtures.fixture("hf/safetensors/tiny-llama-bf16/model.safetensors"));
            realGgufHead =
                    Arrays.copyOf(Files.readAllBytes(SharedFixtures.fixture("gguf/tiny-odd-Q4_K_M.gguf")), 16384);
        }
        byte[] head = (gguf ? realGgufHead : realSafetensorsHead).clone();
        head[at % head.length] = value;
        long size = wholeFileSize
                ? Files.size(SharedFixtures.fixture(
                        gguf ? "gguf/tiny-odd-Q4_K_M.gguf" : "hf/safetensors/tiny-llama-bf16/model.safetensors"))
                : head.length;
        try {
            HeaderOnly.Outcome o = HeaderOnly.read(head, "mutated", size);
            if (o instanceof HeaderOnly.NeedMore m) {
                assertThat(m.atLeast()).isGreaterThan(head.length).isLessThanOrEqualTo(size);
            }
        } catch (HeftException e) {
            assertThat(e.getMessage()).contains("mutated");
        }
    }
}
