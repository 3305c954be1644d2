package dev.heft.core.format.pytorch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heft.core.format.Formats;
import dev.heft.core.format.ModelReader;
import dev.heft.core.json.JsonValue;
import dev.heft.core.json.JsonValue.JsonArray;
import dev.heft.core.json.JsonValue.JsonObject;
import dev.heft.core.tensor.DType;
import dev.heft.core.tensor.ModelFormat;
import dev.heft.core.tensor.Shapes;
import dev.heft.core.tensor.Tensor;
import dev.heft.core.tensor.TensorInventory;
import dev.heft.core.tensor.TensorRole;
import dev.heft.core.testing.SharedFixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every file torch 2.11 wrote in shared/fixtures/hf/pytorch against shared/fixtures/hf/expected.json (written by torch
 * itself from the saved objects): every state_dict entry's shape and dtype, the parameter total, the optimizer state
 * of the training checkpoint, and the unique storage elements of the shared-storage views.
 */
class PyTorchFixturesTest {
    private static final Map<String, DType> TORCH_DTYPES = Map.of(
            "torch.float32",
            DType.F32,
            "torch.bfloat16",
            DType.BF16,
            "torch.float16",
            DType.F16,
            "torch.int64",
            DType.I64);

    private static JsonObject expected(String name) {
        return SharedFixtures.json(SharedFixtures.fixture("hf/expected.json"))
                .getObject(name)
                .orElseThrow();
    }

    /** name -> (shape, dtype) from expected.json's state_dict. */
    private static Map<String, Map.Entry<long[], DType>> stateDict(JsonObject e) {
        Map<String, Map.Entry<long[], DType>> out = new LinkedHashMap<>();
        JsonObject sd = e.getObject("state_dict").orElseThrow();
        for (Map.Entry<String, JsonValue> entry : sd.members().entrySet()) {
            JsonArray pair = (JsonArray) entry.getValue();
            JsonArray dims = (JsonArray) pair.get(0);
            long[] shape = dims.elements().stream()
                    .mapToLong(v -> ((JsonValue.JsonNumber) v).value().longValueExact())
                    .toArray();
            String dtype = ((JsonValue.JsonString) pair.get(1)).value();
            assertThat(TORCH_DTYPES).containsKey(dtype);
            out.put(entry.getKey(), Map.entry(shape, TORCH_DTYPES.get(dtype)));
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "tiny-llama-state_dict.bin",
                "tiny-llama-legacy.bin",
                "tiny-llama-bf16.bin",
                "tiny-llama-training-ckpt.pt",
                "shared-storage.pt"
            })
    void everyStateDictEntryMatchesTorch(String file) throws IOException {
        Path path = SharedFixtures.fixture("hf/pytorch/" + file);
        JsonObject e = expected("pytorch/" + file);
        Map<String, Map.Entry<long[], DType>> sd = stateDict(e);

        ModelReader reader = Formats.require(path);
        TensorInventory inv = reader.read(path);
        List<Tensor> model = inv.tensors().stream()
                .filter(t -> t.role() != TensorRole.OPTIMIZER_STATE)
                .toList();
        assertThat(model).extracting(Tensor::name).containsExactlyInAnyOrderElementsOf(sd.keySet());
        for (Tensor t : model) {
            assertThat(t.shape()).as(t.name()).containsExactly(sd.get(t.name()).getKey());
            assertThat(t.dtype()).as(t.name()).isEqualTo(sd.get(t.name()).getValue());
            assertThat(t.file()).isEqualTo(path);
        }
        if (e.members().containsKey("params")) {
            assertThat(inv.parameters()).isEqualTo(e.getLong("params", -1));
        }
        // every byte attributed lies inside the file
        long size = Files.size(path);
        for (Tensor t : inv.tensors()) {
            assertThat(t.offset()).isBetween(0L, size);
            assertThat(t.offset() + t.bytes()).isLessThanOrEqualTo(size);
        }
    }

    @Test
    void formatsAreDetectedByBytes() throws IOException {
        assertThat(Formats.require(SharedFixtures.fixture("hf/pytorch/tiny-llama-state_dict.bin"))
                        .format())
                .isEqualTo(ModelFormat.PYTORCH);
        assertThat(Formats.require(SharedFixtures.fixture("hf/pytorch/tiny-llama-legacy.bin"))
                        .format())
                .isEqualTo(ModelFormat.PYTORCH_LEGACY);
        assertThat(Formats.require(SharedFixtures.fixture("hf/pytorch/tiny-llama-training-ckpt.pt"))
                        .format())
                .isEqualTo(ModelFormat.PYTORCH);
    }

