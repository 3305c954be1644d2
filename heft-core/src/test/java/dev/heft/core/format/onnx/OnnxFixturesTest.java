package dev.heft.core.format.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heft.core.format.Formats;
import dev.heft.core.json.JsonValue;
import dev.heft.core.json.JsonValue.JsonArray;
import dev.heft.core.json.JsonValue.JsonNumber;
import dev.heft.core.json.JsonValue.JsonObject;
import dev.heft.core.json.JsonValue.JsonString;
import dev.heft.core.tensor.DType;
import dev.heft.core.tensor.Shapes;
import dev.heft.core.tensor.Tensor;
import dev.heft.core.tensor.TensorInventory;
import dev.heft.core.tensor.TensorRole;
import dev.heft.core.testing.SharedFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The real files written by torch.onnx.export and onnxruntime's quantizers (../shared/fixtures/hf/onnx) against
 * {@code expected.json}, which the onnx Python package wrote ({@code onnx_initializers}: name -> [dims, data_type];
 * {@code op_types}; {@code matmulnbits_attrs}), and the parameter totals stated in ../shared/fixtures/hf/README.md
 * ("What an ONNX file's parameter count is").
 */
class OnnxFixturesTest {

    static Stream<String> onnxFiles() throws Exception {
        try (Stream<Path> files = Files.list(SharedFixtures.fixture("hf/onnx"))) {
            List<String> names = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".onnx"))
                    .sorted()
                    .toList();
            assertThat(names).hasSize(5);
            return names.stream();
        }
    }

    private static JsonObject expected(String file) {
        JsonObject all = SharedFixtures.json(SharedFixtures.fixture("hf/expected.json"));
        return all.getObject("onnx/" + file).orElseThrow();
    }

    private static OnnxReader.Result read(String file) throws Exception {
        return OnnxReader.readWithInfo(SharedFixtures.fixture("hf/onnx/" + file));
    }

    @ParameterizedTest
    @MethodSource("onnxFiles")
    void everyInitializerMatchesOnnxNamesDimsAndDataType(String file) throws Exception {
        TensorInventory inv = read(file).inventory();
        JsonObject initializers = expected(file).getObject("onnx_initializers").orElseThrow();
        // The fixtures hold no Constant nodes or sparse initializers, so the inventory is exactly the initializers.
        assertThat(inv.tensors().stream().map(Tensor::name).collect(Collectors.toSet()))
                .isEqualTo(initializers.members().keySet());
        for (Map.Entry<String, JsonValue> e : initializers.members().entrySet()) {
            JsonArray spec = (JsonArray) e.getValue();
            long[] dims = ((JsonArray) spec.get(0))
                    .elements().stream()
                            .mapToLong(v -> ((JsonNumber) v).longValueExact("dim"))
                            .toArray();
            long dataType = ((JsonNumber) spec.get(1)).longValueExact("data_type");
            Tensor t = inv.tensor(e.getKey()).orElseThrow();
            assertThat(t.shape()).as(e.getKey()).containsExactly(dims);
            assertThat(t.dtype())
                    .as(e.getKey())
                    .isEqualTo(
                            OnnxDataType.fromId(dataType).orElseThrow().dtype().orElseThrow());
            // raw_data holds exactly elements x element size; onnxruntime writes scalar zero points into int32_data,
            // where one varint takes 1 to 10 bytes.
            long rawBytes = t.dtype().bytesFor(Shapes.elements(dims));
            if (t.bytes() != rawBytes) {
                assertThat(t.elements()).as(e.getKey()).isEqualTo(1);
                assertThat(t.bytes()).as(e.getKey()).isBetween(1L, 10L);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("onnxFiles")
    void fileIsDetectedAsOnnxByContentAndOpTypesMatch(String file) throws Exception {
        Path p = SharedFixtures.fixture("hf/onnx/" + file);
        assertThat(Formats.detect(p)).get().isInstanceOf(OnnxReader.class);
        Set<String> expectedOps = ((JsonArray) expected(file).get("op_types").orElse(new JsonArray(List.of())))
                .elements().stream().map(v -> ((JsonString) v).value()).collect(Collectors.toCollection(TreeSet::new));
        if (!expectedOps.isEmpty()) {
            Set<String> ops = read(file).info().ops().keySet().stream()
                    .map(k -> k.substring(k.indexOf(':') + 1))
                    .collect(Collectors.toCollection(TreeSet::new));
            assertThat(ops).isEqualTo(expectedOps);
        }
    }

    @Test
    void tinyCnnHoldsTheExportersFoldedWeights() throws Exception {
        for (String f : List.of("tiny-cnn.onnx", "tiny-cnn-external.onnx")) {
            TensorInventory inv = read(f).inventory();
            // README: 1,482 float weights (both BatchNorms folded into the convolutions).
            assertThat(inv.parameters()).as(f).isEqualTo(1_482);
            assertThat(inv.tensors()).allMatch(t -> t.role() == TensorRole.WEIGHT);
        }
    }

    @Test
    void externalDataIsLocatedInTheDataFileWithinItsBounds() throws Exception {
        Path data = SharedFixtures.fixture("hf/onnx/tiny-cnn-external.onnx.data");
        TensorInventory inv = read("tiny-cnn-external.onnx").inventory();
        long size = Files.size(data);
        long total = 0;
        for (Tensor t : inv.tensors()) {
            assertThat(t.file().getFileName()).isEqualTo(data.getFileName());
            assertThat(t.offset() + t.bytes()).isLessThanOrEqualTo(size);
            total += t.bytes();
        }
        assertThat(total).isEqualTo(1_482L * 4);
        assertThat(inv.files()).hasSize(2);
        // Same model inline: same tensors, dims and dtypes, data elsewhere.
        TensorInventory inline = read("tiny-cnn.onnx").inventory();
        for (Tensor t : inline.tensors()) {
            Tensor ext = inv.tensor(t.name()).orElseThrow();
            assertThat(ext.shape()).containsExactly(t.shape());
            assertThat(ext.bytes()).isEqualTo(t.bytes());
        }
    }

    @Test
    void tinyBertSeparatesShapeConstantsFromWeights() throws Exception {
        TensorInventory inv = read("tiny-bert.onnx").inventory();
        // README: 103,298 float initializers plus 95 int64 elements that are shape constants. Two of those floats
        // are rank 0 (expected.json onnx_initializers: val_77 and val_81, dims [], FLOAT): literals of the
        // computation, not parameters (issue 11), so 103,296 weights and 95 + 2 constant elements.
        assertThat(inv.parameters()).isEqualTo(103_296);
        assertThat(elements(inv, TensorRole.CONSTANT)).isEqualTo(97);
        assertThat(inv.tensors())
                .filteredOn(t -> t.role() == TensorRole.CONSTANT)
                .allMatch(t -> t.dtype() == DType.I64 || (t.dtype() == DType.F32 && t.rank() == 0));
    }

    @Test
    void int8DynamicQuantizationKeepsTheLogicalCountAndShowsScalesAndZeroPointsApart() throws Exception {
        OnnxReader.Result r = read("tiny-bert-int8.onnx");
        TensorInventory inv = r.inventory();
        assertThat(inv.parameters()).isEqualTo(103_296); // 103,298 less the two rank-0 literals (see above)
        List<Tensor> overhead = inv.tensors().stream()
                .filter(t -> t.role() == TensorRole.QUANT_OVERHEAD)
                .toList();
        // README: 15 float scales and 15 zero points are overhead, not parameters.
        assertThat(overhead).hasSize(30);
        assertThat(overhead).filteredOn(t -> t.dtype() == DType.F32).hasSize(15).allMatch(t -> t.elements() == 1);
        assertThat(overhead)
                .filteredOn(t -> t.dtype() != DType.F32)
                .hasSize(15)
                .allMatch(t -> t.dtype() == DType.I8 || t.dtype() == DType.U8);
        // 69,632 int8 in 13 MatMul weights + 32,128 uint8 in the two embedding tables; 1,538 floats unquantized, of
        // which the two rank-0 literals are constants.
        assertThat(weights(inv, DType.I8)).isEqualTo(69_632);
        assertThat(weights(inv, DType.U8)).isEqualTo(32_128);
        assertThat(weights(inv, DType.F32)).isEqualTo(1_536);
        assertThat(elements(inv, TensorRole.CONSTANT)).isEqualTo(97);
        assertThat(r.info().quantization().parameters()).isEqualTo(69_632 + 32_128);
        assertThat(r.info().quantization().bytes()).isEqualTo(69_632 + 32_128);
    }

    @Test
    void int4MatMulNBitsCountsFourBitValuesAsParameters() throws Exception {
        OnnxReader.Result r = read("tiny-bert-int4.onnx");
        TensorInventory inv = r.inventory();
        assertThat(inv.parameters()).isEqualTo(103_296); // 103,298 less the two rank-0 literals
        // README: 65,536 four-bit values in 32,768 uint8 bytes + 37,762 float weights; 2,048 float scales overhead.
        List<Tensor> packed =
                inv.tensors().stream().filter(t -> t.dtype() == DType.U8).toList();
        assertThat(packed.stream().mapToLong(Tensor::bytes).sum()).isEqualTo(32_768);
        assertThat(packed.stream().mapToLong(Tensor::parameters).sum()).isEqualTo(65_536);
        assertThat(weights(inv, DType.F32)).isEqualTo(37_760); // 37,762 less the two rank-0 literals
        assertThat(elements(inv, TensorRole.QUANT_OVERHEAD)).isEqualTo(2_048);
        assertThat(inv.tensors())
                .filteredOn(t -> t.role() == TensorRole.QUANT_OVERHEAD)
                .allMatch(t -> t.dtype() == DType.F32);
        // Each packed weight's parameters are K x N of a MatMulNBits node whose attributes onnx recorded.
        Map<Long, Long> kn = new HashMap<>();
        JsonArray attrs = (JsonArray)
                expected("tiny-bert-int4.onnx").get("matmulnbits_attrs").orElseThrow();
        for (JsonValue a : attrs.elements()) {
            JsonObject o = (JsonObject) a;
            kn.merge(o.getLong("K", -1) * o.getLong("N", -1), 1L, Long::sum);
            assertThat(o.getLong("bits", -1)).isEqualTo(4);
            assertThat(o.getLong("block_size", -1)).isEqualTo(32);
        }
        assertThat(packed)
                .allMatch(
                        t -> kn.containsKey(t.parameters()) || t.parameters() == 2L * 64 * 64,
                        "parameters are a K x N recorded for MatMulNBits");
        assertThat(packed).allMatch(t -> t.parameters() == t.bytes() * 2, "two 4-bit values per byte");
        // 4 bits per weight plus one float32 scale per 32 weights: 4 + 32/32 = 5 bits.
        assertThat(r.info().quantization().bitsPerWeight()).isEqualTo(5.0);
        assertThat(r.info().opsets()).containsEntry("com.microsoft", 1L);
        assertThat(r.info().ops()).containsKey("com.microsoft:MatMulNBits");
    }

    @Test
    void modelFactsRoundTripThroughInventoryMetadata() throws Exception {
        OnnxReader.Result r = read("tiny-bert-int4.onnx");
        assertThat(OnnxModelInfo.fromMetadata(r.inventory().metadata())).isEqualTo(r.info());
        assertThat(r.inventory().metadata())
                .containsKeys(
                        OnnxModelInfo.IR_VERSION,
                        OnnxModelInfo.PRODUCER,
                        OnnxModelInfo.OPS,
                        OnnxModelInfo.OPSET_PREFIX + "ai.onnx");
        // The histogram counts every node once.
        assertThat(r.info().ops().values().stream().mapToLong(Long::longValue).sum())
                .isPositive();
        assertThat(Arrays.asList(r.info().ops().values().toArray(Long[]::new)))
                .isSortedAccordingTo((a, b) -> Long.compare(b, a));
    }

    private static long elements(TensorInventory inv, TensorRole role) {
        return inv.tensors().stream()
                .filter(t -> t.role() == role)
                .mapToLong(Tensor::elements)
                .sum();
    }

    private static long weights(TensorInventory inv, DType dtype) {
        return inv.tensors().stream()
                .filter(t -> t.role() == TensorRole.WEIGHT && t.dtype() == dtype)
                .mapToLong(Tensor::parameters)
                .sum();
    }
}
