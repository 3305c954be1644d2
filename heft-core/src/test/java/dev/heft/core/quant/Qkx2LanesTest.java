package dev.heft.core.quant;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * {@link Qkx2Lanes} (one sub-block per vector lane) against the scalar port of make_qkx2_quants, bit for bit: each
 * sub-block's scale, -min and 32 levels, and the Q4_K/Q5_K bytes, on random and adversarial blocks. The scalar port
 * itself is held to llama.cpp's bytes by GgmlQuantTypeFixtureTest and to llama-quantize's errors by
 * LlamaQuantizeStatsTest.
 */
class Qkx2LanesTest {
    private static final int SUB = 32;

    /** Super-blocks of 256 floats, each sub-block drawn by its own rule so one batch mixes the cases. */
    private static List<float[]> cases() {
        SplittableRandom r = new SplittableRandom(20261207);
        List<IntFunction<Float>> rules = new ArrayList<>();
        rules.add(i -> (float) r.nextGaussian() * 0.02f);
        rules.add(i -> (float) r.nextGaussian());
        rules.add(i -> (float) r.nextGaussian() * 3e4f);
        rules.add(i -> 0f); // all zero: max == min, no search
        rules.add(i -> -0f);
        rules.add(i -> 0.7f); // positive constant: min is clamped to 0, max != min
        rules.add(i -> -0.7f); // negative constant: max == min
        rules.add(i -> -Math.abs((float) r.nextGaussian())); // negative only
        rules.add(i -> Math.abs((float) r.nextGaussian()) + 1f); // positive only, min clamped to 0
        rules.add(i -> Float.MIN_VALUE * (i % 7)); // subnormals
        rules.add(i -> Float.MIN_NORMAL * (float) r.nextGaussian()); // subnormal products and weights
        rules.add(i -> (i % 2 == 0 ? 1f : -1f) * Float.MAX_VALUE); // max - min overflows to infinity
        rules.add(i -> (float) r.nextGaussian() * 1e30f); // sums overflow
        rules.add(i -> (float) r.nextGaussian() * 1e-30f); // products underflow
        rules.add(i -> i % SUB == 7 ? 1e6f : (float) r.nextGaussian() * 1e-3f); // one outlier, huge range
        rules.add(i -> (float) ((i % 17) - 8) * 0.125f); // exact levels: ties for nearest_int
        rules.add(i -> (float) (i % 16)); // already on the 4-bit grid
        rules.add(i -> (float) r.nextInt(-3, 4)); // few distinct values
        rules.add(i -> i % SUB == 0 ? -1f : 0f); // a single non-zero
        rules.add(i -> (float) r.nextGaussian() * (float) Math.pow(10, r.nextInt(-20, 20))); // mixed magnitudes
        List<float[]> out = new ArrayList<>();
        // every rule alone (a batch of 16 lanes of one kind), then 200 super-blocks of random mixtures
        for (IntFunction<Float> rule : rules) {
            float[] x = new float[4 * KQuants.QK_K];
            for (int i = 0; i < x.length; i++) {
                x[i] = rule.apply(i);
            }
            out.add(x);
        }
        float[] mixed = new float[200 * KQuants.QK_K];
        for (int s = 0; s < mixed.length; s += SUB) {
            IntFunction<Float> rule = rules.get(r.nextInt(rules.size()));
            for (int i = 0; i < SUB; i++) {
                mixed[s + i] = rule.apply(s + i);
            }
        }
        out.add(mixed);
        return out;
    }

    @Test
    void eachSubBlockMatchesTheScalarSearch() {
        assertThat(Qkx2Lanes.useful()).isTrue(); // the test JVM runs with the Vector API module and >= 8 lanes
        Qkx2Lanes lanes = new Qkx2Lanes();
        KQuants.Scratch scalar = new KQuants.Scratch();
        float[] scales = new float[Qkx2Lanes.LANES];
        float[] mins = new float[Qkx2Lanes.LANES];
        int[] levels = new int[SUB * Qkx2Lanes.LANES];
        int[] expectedLevels = new int[SUB];
        int per = Qkx2Lanes.blocksPerBatch();
        int compared = 0;
        for (boolean five : new boolean[] {false, true}) {
            for (float[] x : cases()) {
                int nb = x.length / KQuants.QK_K;
                // batches of every size up to a full one, so the padded lanes are exercised as well
                for (int b = 0; b < nb; ) {
                    int blocks = Math.min(1 + (b % per), nb - b);
                    lanes.scalesAndMins(x, b * KQuants.QK_K, blocks, five, scales, mins, levels);
                    for (int j = 0; j < blocks * 8; j++) {
                        int xo = b * KQuants.QK_K + SUB * j;
                        float scale = KQuants.subBlockQ45K(x, xo, five, expectedLevels, 0, scalar);
                        String where = (five ? "q5_K" : "q4_K") + " sub-block at " + xo;
                        assertThat(Float.floatToRawIntBits(scales[j]))
                                .as(where + " scale %s vs %s", scales[j], scale)
                                .isEqualTo(Float.floatToRawIntBits(scale));
                        assertThat(Float.floatToRawIntBits(mins[j]))
                                .as(where + " min %s vs %s", mins[j], scalar.minOut[0])
                                .isEqualTo(Float.floatToRawIntBits(scalar.minOut[0]));
                        for (int i = 0; i < SUB; i++) {
                            assertThat(levels[SUB * j + i])
                                    .as(where + " level " + i)
                                    .isEqualTo(expectedLevels[i]);
                        }
                        compared++;
                    }
                    b += blocks;
                }
            }
        }
        int subBlocks = cases().stream().mapToInt(x -> x.length / SUB).sum();
        assertThat(compared).isEqualTo(2 * subBlocks);
    }

    /** The whole super-blocks through GgmlQuantType, as quant-error runs them: the same bytes as the scalar path. */
    @Test
    void q4KAndQ5KBytesMatchTheScalarReference() {
        KQuants.Scratch preferred = KQuants.Scratch.preferred();
        assertThat(preferred.lanes).isNotNull();
        for (GgmlQuantType t : new GgmlQuantType[] {GgmlQuantType.Q4_K, GgmlQuantType.Q5_K}) {
            for (float[] x : cases()) {
                for (int nb : new int[] {1, 3, x.length / KQuants.QK_K}) { // odd counts end on a part batch
                    byte[] a = new byte[nb * t.blockBytes()];
                    byte[] b = new byte[nb * t.blockBytes()];
                    t.quantize(x, 0, a, 0, nb, new KQuants.Scratch());
                    t.quantize(x, 0, b, 0, nb, preferred);
                    assertThat(b).as("%s, %d blocks", t, nb).isEqualTo(a);
                }
            }
        }
    }
}
