package dev.heft.core.tensor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * {@link DType}'s ggml facts against ggml's own type table, transcribed entry by entry from ggml.h
 * ({@code enum ggml_type}, ids) and gguf-py's {@code GGML_QUANT_SIZES} (gguf-py/gguf/constants.py, which mirrors
 * {@code type_traits[]} in ggml.c: blck_size, type_size), written as gguf-py writes them so a transcription slip
 * shows; where the two disagree (Q8_1) ggml's struct wins, since it is what ggml writes. Current through GGML_TYPE_Q2_0 = 42 (GGML_TYPE_COUNT = 43).
 */
class DTypeGgmlTableTest {
    private static final int QK_K = 256;

    private record Ggml(String name, int id, int blockSize, int typeSize) {}

    private static final List<Ggml> GGML = List.of(
            new Ggml("F32", 0, 1, 4),
            new Ggml("F16", 1, 1, 2),
            new Ggml("Q4_0", 2, 32, 2 + 16),
            new Ggml("Q4_1", 3, 32, 2 + 2 + 16),
            new Ggml("Q5_0", 6, 32, 2 + 4 + 16),
            new Ggml("Q5_1", 7, 32, 2 + 2 + 4 + 16),
            new Ggml("Q8_0", 8, 32, 2 + 32),
            // ggml-common.h: block_q8_1 is {ggml_half d, s; int8 qs[32]}, static_assert 2*sizeof(ggml_half) + QK8_1.
            // gguf-py still lists (32, 4 + 4 + 32) from when d and s were floats; ggml's struct is what gets stored.
            new Ggml("Q8_1", 9, 32, 2 + 2 + 32),
            new Ggml("Q2_K", 10, 256, 2 + 2 + QK_K / 16 + QK_K / 4),
            new Ggml("Q3_K", 11, 256, 2 + QK_K / 4 + QK_K / 8 + 12),
            new Ggml("Q4_K", 12, 256, 2 + 2 + QK_K / 2 + 12),
            new Ggml("Q5_K", 13, 256, 2 + 2 + QK_K / 2 + QK_K / 8 + 12),
            new Ggml("Q6_K", 14, 256, 2 + QK_K / 2 + QK_K / 4 + QK_K / 16),
            new Ggml("Q8_K", 15, 256, 4 + QK_K + QK_K / 8),
            new Ggml("IQ2_XXS", 16, 256, 2 + QK_K / 4),
            new Ggml("IQ2_XS", 17, 256, 2 + QK_K / 4 + QK_K / 32),
            new Ggml("IQ3_XXS", 18, 256, 2 + QK_K / 4 + QK_K / 8),
            new Ggml("IQ1_S", 19, 256, 2 + QK_K / 8 + QK_K / 16),
            new Ggml("IQ4_NL", 20, 32, 2 + 16),
            new Ggml("IQ3_S", 21, 256, 2 + QK_K / 4 + QK_K / 8 + QK_K / 32 + 4),
            new Ggml("IQ2_S", 22, 256, 2 + QK_K / 4 + QK_K / 16),
            new Ggml("IQ4_XS", 23, 256, 2 + 2 + QK_K / 2 + QK_K / 64),
            new Ggml("I8", 24, 1, 1),
            new Ggml("I16", 25, 1, 2),
            new Ggml("I32", 26, 1, 4),
            new Ggml("I64", 27, 1, 8),
            new Ggml("F64", 28, 1, 8),
            new Ggml("IQ1_M", 29, 256, QK_K / 8 + QK_K / 16 + QK_K / 32),
            new Ggml("BF16", 30, 1, 2),
            new Ggml("TQ1_0", 34, 256, 2 + 4 * 13),
            new Ggml("TQ2_0", 35, 256, 2 + 64),
            new Ggml("MXFP4", 39, 32, 1 + 16),
            new Ggml("NVFP4", 40, 64, 4 + 32),
            new Ggml("Q1_0", 41, 128, 2 + 16),
            new Ggml("Q2_0", 42, 64, 2 + 16));

    /** Ids ggml.h comments out (Q4_2, Q4_3, the Q4_0_x_x and IQ4_NL_x_x repacks) and GGML_TYPE_COUNT. */
    private static final Set<Integer> REMOVED = Set.of(4, 5, 31, 32, 33, 36, 37, 38, 43);

    @Test
    void everyGgmlTypeHasItsExactBlockFacts() {
        for (Ggml g : GGML) {
            DType t = DType.fromGgmlId(g.id()).orElseThrow(() -> new AssertionError("no DType for ggml id " + g.id()));
            assertThat(t.displayName()).as("id %d", g.id()).isEqualTo(g.name());
            assertThat(t.ggmlId()).as(g.name()).isEqualTo(g.id());
            assertThat(t.blockElements()).as(g.name()).isEqualTo(g.blockSize());
            assertThat(t.blockBytes()).as(g.name()).isEqualTo(g.typeSize());
        }
    }

    @Test
    void noDTypeClaimsAGgmlIdGgmlDoesNotHave() {
        Set<Integer> ggmlIds = GGML.stream().map(Ggml::id).collect(Collectors.toSet());
        Set<Integer> heftIds = Arrays.stream(DType.values())
                .filter(t -> t.ggmlId() >= 0)
                .map(DType::ggmlId)
                .collect(Collectors.toSet());
        assertThat(heftIds).isEqualTo(ggmlIds);
    }

    @Test
    void removedAndOutOfRangeIdsAreUnknown() {
        for (int id : REMOVED) {
            assertThat(DType.fromGgmlId(id)).as("id %d", id).isEmpty();
        }
        assertThat(DType.fromGgmlId(-1)).isEmpty();
        assertThat(DType.fromGgmlId(1L << 32)).isEmpty();
        for (int id = 0; id < 64; id++) {
            int probe = id;
            boolean known = GGML.stream().anyMatch(g -> g.id() == probe);
            assertThat(DType.fromGgmlId(id).isPresent()).as("id %d", id).isEqualTo(known);
        }
    }

    @Test
    void bytesForRejectsPartialBlocksOfEveryGgmlType() {
        for (Ggml g : GGML) {
            DType t = DType.fromGgmlId(g.id()).orElseThrow();
            assertThat(t.bytesFor(3L * g.blockSize())).as(g.name()).isEqualTo(3L * g.typeSize());
            if (g.blockSize() > 1) {
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> t.bytesFor(g.blockSize() + 1L))
                        .as(g.name())
                        .isInstanceOf(IllegalArgumentException.class);
            }
        }
    }
}
