package dev.heft.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heft.core.model.ModelChoice.WeightSet;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which model a listing holds, on the layouts real repos and folders have. */
class ModelChoiceTest {

    private static ModelChoice.Choice choose(String... paths) {
        return ModelChoice.choose(
                Arrays.stream(paths).map(p -> new ModelChoice.Listed(p, 1)).toList(), p -> true);
    }

    private static WeightSet one(String... paths) {
        ModelChoice.Choice c = choose(paths);
        assertThat(c).isInstanceOf(ModelChoice.One.class);
        return ((ModelChoice.One) c).set();
    }

    @Test
    void aTransformersCheckpointSavedInSeveralFormatsIsOneModelReadAsSafetensors() {
        // bert-base-uncased on the Hub: the same weights as safetensors, PyTorch, TF, Flax, Rust and ONNX.
        ModelChoice.Choice c = choose(
                "config.json",
                "model.safetensors",
                "pytorch_model.bin",
                "tf_model.h5",
                "flax_model.msgpack",
                "rust_model.ot",
                "onnx/model.onnx",
                "coreml/x.mlpackage/Data/weights.bin",
                "tokenizer.json",
                "vocab.txt");
        assertThat(((ModelChoice.One) c).set()).isEqualTo(new WeightSet.SafetensorsSingle("model.safetensors"));
        assertThat(((ModelChoice.One) c).notes())
                .singleElement()
                .asString()
                .contains("pytorch_model.bin, tf_model.h5")
                .contains("not counted again");
    }

    @Test
    void aShardedCheckpointIsReadThroughItsIndexAndTheOriginalFolderIsLeftAlone() {
        // meta-llama/Llama-3.1-8B: four shards, an index, and Meta's original/consolidated.00.pth.
        assertThat(one(
                        "config.json",
                        "model-00001-of-00004.safetensors",
                        "model-00002-of-00004.safetensors",
                        "model.safetensors.index.json",
                        "original/consolidated.00.pth",
                        "original/params.json"))
                .isEqualTo(new WeightSet.SafetensorsIndexed("model.safetensors.index.json"));
    }

    @Test
    void aPyTorchOnlyCheckpointUsesItsIndex() {
        assertThat(one(
                        "pytorch_model-00001-of-00002.bin",
                        "pytorch_model-00002-of-00002.bin",
                        "pytorch_model.bin.index.json",
                        "config.json"))
                .isEqualTo(new WeightSet.PyTorchIndexed("pytorch_model.bin.index.json"));
    }

    @Test
    void severalGgufQuantizationsAreSeveralModelsButTheSplitPartsOfOneAreOne() {
        ModelChoice.Choice c = choose(
                "Qwen3-8B-Q4_K_M.gguf",
                "Qwen3-8B-Q8_0.gguf",
                "Qwen3-8B-BF16-00001-of-00002.gguf",
                "Qwen3-8B-BF16-00002-of-00002.gguf",
                "README.md");
        assertThat(c).isInstanceOf(ModelChoice.Several.class);
        assertThat(((ModelChoice.Several) c).sets())
                .containsExactly(
                        new WeightSet.Gguf(
                                List.of("Qwen3-8B-BF16-00001-of-00002.gguf", "Qwen3-8B-BF16-00002-of-00002.gguf")),
                        new WeightSet.Gguf(List.of("Qwen3-8B-Q4_K_M.gguf")),
                        new WeightSet.Gguf(List.of("Qwen3-8B-Q8_0.gguf")));
        assertThat(one("x-00001-of-00003.gguf", "x-00002-of-00003.gguf", "x-00003-of-00003.gguf"))
                .isEqualTo(new WeightSet.Gguf(
                        List.of("x-00001-of-00003.gguf", "x-00002-of-00003.gguf", "x-00003-of-00003.gguf")));
    }

    @Test
    void aProjectorBesideAGgufIsNotedNotCounted() {
        ModelChoice.Choice c = choose("gemma-3-4b-it-Q4_K_M.gguf", "mmproj-model-f16.gguf");
        assertThat(((ModelChoice.One) c).set()).isEqualTo(new WeightSet.Gguf(List.of("gemma-3-4b-it-Q4_K_M.gguf")));
        assertThat(((ModelChoice.One) c).notes()).singleElement().asString().contains("mmproj-model-f16.gguf");
    }

