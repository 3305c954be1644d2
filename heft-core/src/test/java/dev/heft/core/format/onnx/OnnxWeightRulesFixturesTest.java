package dev.heft.core.format.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heft.core.classify.LayerKind;
import dev.heft.core.format.Formats;
import dev.heft.core.json.Json;
import dev.heft.core.json.JsonValue.JsonObject;
import dev.heft.core.report.InspectReport;
import dev.heft.core.tensor.DType;
import dev.heft.core.tensor.TensorInventory;
import dev.heft.core.tensor.TensorRole;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Issue 11's ONNX rules on files written by onnx and torch ({@code scripts/fixtures/onnx_fixtures.py}); expected
 * numbers come from the onnx library and torch (expected.json), never from heft.
 */
class OnnxWeightRulesFixturesTest {
    private static final Path DIR = Path.of("src/test/resources/fixtures/onnx");

    private static JsonObject expected(String file) throws IOException {
        return Json.parse(Files.readAllBytes(DIR.resolve("expected.json")))
                .asObject("expected.json")
                .getObject(file)
                .orElseThrow();
    }

    private static TensorInventory read(String file) throws IOException {
        Path p = DIR.resolve(file);
        return Formats.require(p).read(p);
    }

    @Test
    void strippedLightModelsStoreNoWeightsAndSayWhatTheyImply() throws IOException {
        for (String file : new String[] {"light_bvlc_alexnet.onnx", "light_squeezenet.onnx"}) {
            JsonObject e = expected(file);
            TensorInventory inv = read(file);
            assertThat(inv.parameters()).as(file).isEqualTo(e.getLong("stored_parameters", -1));
            assertThat(inv.metadata().get("onnx.stripped_weights.implied_parameters"))
                    .as(file)
                    .isEqualTo(e.getLong("implied_parameters", -1));
            assertThat(inv.metadata().get("onnx.stripped_weights.tensors"))
                    .as(file)
                    .isEqualTo(e.getLong("rebuilt_tensors", -1));
            assertThat(inv.notes()).anyMatch(n -> n.startsWith("weights stripped: "));
            // ConstantOfShape's fill values are node attributes: no tensor for them.
            assertThat(inv.tensors()).noneMatch(t -> t.name().endsWith("/value"));
            assertThat(inv.notes())
                    .anyMatch(n ->
                            n.startsWith(e.getLong("constant_of_shape_nodes", -1) + " ConstantOfShape fill value(s)"));
        }
    }

    @Test
    void rankZeroLiteralsAreConstantsAndLstmWeightsAreRecurrent() throws IOException {
        JsonObject e = expected("tiny-lstm-ln.onnx");
        TensorInventory inv = read("tiny-lstm-ln.onnx");
        assertThat(inv.parameters()).isEqualTo(e.getLong("torch_parameters", -1));
        assertThat(inv.tensors())
                .filteredOn(t -> t.rank() == 0 && t.dtype() == DType.F32)
                .hasSize((int) e.getLong("rank0_float_literals", -1))
                .allMatch(t -> t.role() == TensorRole.CONSTANT && t.parameters() == 0);
        InspectReport r = InspectReport.of(inv);
        assertThat(r.byKind().get(LayerKind.RECURRENT).parameters()).isEqualTo(e.getLong("lstm_parameters", -1));
    }
}
