package dev.heft.core.format.quantized;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heft.core.json.Json;
import dev.heft.core.json.JsonValue.JsonObject;
import dev.heft.core.model.ModelProfile;
import dev.heft.core.model.ModelResolver;
import dev.heft.core.model.ResolvedModel;
import dev.heft.core.quant.QuantErrorOptions;
import dev.heft.core.quant.QuantErrorProgress;
import dev.heft.core.quant.QuantErrorReport;
import dev.heft.core.quant.QuantErrorScanner;
import dev.heft.core.quant.QuantScheme;
import dev.heft.core.report.InspectReport;
import dev.heft.core.tensor.Tensor;
import dev.heft.core.tensor.TensorInventory;
import dev.heft.core.tensor.TensorRole;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A tiny Llama (328,320 parameters, counted by torch on the unquantized model) written in every packed layout by
 * {@code scripts/fixtures/packed_quantized.py}, which follows each quantizer's own save code (cited there). heft must
 * count the unquantized parameters, put exactly the tensors the quantizer stores beside each weight into quantization
 * overhead (count and bytes from the generator), and hand the logical shapes to memory/compress/quant-error.
 */
class PackedFixturesTest {
    static final Path DIR = Path.of("src/test/resources/fixtures/packed");

    static Stream<String> fixtures() throws IOException {
        return expected().members().keySet().stream().filter(k -> !k.startsWith("_"));
    }

    static JsonObject expected() throws IOException {
        return Json.parse(Files.readAllBytes(DIR.resolve("expected.json"))).asObject("expected.json");
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void countsTheUnquantizedModel(String name) throws IOException {
        JsonObject e = expected().getObject(name).orElseThrow();
        ResolvedModel.Stored stored = (ResolvedModel.Stored)
                new ModelResolver().resolve(DIR.resolve(name).toString());
        TensorInventory inv = stored.inventory();
        assertThat(inv.tensors()).hasSize((int) e.getLong("tensors", -1));
        assertThat(inv.parameters()).isEqualTo(e.getLong("logical_parameters", -1));
        List<Tensor> packed =
                inv.tensors().stream().filter(t -> t.packing().isPresent()).toList();
        assertThat(packed).hasSize((int) e.getLong("packed_tensors", -1));
        List<Tensor> overhead = inv.tensors().stream()
                .filter(t -> t.role() == TensorRole.QUANT_OVERHEAD)
                .toList();
        assertThat(overhead).hasSize((int) e.getLong("overhead_tensors", -1));
        assertThat(overhead.stream().mapToLong(Tensor::bytes).sum()).isEqualTo(e.getLong("overhead_bytes", -1));
        // Every packed weight of this model is a Linear [out, in] of the unquantized Llama (or, for MLX, an embedding
        // or the head), so its logical shape is rank 2 and its overhead is recorded with it.
        assertThat(packed).allSatisfy(t -> assertThat(t.logicalShape()).hasSize(2));
        assertThat(packed.stream()
                        .mapToLong(t -> t.packing().get().overheadBytes())
                        .sum())
                .isEqualTo(e.getLong("overhead_bytes", -1));

        InspectReport report = InspectReport.of(inv);
        assertThat(report.parameters()).isEqualTo(e.getLong("logical_parameters", -1));
        assertThat(report.quantOverheadBytes()).isEqualTo(e.getLong("overhead_bytes", -1));
        assertThat(report.packed()).isNotEmpty();
        for (InspectReport.PackedTotals p : report.packed()) {
            if (p.bits() > 0 && !p.layout().contains("GEMV")) { // GEMV zero-pads its scales to a kernel width
                // Packed values at the nominal width plus their scales and zeros: a little above the bits.
                assertThat(p.bitsPerWeight()).as(p.layout()).isBetween((double) p.bits(), p.bits() + 1.0);
            }
        }

        ModelProfile profile = ModelProfile.of(stored);
        assertThat(profile.parameters()).isEqualTo(e.getLong("logical_parameters", -1));
        assertThat(profile.tensors().stream().mapToLong(s -> s.elements()).sum())
                .isEqualTo(e.getLong("logical_parameters", -1));
        assertThat(profile.nativeWeightBytes()).isEqualTo(report.weightBytes() + report.quantOverheadBytes());
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void quantErrorSaysPackedWeightsAreAlreadyQuantized(String name) throws IOException {
        ResolvedModel.Stored stored = (ResolvedModel.Stored)
                new ModelResolver().resolve(DIR.resolve(name).toString());
        QuantErrorReport r = QuantErrorScanner.scan(
                stored.inventory(),
                List.of(QuantScheme.parseList("q8_0").getFirst()),
                QuantErrorOptions.defaults(),
                QuantErrorProgress.NONE);
        long packed = stored.inventory().tensors().stream()
                .filter(t -> t.packing().isPresent())
                .count();
        assertThat(r.skipped().stream().filter(s -> s.reason().startsWith("already quantized")))
                .hasSize((int) packed);
        assertThat(r.tensors())
                .noneMatch(t -> stored.inventory()
                        .tensor(t.tensor())
                        .orElseThrow()
                        .packing()
                        .isPresent());
    }
}