    @Test
    void safetensorsAndAGgufOfTheSameNameAreTwoModels() {
        ModelChoice.Choice c = choose("model.safetensors", "config.json", "model-q4_k_m.gguf");
        assertThat(((ModelChoice.Several) c).sets())
                .containsExactly(
                        new WeightSet.SafetensorsSingle("model.safetensors"),
                        new WeightSet.Gguf(List.of("model-q4_k_m.gguf")));
    }

    @Test
    void severalTfjsManifestsAreSeveralModelsAndTheirShardsAreNotModels() {
        // face-api.js ships one folder of bare manifests and shards.
        ModelChoice.Choice c = choose(
                "tiny_face_detector_model-weights_manifest.json",
                "tiny_face_detector_model-shard1",
                "face_landmark_68_model-weights_manifest.json",
                "face_landmark_68_model-shard1",
                "group1-shard1of1.bin");
        assertThat(((ModelChoice.Several) c).sets())
                .extracting(WeightSet::pick)
                .containsExactly(
                        "face_landmark_68_model-weights_manifest.json",
                        "tiny_face_detector_model-weights_manifest.json");
    }

    @Test
    void aTrainerCheckpointFolderIsOneModelNotItsOptimizerState() {
        assertThat(one(
                        "model.safetensors",
                        "optimizer.pt",
                        "scheduler.pt",
                        "rng_state.pth",
                        "training_args.bin",
                        "trainer_state.json",
                        "config.json"))
                .isEqualTo(new WeightSet.SafetensorsSingle("model.safetensors"));
    }

    @Test
    void subfoldersAreLookedIntoOnlyWhenTheTopLevelHasNoModel() {
        ModelChoice.Choice nested =
                choose("README.md", "Q4_K_M/big-Q4_K_M-00001-of-00002.gguf", "Q4_K_M/big-Q4_K_M-00002-of-00002.gguf");
        assertThat(((ModelChoice.One) nested).set().pick()).isEqualTo("Q4_K_M/big-Q4_K_M-00001-of-00002.gguf");
        assertThat(((ModelChoice.One) nested).notes()).anyMatch(n -> n.contains("subfolder Q4_K_M/"));
        ModelChoice.Choice pipeline = choose(
                "model_index.json",
                "unet/diffusion_pytorch_model.safetensors",
                "vae/diffusion_pytorch_model.safetensors",
                "text_encoder/model.safetensors");
        assertThat(((ModelChoice.Several) pipeline).sets()).hasSize(3);
    }

    @Test
    void aLoneConfigIsAnArchitectureAndNothingIsNothing() {
        assertThat(choose("config.json", "tokenizer.json")).isInstanceOf(ModelChoice.ConfigOnly.class);
        assertThat(choose("README.md")).isInstanceOf(ModelChoice.Nothing.class);
    }

    @Test
    void looseSafetensorsWithoutAnIndexAreOneModelAndSeveralIndexesAreSeveral() {
        assertThat(one("a.safetensors", "b.safetensors"))
                .isEqualTo(new WeightSet.SafetensorsLoose(List.of("a.safetensors", "b.safetensors")));
        assertThat(choose("a.safetensors.index.json", "b.safetensors.index.json", "x.safetensors"))
                .isInstanceOf(ModelChoice.Several.class);
    }

    @Test
    void everyWeightKindIsNamedInWhatHeftLooksFor() {
        assertThat(WeightFileKind.lookedFor())
                .contains(
                        "*.safetensors.index.json",
                        "*.gguf",
                        "*.onnx",
                        "*.pt",
                        "*.keras",
                        "*.tflite",
                        "model.json",
                        "*weights_manifest.json");
        assertThat(WeightFileKind.of("Model.SAFETENSORS.INDEX.JSON")).contains(WeightFileKind.SAFETENSORS_INDEX);
        assertThat(WeightFileKind.of("pytorch_model.bin.index.json")).contains(WeightFileKind.PYTORCH_INDEX);
        assertThat(WeightFileKind.of("notes.txt")).isEmpty();
    }
}
