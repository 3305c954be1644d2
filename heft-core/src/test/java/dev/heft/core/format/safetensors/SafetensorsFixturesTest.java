package dev.heft.core.format.safetensors;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heft.core.format.Formats;
import dev.heft.core.json.JsonValue;
import dev.heft.core.json.JsonValue.JsonArray;
import dev.heft.core.json.JsonValue.JsonObject;
import dev.heft.core.json.JsonValue.JsonString;
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
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The reader against folders written by transformers' {@code save_pretrained} (../shared/fixtures/hf/safetensors),
 * checked against {@code expected.json}, which torch wrote from the model objects.
 */
class SafetensorsFixturesTest {

    static Stream<String> folders() throws IOException {
        try (Stream<Path> list = Files.list(SharedFixtures.fixture("hf/safetensors"))) {
            List<String> names = list.filter(Files::isDirectory)
                    .map(p -> p.getFileName().toString())
                    .sorted()
                    .toList();
            assertThat(names).as("fixture folders").hasSizeGreaterThanOrEqualTo(6);
            return names.stream();
        }
    }

    private static JsonObject expected(String folder) {
        return SharedFixtures.json(SharedFixtures.fixture("hf/expected.json"))
                .getObject("safetensors/" + folder)
                .orElseThrow(() -> new AssertionError("expected.json has no entry for " + folder));
    }

    /** state_dict: name -> [shape, "torch.float32"] as torch reported it. */
    private static Map<String, String> stateDict(JsonObject expected) {
        Map<String, String> out = new TreeMap<>();
        for (Map.Entry<String, JsonValue> e :
                expected.getObject("state_dict").orElseThrow().members().entrySet()) {
            JsonArray pair = (JsonArray) e.getValue();
            JsonArray dims = (JsonArray) pair.get(0);
            long[] shape = new long[dims.size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = ((JsonValue.JsonNumber) dims.get(i)).longValueExact("dim");
            }
            out.put(e.getKey(), Shapes.format(shape) + " " + torchToSafetensors(((JsonString) pair.get(1)).value()));
        }
        return out;
    }

    /** safetensors.torch's _TYPES table, inverted: torch dtype name -> safetensors header name. */
    private static String torchToSafetensors(String torch) {
        return switch (torch) {
            case "torch.float32" -> "F32";
            case "torch.bfloat16" -> "BF16";
            case "torch.float16" -> "F16";
            case "torch.int64" -> "I64";
            default -> throw new AssertionError("add " + torch + " to the test's dtype table");
        };
    }

    private static Map<String, String> described(TensorInventory inv) {
        return inv.tensors().stream()
                .collect(Collectors.toMap(
                        Tensor::name,
                        t -> Shapes.format(t.shape()) + " " + t.dtype().safetensorsName(),
                        (a, b) -> {
                            throw new AssertionError("duplicate tensor");
                        },
                        TreeMap::new));
    }

    @ParameterizedTest
    @MethodSource("folders")
    void everyTensorMatchesTorchStateDictAndParametersMatch(String folder) throws IOException {
        JsonObject expected = expected(folder);
        TensorInventory inv = SafetensorsReader.readDirectory(SharedFixtures.fixture("hf/safetensors/" + folder));

        Map<String, String> truth = toHubLayout(stateDict(expected));
        Map<String, String> read = described(inv);
        // save_pretrained drops tied duplicates: what the file lacks must be exactly the tied-twice surplus.
        assertThat(truth).containsAllEntriesOf(read);
        long missingElements = truth.keySet().stream()
                .filter(k -> !read.containsKey(k))
                .mapToLong(k -> elementsOf(truth.get(k)))
                .sum();
        assertThat(missingElements)
                .isEqualTo(expected.getLong("params_counting_tied_twice", -1) - expected.getLong("params", -1));
        assertThat(inv.parameters()).isEqualTo(expected.getLong("params", -1));

        assertThat(inv.format()).isEqualTo(ModelFormat.SAFETENSORS);
        assertThat(inv.tensors()).allMatch(t -> t.role() == TensorRole.WEIGHT);
        assertThat(inv.metadata()).containsEntry("format", "pt");
        assertThat(inv.config()).as("config.json attached").isPresent();
        assertThat(inv.config().orElseThrow().has("model_type")).isTrue();
    }

    /**
     * transformers 5 holds Mixtral's experts fused ({@code mlp.experts.gate_up_proj [E, 2F, H]},
     * {@code mlp.experts.down_proj [E, H, F]}, {@code mlp.gate}) but {@code save_pretrained} converts back to the
     * Hub's per-expert layout ({@code block_sparse_moe.experts.e.w1/w3 [F, H]}, {@code w2 [H, F]},
     * {@code block_sparse_moe.gate}). This turns the state_dict torch reported into the names and shapes that
     * conversion writes; entries of other models pass through unchanged.
     */
    private static Map<String, String> toHubLayout(Map<String, String> stateDict) {
        Map<String, String> out = new TreeMap<>();
        for (Map.Entry<String, String> e : stateDict.entrySet()) {
            String name = e.getKey();
            String value = e.getValue();
            String dtype = value.substring(value.indexOf("] ") + 2);
            long[] shape = shapeOf(value);
            if (name.endsWith(".mlp.gate.weight")) {
                out.put(name.replace(".mlp.gate.", ".block_sparse_moe.gate."), value);
            } else if (name.endsWith(".mlp.experts.gate_up_proj")) {
                String prefix = name.replace(".mlp.experts.gate_up_proj", ".block_sparse_moe.experts.");
                for (int x = 0; x < shape[0]; x++) {
                    String half = Shapes.format(new long[] {shape[1] / 2, shape[2]}) + " " + dtype;
                    out.put(prefix + x + ".w1.weight", half);
                    out.put(prefix + x + ".w3.weight", half);
                }
            } else if (name.endsWith(".mlp.experts.down_proj")) {
                String prefix = name.replace(".mlp.experts.down_proj", ".block_sparse_moe.experts.");
                for (int x = 0; x < shape[0]; x++) {
                    out.put(prefix + x + ".w2.weight", Shapes.format(new long[] {shape[1], shape[2]}) + " " + dtype);
                }
            } else {
                out.put(name, value);
            }
        }
        return out;
    }

