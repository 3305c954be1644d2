package dev.heft.core.format.gguf;

import static dev.heft.core.testing.HostileCase.Expected.READ;
import static dev.heft.core.testing.HostileCase.Expected.REFUSED;

import dev.heft.core.tensor.DType;
import dev.heft.core.testing.HostileCase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Hostile GGUF files for the shared corpus ({@link dev.heft.core.testing.HostileCorpus}), written with {@link RawGguf}
 * (fields no valid file has) and {@link GgufWriter} (valid files with hostile strings), following gguf.md's layout:
 * magic, version, uint64 tensor_count, uint64 metadata_kv_count, the KVs, the tensor infos.
 */
public final class GgufHostileFiles {
    private GgufHostileFiles() {}

    /** The names a terminal would act on: OSC retitle + BEL, a clear-screen CSI, a newline faking a second line, NUL. */
    public static final List<String> CONTROL_NAMES = List.of(
            "blk.0.\u001b]0;pwned\u0007.weight",
            "blk.0.\u001b[2J\u001b[H.weight",
            "blk.0.x\nheft: fake second line.weight",
            "nul\u0000name.weight",
            "bidi.\u202eevil.weight");

    public static List<HostileCase> cases() {
        return List.of(
                file(
                        "gguf-tensor-count-2^63",
                        "tensor_count of 2^63-1 in a 24-byte file",
                        RawGguf.v3(Long.MAX_VALUE, 0).toBytes()),
                file(
                        "gguf-kv-count-2^63",
                        "metadata_kv_count of 2^63-1 in a 24-byte file",
                        RawGguf.v3(0, Long.MAX_VALUE).toBytes()),
                file(
                        "gguf-array-2^40-strings",
                        "a string array claiming 2^40 elements, holding 3",
                        RawGguf.v3(0, 1)
                                .str("tokenizer.ggml.tokens")
                                .u32(GgufValueType.ARRAY.id())
                                .u32(GgufValueType.STRING.id())
                                .u64(1L << 40)
                                .str("a")
                                .str("b")
                                .str("c")
                                .toBytes()),
                file(
                        "gguf-string-4GiB",
                        "a metadata key whose length field says 4 GiB",
                        RawGguf.v3(0, 1)
                                .u64(1L << 32)
                                .bytes("general.name".getBytes())
                                .toBytes()),
                file(
                        "gguf-dims-overflow",
                        "a tensor of ne [2^32, 2^32, 2^32]: the element count overflows 64 bits",
                        RawGguf.v3(1, 0)
                                .tensor("w", new long[] {1L << 32, 1L << 32, 1L << 32}, 0, 0)
                                .padTo(32)
                                .zeros(32)
                                .toBytes()),
                file(
                        "gguf-name-1MiB",
                        "a tensor name of 1 MiB",
                        RawGguf.v3(1, 0)
                                .tensor("n".repeat(1 << 20), new long[] {8}, 0, 0)
                                .padTo(32)
                                .zeros(32)
                                .toBytes()),
                new HostileCase(
                        "gguf-control-names",
                        "tensor names and general.name holding ESC, BEL, LF, NUL and a " + "bidi override",
                        READ,
                        dir -> {
                            GgufWriter w = new GgufWriter()
                                    .put("general.architecture", GgufValue.string("llama"))
                                    .put("general.name", GgufValue.string("model\u001b]0;pwned\u0007\nheft: fake"));
                            for (String name : CONTROL_NAMES) {
                                w.tensor(name, new long[] {32, 2}, DType.F32);
                            }
                            Path p = dir.resolve("control-names.gguf");
                            w.write(p);
                            return p;
                        }),
                new HostileCase(
                        "gguf-split-part-symlink-out",
                        "part 2 of a split model is a symlink to a file " + "outside the model's folder",
                        REFUSED,
                        dir -> {
                            Path model = Files.createDirectories(dir.resolve("model"));
                            Path outside = dir.resolve("secret.gguf");
                            split(2, 1).write(outside);
                            split(2, 0).write(model.resolve("m-00001-of-00002.gguf"));
                            Files.createSymbolicLink(model.resolve("m-00002-of-00002.gguf"), outside);
                            return model.resolve("m-00001-of-00002.gguf");
                        }));
    }

    /** Part {@code no} (0-based) of a {@code count}-part split with one small tensor. */
    private static GgufWriter split(int count, int no) {
        GgufWriter w = new GgufWriter()
                .put(GgufSplit.SPLIT_NO, GgufValue.u16(no))
                .put(GgufSplit.SPLIT_COUNT, GgufValue.u16(count))
                .put(GgufSplit.SPLIT_TENSORS, GgufValue.i32(count));
        return w.tensor("t" + no, new long[] {4}, DType.F32);
    }

    private static HostileCase file(String id, String claim, byte[] bytes) {
        return new HostileCase(id, claim, REFUSED, dir -> Files.write(dir.resolve(id + ".gguf"), bytes));
    }
}
