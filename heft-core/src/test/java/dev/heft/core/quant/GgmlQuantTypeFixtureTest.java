package dev.heft.core.quant;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heft.core.json.JsonValue.JsonObject;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * heft's ggml quantizers against llama.cpp's own output: the bytes llama-quantize wrote into the fixture files, and the
 * round-trip error gguf-py measured (expected.json {@code vs_source}).
 */
class GgmlQuantTypeFixtureTest {
    static final String[] QUANTIZED = {
        "tiny-llama-Q8_0.gguf",
        "tiny-llama-Q4_0.gguf",
        "tiny-llama-Q4_0-pure.gguf",
        "tiny-llama-Q4_1.gguf",
        "tiny-llama-Q6_K.gguf",
        "tiny-llama-Q5_K_M.gguf",
        "tiny-llama-Q4_K_M.gguf",
        "tiny-llama-Q2_K.gguf",
        "tiny-llama-IQ4_NL.gguf",
        "tiny-odd-Q4_K_M.gguf"
    };

    static String sourceOf(String file) {
        return file.startsWith("tiny-odd") ? "tiny-odd-F32.gguf" : "tiny-llama-F32.gguf";
    }

    static Stream<Arguments> quantizedTensors() {
        List<Arguments> out = new ArrayList<>();
        for (String f : QUANTIZED) {
            for (GgufFixtureTensors.Info t : GgufFixtureTensors.tensors(f)) {
                if (!t.ggmlType().equals("F32") && !t.ggmlType().equals("F16")) {
                    out.add(Arguments.of(f, t.name(), t.ggmlType()));
                }
            }
        }
        return out.stream();
    }

    @Test
    void everyQuantizedTypeInTheFixturesIsCovered() {
        List<String> types = quantizedTensors()
                .map(a -> (String) a.get()[2])
                .distinct()
                .sorted()
                .toList();
        assertThat(types)
                .containsExactlyInAnyOrder(
                        "IQ4_NL", "Q2_K", "Q3_K", "Q4_0", "Q4_1", "Q4_K", "Q5_0", "Q5_K", "Q6_K", "Q8_0");
    }

    /** The strongest check: quantizing the F32 source gives the very bytes llama-quantize stored. */
    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("quantizedTensors")
    void quantizeReproducesLlamaQuantizeBytes(String file, String name, String type) {
        GgmlQuantType q = GgmlQuantType.valueOf(type);
        GgufFixtureTensors.Info t = GgufFixtureTensors.tensor(file, name);
        float[] src = GgufFixtureTensors.source(sourceOf(file), name);
        byte[] stored = GgufFixtureTensors.raw(t);
        byte[] mine = new byte[stored.length];
        q.quantize(src, 0, mine, 0, src.length / q.blockElements());
        assertSameBytes(file, name, q, mine, stored);
        // and the vector candidate search the scan uses
        KQuants.Scratch vector = KQuants.Scratch.preferred();
        assertThat(vector.vectorized()).isTrue();
        java.util.Arrays.fill(mine, (byte) 0);
        q.quantize(src, 0, mine, 0, src.length / q.blockElements(), vector);
        assertSameBytes(file, name, q, mine, stored);
    }

    private static void assertSameBytes(String file, String name, GgmlQuantType q, byte[] mine, byte[] stored) {
        int firstDiff = java.util.Arrays.mismatch(mine, stored);
        if (firstDiff >= 0) {
            int block = firstDiff / q.blockBytes();
            int from = block * q.blockBytes();
            throw new AssertionError(file + " " + name + ": first differing byte " + firstDiff + " (block " + block
                    + ")\n mine   " + HexFormat.of().formatHex(mine, from, from + q.blockBytes())
                    + "\n stored " + HexFormat.of().formatHex(stored, from, from + q.blockBytes()));
        }
    }

    /** Dequantizing the stored blocks reproduces gguf-py's rmse and max error against the F32 source. */
    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("quantizedTensors")
    void dequantizedErrorMatchesGgufPy(String file, String name, String type) {
        GgmlQuantType q = GgmlQuantType.valueOf(type);
        GgufFixtureTensors.Info t = GgufFixtureTensors.tensor(file, name);
        float[] src = GgufFixtureTensors.source(sourceOf(file), name);
        float[] back = new float[src.length];
        q.dequantize(GgufFixtureTensors.raw(t), 0, back, 0, src.length / q.blockElements());
        double sq = 0;
        double max = 0;
        for (int i = 0; i < src.length; i++) {
            double d = (double) back[i] - (double) src[i];
            sq += d * d;
            max = Math.max(max, Math.abs(d));
        }
        double rmse = Math.sqrt(sq / src.length);
        JsonObject vs = t.entry().getObject("vs_source").orElseThrow();
        assertThat(GgufFixtureTensors.relDiff(rmse, vs.getDouble("rmse", -1)))
                .as("rmse")
                .isLessThan(1e-5);
        assertThat(GgufFixtureTensors.relDiff(max, vs.getDouble("max_abs_err", -1)))
                .as("max")
                .isLessThan(1e-5);
    }
}