    private static long[] shapeOf(String described) {
        String dims = described.substring(1, described.indexOf(']'));
        return dims.isEmpty()
                ? new long[0]
                : Stream.of(dims.split(", ")).mapToLong(Long::parseLong).toArray();
    }

    private static long elementsOf(String described) {
        String dims = described.substring(1, described.indexOf(']'));
        long n = 1;
        for (String d : dims.split(", ")) {
            n *= d.isEmpty() ? 1 : Long.parseLong(d);
        }
        return n;
    }

    @Test
    void tiedGpt2FileHoldsEverythingButTheHead() throws IOException {
        TensorInventory inv = SafetensorsReader.readDirectory(SharedFixtures.fixture("hf/safetensors/tiny-gpt2-tied"));
        assertThat(inv.parameters()).isEqualTo(74_112L); // fixtures README
        assertThat(inv.tensor("lm_head.weight")).isEmpty();
        assertThat(stateDict(expected("tiny-gpt2-tied"))).containsKey("lm_head.weight");
    }

    @Test
    void shardedEqualsSingleFile() throws IOException {
        TensorInventory sharded =
                SafetensorsReader.readDirectory(SharedFixtures.fixture("hf/safetensors/tiny-llama-sharded"));
        TensorInventory single =
                SafetensorsReader.readDirectory(SharedFixtures.fixture("hf/safetensors/tiny-llama-f32"));
        assertThat(sharded.files()).hasSize(10);
        assertThat(described(sharded)).isEqualTo(described(single));
        assertThat(sharded.tensorBytes()).isEqualTo(single.tensorBytes());
        assertThat(sharded.parameters()).isEqualTo(single.parameters());
    }

    @Test
    void indexTotalsWrittenByTransformersMatchTheShards() throws IOException {
        Path index = SharedFixtures.fixture("hf/safetensors/tiny-llama-sharded/model.safetensors.index.json");
        JsonObject meta = SharedFixtures.json(index).getObject("metadata").orElseThrow();
        TensorInventory inv = new SafetensorsReader().read(index);
        assertThat(inv.tensorBytes()).isEqualTo(meta.getLong("total_size", -1));
        assertThat(inv.parameters()).isEqualTo(meta.getLong("total_parameters", -1));
        assertThat(inv.metadata()).containsEntry("index.total_size", meta.getLong("total_size", -1));
        assertThat(inv.notes()).noneMatch(n -> n.contains("total_size says"));
        assertThat(inv.config()).isPresent();
        // Every tensor sits in the shard the index names.
        JsonObject weightMap =
                SharedFixtures.json(index).getObject("weight_map").orElseThrow();
        for (Tensor t : inv.tensors()) {
            assertThat(t.file().getFileName().toString()).isEqualTo(weightMap.getString(t.name(), "?"));
        }
    }

    @Test
    void offsetsAreAbsoluteAndTileTheDataSection() throws IOException {
        Path file = SharedFixtures.fixture("hf/safetensors/tiny-llama-bf16/model.safetensors");
        TensorInventory inv = new SafetensorsReader().read(file);
        long headerLength;
        try (var in = Files.newInputStream(file)) {
            headerLength = java.nio.ByteBuffer.wrap(in.readNBytes(8))
                    .order(java.nio.ByteOrder.LITTLE_ENDIAN)
                    .getLong();
        }
        List<Tensor> byOffset = inv.tensors().stream()
                .sorted(Comparator.comparingLong(Tensor::offset))
                .toList();
        long at = 8 + headerLength;
        for (Tensor t : byOffset) {
            assertThat(t.offset()).as(t.name()).isEqualTo(at);
            assertThat(t.bytes()).isEqualTo(t.elements() * 2); // bf16
            assertThat(t.dtype()).isEqualTo(DType.BF16);
            at += t.bytes();
        }
        assertThat(at).isEqualTo(Files.size(file));
    }

    @Test
    void formatsDetectsFilesAndIndexByContent() throws IOException {
        Path file = SharedFixtures.fixture("hf/safetensors/tiny-bert/model.safetensors");
        Path index = SharedFixtures.fixture("hf/safetensors/tiny-llama-sharded/model.safetensors.index.json");
        assertThat(Formats.detect(file)).get().isInstanceOf(SafetensorsReader.class);
        assertThat(Formats.detect(index)).get().isInstanceOf(SafetensorsReader.class);
        assertThat(Formats.detect(SharedFixtures.fixture("hf/safetensors/tiny-bert/config.json")))
                .isEmpty();
    }
}
