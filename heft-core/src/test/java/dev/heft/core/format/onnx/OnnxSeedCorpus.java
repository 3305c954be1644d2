package dev.heft.core.format.onnx;

import static dev.heft.core.format.onnx.OnnxModels.FLOAT;
import static dev.heft.core.format.onnx.OnnxModels.graph;
import static dev.heft.core.format.onnx.OnnxModels.node;
import static dev.heft.core.format.onnx.OnnxModels.tensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the fuzz seed corpus: small models that reach every branch of the reader (typed fields, Constant forms,
 * subgraphs, sparse and external tensors, quantized ops). Regenerate with
 * {@code OnnxSeedCorpus.main(new String[]{"heft-core/src/test/resources/dev/heft/core/format/onnx/OnnxReaderFuzzTestInputs/fuzzReader"})}
 * (the test {@code OnnxSeedCorpusTest} checks the committed files are what this writes).
 */
final class OnnxSeedCorpus {
    private OnnxSeedCorpus() {}

    static Map<String, byte[]> seeds() {
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        seeds.put("small-with-subgraph", OnnxHostileInputTest.smallModel());
        seeds.put(
                "typed-fields",
                OnnxModels.model(graph(
                        List.of(
                                new Proto()
                                        .packedVarints(1, 2, 2)
                                        .varint(2, FLOAT)
                                        .string(8, "f")
                                        .packedFloats(4, 1f, 2f, 3f, 4f),
                                new Proto()
                                        .packedVarints(1, 3)
                                        .varint(2, OnnxModels.INT4)
                                        .string(8, "q")
                                        .packedVarints(5, 0x21, 3),
                                new Proto()
                                        .packedVarints(1, 2)
                                        .varint(2, OnnxModels.INT64)
                                        .string(8, "s")
                                        .packedVarints(7, 1, -1),
                                new Proto()
                                        .packedVarints(1, 1)
                                        .varint(2, OnnxModels.STRING)
                                        .string(8, "v")
                                        .string(6, "tok")),
                        List.of(node("Reshape", List.of("x", "s"), List.of("y"))))));
        seeds.put(
                "constants",
                OnnxModels.model(graph(
                        List.of(),
                        List.of(
                                node(
                                        "Constant",
                                        List.of(),
                                        List.of("a"),
                                        OnnxModels.floatAttribute("value_float", 0.5f)),
                                node(
                                        "Constant",
                                        List.of(),
                                        List.of("b"),
                                        OnnxModels.floatsAttribute("value_floats", 1f, 2f)),
                                node("Constant", List.of(), List.of("c"), OnnxModels.intAttribute("value_int", 1)),
                                node(
                                        "Constant",
                                        List.of(),
                                        List.of("d"),
                                        OnnxModels.intsAttribute("value_ints", 2, -1)),
                                node(
                                        "Constant",
                                        List.of(),
                                        List.of("e"),
                                        OnnxModels.tensorAttribute(
                                                "value", tensor("e", FLOAT, new long[] {2}, OnnxModels.floats(2))))))));
        Proto sparse = new Proto()
                .message(1, tensor("sw", FLOAT, new long[] {2}, OnnxModels.floats(2)))
                .message(2, tensor("si", OnnxModels.INT64, new long[] {2}, new byte[16]))
                .packedVarints(3, 4, 4);
        Proto g = graph(
                List.of(OnnxModels.externalTensor("ext", FLOAT, new long[] {2}, "w.bin", 0L, 8L)),
                List.of(node("MatMul", List.of("x", "sw"), List.of("y"))));
        g.message(15, sparse);
        seeds.put("sparse-external", OnnxModels.model(g));
        seeds.put(
                "quantized",
                OnnxModels.model(graph(
                        List.of(
                                tensor("b", OnnxModels.UINT8, new long[] {4, 1, 16}, new byte[64]),
                                tensor("sc", FLOAT, new long[] {4, 1}, OnnxModels.floats(4)),
                                tensor("wq", OnnxModels.INT8, new long[] {2, 2}, new byte[4]),
                                tensor("ws", FLOAT, new long[] {}, OnnxModels.floats(1))),
                        List.of(
                                node(
                                        "com.microsoft",
                                        "MatMulNBits",
                                        List.of("a", "b", "sc"),
                                        List.of("y"),
                                        OnnxModels.intAttribute("K", 32),
                                        OnnxModels.intAttribute("N", 4),
                                        OnnxModels.intAttribute("bits", 4),
                                        OnnxModels.intAttribute("block_size", 32)),
                                node("DynamicQuantizeLinear", List.of("y"), List.of("yq", "ys", "yz")),
                                node("MatMulInteger", List.of("yq", "wq", "yz"), List.of("i")),
                                node("Mul", List.of("ys", "ws"), List.of("s")),
                                node("DequantizeLinear", List.of("wq", "ws"), List.of("d"))))));
        return seeds;
    }

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args[0]);
        Files.createDirectories(out);
        for (Map.Entry<String, byte[]> e : seeds().entrySet()) {
            Files.write(out.resolve(e.getKey()), e.getValue());
        }
    }
}