    @Test
    void sharedStorageViewsAreCountedOnce() throws IOException {
        Path path = SharedFixtures.fixture("hf/pytorch/shared-storage.pt");
        JsonObject e = expected("pytorch/shared-storage.pt");
        TorchCheckpoint ckpt = new PyTorchCheckpointReader().read(path);
        long unique = e.getLong("unique_storage_elements", -1);
        assertThat(ckpt.storages()).hasSize(1);
        assertThat(ckpt.uniqueStorageElements()).isEqualTo(unique);
        assertThat(ckpt.uniqueStorageBytes()).isEqualTo(unique * 4);
        // per-tensor view sizes are each tensor's own elements (expected shapes) x 4 bytes
        Map<String, Map.Entry<long[], DType>> sd = stateDict(e);
        long viewBytes = 0;
        for (TorchTensor t : ckpt.tensors()) {
            long elements = Shapes.elements(sd.get(t.name()).getKey());
            assertThat(t.viewBytes()).as(t.name()).isEqualTo(elements * 4);
            viewBytes += elements * 4;
        }
        assertThat(ckpt.viewBytes()).isEqualTo(viewBytes);
        TensorInventory inv = ckpt.toInventory();
        assertThat(inv.tensorBytes()).as("real stored bytes").isEqualTo(unique * 4);
        assertThat(inv.parameters())
                .as("one storage of 60 floats holds 60 parameters")
                .isEqualTo(unique);
        assertThat(inv.metadata())
                .containsEntry("pytorch.unique_storage_elements", unique)
                .containsEntry("pytorch.unique_storage_bytes", unique * 4)
                .containsEntry("pytorch.view_bytes", viewBytes);
        // b = w[2:5] starts 2 rows of 6 floats into w's storage; c = w.t() starts where w does
        TorchTensor a = ckpt.tensor("a").orElseThrow();
        TorchTensor b = ckpt.tensor("b").orElseThrow();
        TorchTensor c = ckpt.tensor("c").orElseThrow();
        assertThat(b.fileOffset() - a.fileOffset()).isEqualTo(2 * 6 * 4);
        assertThat(c.fileOffset()).isEqualTo(a.fileOffset());
        assertThat(c.view().stride()).containsExactly(1, 6);
        assertThat(inv.notes())
                .anyMatch(n -> n.contains("view storage") && n.contains("b") && n.contains("c"))
                .anyMatch(n -> n.contains("add fewer or no parameters: b, c"));
    }

    @Test
    void trainingCheckpointKeepsOptimizerStateApart() throws IOException {
        Path path = SharedFixtures.fixture("hf/pytorch/tiny-llama-training-ckpt.pt");
        JsonObject e = expected("pytorch/tiny-llama-training-ckpt.pt");
        Map<String, Map.Entry<long[], DType>> sd = stateDict(e);
        long params = e.getLong("params", -1);
        TensorInventory inv = Formats.require(path).read(path);

        List<Tensor> weights = inv.tensors().stream()
                .filter(t -> t.role() == TensorRole.WEIGHT)
                .toList();
        assertThat(weights).extracting(Tensor::name).containsExactlyInAnyOrderElementsOf(sd.keySet());
        assertThat(inv.parameters()).isEqualTo(params);

        // AdamW keeps exp_avg and exp_avg_sq shaped like each parameter, and a scalar float32 step per parameter
        List<Tensor> opt = inv.tensors().stream()
                .filter(t -> t.role() == TensorRole.OPTIMIZER_STATE)
                .toList();
        int n = sd.size();
        assertThat(opt).hasSize(3 * n);
        long expAvg = opt.stream()
                .filter(t -> t.name().endsWith(".exp_avg"))
                .mapToLong(Tensor::elements)
                .sum();
        long expAvgSq = opt.stream()
                .filter(t -> t.name().endsWith(".exp_avg_sq"))
                .mapToLong(Tensor::elements)
                .sum();
        List<Tensor> steps =
                opt.stream().filter(t -> t.name().endsWith(".step")).toList();
        assertThat(expAvg).isEqualTo(params);
        assertThat(expAvgSq).isEqualTo(params);
        assertThat(steps).hasSize(n).allSatisfy(t -> {
            assertThat(t.shape()).isEmpty();
            assertThat(t.dtype()).isEqualTo(DType.F32);
        });
        assertThat(opt).allSatisfy(t -> assertThat(t.name()).startsWith("optimizer.state."));
        long optBytes = opt.stream().mapToLong(Tensor::bytes).sum();
        assertThat(optBytes).isEqualTo(2 * params * 4 + n * 4L);
        assertThat(inv.tensorBytes()).isEqualTo(params * 4 + optBytes);

        // the scalar entries beside the tensors: "step": 1, "lr": 1e-3, and the AdamW hyperparameters
        assertThat(inv.metadata())
                .containsEntry("pytorch.entry.step", 1L)
                .containsEntry("pytorch.entry.lr", 0.001)
                .containsEntry("pytorch.entry.optimizer.param_groups.0.lr", 0.001)
                .containsEntry("pytorch.model_key", "model");
        assertThat(inv.notes()).anyMatch(s -> s.contains("optimizer state") && s.contains("step = 1"));
    }

    @Test
    void legacyStoragesAreLocatedWithoutReadingData() throws IOException {
        Path path = SharedFixtures.fixture("hf/pytorch/tiny-llama-legacy.bin");
        TorchCheckpoint ckpt = new PyTorchCheckpointReader().read(path);
        long params = expected("pytorch/tiny-llama-legacy.bin").getLong("params", -1);
        assertThat(ckpt.format()).isEqualTo(ModelFormat.PYTORCH_LEGACY);
        assertThat(ckpt.uniqueStorageElements()).isEqualTo(params);
        // storages follow each other: 8-byte count, then the data; the last one ends at the end of the file
        long end = ckpt.storages().values().stream()
                .mapToLong(s -> s.offset() + s.bytes())
                .max()
                .orElseThrow();
        assertThat(end).isEqualTo(Files.size(path));
        assertThat(ckpt.archive()).containsEntry("byteorder", "little");
    }

    @Test
    void zipStoragesAreAlignedAndInsideTheFile() throws IOException {
        Path path = SharedFixtures.fixture("hf/pytorch/tiny-llama-bf16.bin");
        TorchCheckpoint ckpt = new PyTorchCheckpointReader().read(path);
        assertThat(ckpt.storages().values())
                .allSatisfy(s -> assertThat(s.offset() % 64).isZero());
        assertThat(ckpt.uniqueStorageBytes())
                .isEqualTo(expected("pytorch/tiny-llama-bf16.bin").getLong("params", -1) * 2);
        assertThat(ckpt.archive())
                .containsEntry("byteorder", "little")
                .containsEntry("archive_name", "tiny-llama-bf16");
    }
}
