package dev.heft.core.precision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.heft.core.compress.GgufFormat;
import dev.heft.core.compress.LlamaFileType;
import dev.heft.core.compress.PrecisionFormats;
import dev.heft.core.error.InvalidInputException;
import dev.heft.core.quant.GgmlQuantType;
import dev.heft.core.quant.QuantScheme;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One vocabulary for memory --dtype, compress --quant and quant-error --scheme. */
class PrecisionsTest {

    /** Every name the quant-error grammar accepted before the two were joined. */
    private static final List<String> SCHEME_NAMES = List.of(
            "q8_0",
            "q4_0",
            "q4_1",
            "q5_0",
            "q5_1",
            "q2_k",
            "q3_k",
            "q4_k",
            "q5_k",
            "q6_k",
            "iq4_nl",
            "iq4_xs",
            "int8-channel",
            "int8",
            "int4-g128",
            "int4-g32",
            "nf4",
            "nf4-dq",
            "nf4-b128",
            "fp8-e4m3",
            "fp8",
            "fp8-e5m2",
            "magnitude:0.5",
            "prune-magnitude-0.3");

    @Test
    void everyNameEitherGrammarAcceptedStillParsesAndKeepsItsMeaning() {
        for (String n : PrecisionFormats.knownNames()) {
            Precision p = Precisions.parse(n);
            assertThat(p.storage()).as(n).contains(PrecisionFormats.parse(n));
        }
        for (String n : SCHEME_NAMES) {
            Precision p = Precisions.parse(n);
            assertThat(p.roundTrip()).as(n).contains(QuantScheme.parse(n));
        }
    }

    @Test
    void commandsShareTheNames() {
        // q4_k: a block type with no file type of its own stores as llama-quantize --pure Q4_K_S.
        Precision q4k = Precisions.parse("q4_k");
        assertThat(q4k.storage()).contains(new GgufFormat(LlamaFileType.Q4_K_S, true));
        assertThat(q4k.roundTrip()).contains(new QuantScheme.Ggml(GgmlQuantType.Q4_K));
        // Q4_K_M is a mixture: stored, no single round trip.
        assertThat(Precisions.parse("Q4_K_M").roundTrip()).isEmpty();
        assertThatThrownBy(() -> Precisions.roundTrips("q8_0,Q4_K_M"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("Q4_K_M")
                .hasMessageContaining("q4_k,q6_k");
        // GPTQ/AWQ measure as 4-bit round to nearest in their groups.
        assertThat(Precisions.parse("gptq-4bit-g64").roundTrip()).contains(new QuantScheme.Int4Group(64));
        assertThat(Precisions.parse("awq").roundTrip()).contains(new QuantScheme.Int4Group(128));
        // Pruning has a round trip and no storage layout.
        assertThat(Precisions.parse("magnitude:0.5").storage()).isEmpty();
        assertThat(Precisions.roundTrips("q8_0,q4_k,int4-g128")).hasSize(3);
    }

    @Test
    void errorsAreOneLineAndPrecise() {
        assertThatThrownBy(() -> Precisions.parse("q9_x"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("unknown precision 'q9_x'")
                .hasMessageContaining("Q4_K_M")
                .hasMessageContaining("int4-g128");
        assertThatThrownBy(() -> Precisions.parse("int4-g0")).hasMessageContaining("must be");
        assertThatThrownBy(() -> Precisions.parse("awq-3bit")).hasMessageContaining("AWQ packs 4 bits");
        assertThatThrownBy(() -> Precisions.parseList("q8_0,Q8_0")).hasMessageContaining("twice");
        assertThatThrownBy(() -> Precisions.parse(" ")).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void namesListEveryFamilyWithADescription() {
        List<Precisions.Name> names = Precisions.names();
        assertThat(names)
                .extracting(Precisions.Name::name)
                .contains(
                        "Q4_K_M",
                        "q4_k",
                        "gptq-4bit-g128",
                        "nf4-dq",
                        "fp8-block128",
                        "mxfp4",
                        "magnitude:0.5",
                        "int8-channel");
        assertThat(names).allSatisfy(n -> {
            assertThat(n.description()).isNotBlank();
            assertThat(Precisions.parse(n.name()).name()).isEqualTo(n.name());
        });
        assertThat(names).extracting(Precisions.Name::name).doesNotHaveDuplicates();
    }

    @Test
    void bytesForAShapeFollowTheLayouts() {
        long[] w = {4096, 4096};
        // ggml Q8_0: 34 bytes per 32 elements (ggml-common.h block_q8_0).
        assertThat(Precisions.parse("q8_0").bytesFor(w)).contains(4096L * 4096 / 32 * 34);
        assertThat(Precisions.parse("bf16").bytesFor(w)).contains(4096L * 4096 * 2);
        // GPTQ 4-bit g128: qweight in/8 x out int32, qzeros in/128 x out/8 int32, scales in/128 x out f16, g_idx in.
        long gptq = 4096L / 8 * 4096 * 4 + 32L * 512 * 4 + 32L * 4096 * 2 + 4096L * 4;
        assertThat(Precisions.parse("gptq-4bit-g128").bytesFor(w)).contains(gptq);
        assertThat(Precisions.parse("q4_k").bytesFor(new long[] {10, 192})).isEmpty(); // 192 is not 256-aligned
        assertThat(Precisions.parse("magnitude:0.5").bytesFor(w)).isEmpty();
    }
}
