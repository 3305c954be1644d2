package dev.heft.core.format.onnx;

import static dev.heft.core.format.onnx.OnnxModels.FLOAT;
import static dev.heft.core.format.onnx.OnnxModels.INT64;
import static dev.heft.core.format.onnx.OnnxModels.graph;
import static dev.heft.core.format.onnx.OnnxModels.node;
import static dev.heft.core.format.onnx.OnnxModels.tensor;
import static dev.heft.core.testing.HostileCase.Expected.READ;
import static dev.heft.core.testing.HostileCase.Expected.REFUSED;

import dev.heft.core.format.gguf.GgufHostileFiles;
import dev.heft.core.testing.HostileCase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Hostile ONNX models for the shared corpus, written field by field with {@link Proto} in onnx.proto's layout
 * (ModelProto.graph = 7, GraphProto.initializer = 5, sparse_initializer = 15, SparseTensorProto values = 1,
 * indices = 2, dims = 3).
 */
public final class OnnxHostileFiles {
    private OnnxHostileFiles() {}

    public static List<HostileCase> cases() {
        List<HostileCase> cases = new ArrayList<>();
        cases.add(file(
                "onnx-dims-overflow",
                "an initializer of dims [2^32, 2^32, 2^32]",
                OnnxModels.model(graph(
                        List.of(tensor("w", FLOAT, new long[] {1L << 32, 1L << 32, 1L << 32}, OnnxModels.floats(1))),
                        List.of()))));
        cases.add(file(
                "onnx-sparse-3x2^62",
                "three sparse initializers whose dense shapes hold 2^62 elements each, " + "with one stored value",
                sparse(3, new long[] {1L << 31, 1L << 31})));
        cases.add(file(
                "onnx-string-4GiB",
                "producer_name with a length field of 4 GiB",
                new Proto()
                        .varint(1, 10)
                        .tag(2, 2)
                        .rawVarint(1L << 32)
                        .raw("heft".getBytes(StandardCharsets.UTF_8))
                        .toBytes()));
        cases.add(file(
                "onnx-name-1MiB",
                "an initializer named with 1 MiB",
                OnnxModels.model(graph(
                        List.of(tensor("n".repeat(1 << 20), FLOAT, new long[] {2}, OnnxModels.floats(2))),
                        List.of()))));
        cases.add(new HostileCase(
                "onnx-control-names",
                "initializer names holding ESC, BEL, LF, NUL and a bidi " + "override",
                READ,
                dir -> {
                    List<Proto> initializers = new ArrayList<>();
                    for (String name : GgufHostileFiles.CONTROL_NAMES) {
                        initializers.add(tensor(name, FLOAT, new long[] {2, 2}, OnnxModels.floats(4)));
                    }
                    return Files.write(
                            dir.resolve("control-names.onnx"), OnnxModels.model(graph(initializers, List.of())));
                }));
        cases.add(external("onnx-external-absolute", "external_data at an absolute path", "/etc/passwd", false));
        cases.add(external("onnx-external-dotdot", "external_data at ../secret.bin", "../secret.bin", false));
        cases.add(external(
                "onnx-external-symlink-out",
                "external_data in a symlink to a file outside the model's " + "folder",
                "weights.bin",
                true));
        return cases;
    }

    /** {@code count} sparse initializers of dense shape {@code dims}, each with one stored value (onnx.proto). */
    static byte[] sparse(int count, long[] dims) {
        Proto g = graph(List.of(), List.of(node("MatMul", List.of("x", "s0"), List.of("y"))));
        for (int i = 0; i < count; i++) {
            Proto values = tensor("s" + i, FLOAT, new long[] {1}, OnnxModels.floats(1));
            Proto indices = tensor("s" + i + "_idx", INT64, new long[] {1}, new byte[8]);
            g.message(15, new Proto().message(1, values).message(2, indices).packedVarints(3, dims));
        }
        return OnnxModels.model(g);
    }

    private static HostileCase external(String id, String claim, String location, boolean link) {
        return new HostileCase(id, claim, REFUSED, dir -> {
            Path model = Files.createDirectories(dir.resolve("model"));
            Path secret = Files.write(dir.resolve("secret.bin"), new byte[64]);
            if (link) {
                Files.createSymbolicLink(model.resolve(location), secret);
            }
            return Files.write(
                    model.resolve("model.onnx"),
                    OnnxModels.model(graph(
                            List.of(OnnxModels.externalTensor("w", FLOAT, new long[] {2, 3}, location, 0L, 24L)),
                            List.of())));
        });
    }

    private static HostileCase file(String id, String claim, byte[] bytes) {
        return new HostileCase(id, claim, REFUSED, dir -> Files.write(dir.resolve(id + ".onnx"), bytes));
    }
}
