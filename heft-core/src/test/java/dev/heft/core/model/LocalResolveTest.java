package dev.heft.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.heft.core.error.CorruptModelException;
import dev.heft.core.error.InvalidInputException;
import dev.heft.core.error.RemoteModelException;
import dev.heft.core.error.UnsupportedModelException;
import dev.heft.core.json.JsonValue;
import dev.heft.core.testing.SharedFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Local MODEL arguments through the one resolver: folders with several models, vocab-only GGUFs, the config policy. */
class LocalResolveTest {
    private static final Path FIXTURES = SharedFixtures.root().resolve("fixtures");
    private final ModelResolver resolver = new ModelResolver(ResolverSettings.offlineUnder(Path.of("/nonexistent")));

    @Test
    void aFolderOfSeveralGgufsListsThemOnOneLineAndAFileOfItIsRead() throws Exception {
        Path dir = FIXTURES.resolve("gguf");
        assertThatThrownBy(() -> resolver.resolve(dir.toString()))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith(dir + " holds 15 models (tiny-llama-BF16.gguf, ")
                .hasMessageContaining("name one, e.g. " + dir.resolve("tiny-llama-BF16.gguf"))
                .message()
                .doesNotContain("\n");
        ResolvedModel m = resolver.resolve(dir.resolve("tiny-llama-Q4_K_M.gguf").toString());
        assertThat(((ResolvedModel.Stored) m).inventory().parameters()).isEqualTo(2_033_408L);
    }

    @Test
    void aVocabularyOnlyGgufSaysItHasNoWeights() {
        Path vocab = FIXTURES.resolve("gguf-real/ggml-vocab-llama-spm.gguf");
        assertThatThrownBy(() -> resolver.resolve(vocab.toString()))
                .isInstanceOf(UnsupportedModelException.class)
                .hasMessageContaining("vocabulary-only GGUF")
                .hasMessageContaining("no weights");
    }

    @Test
    void aFolderHoldingTheSameModelTwiceReadsSafetensorsAndSaysWhatElseIsThere(@TempDir Path dir) throws Exception {
        Path src = FIXTURES.resolve("hf/safetensors/tiny-llama-f32");
        Files.copy(src.resolve("model.safetensors"), dir.resolve("model.safetensors"));
        Files.copy(src.resolve("config.json"), dir.resolve("config.json"));
        Files.copy(FIXTURES.resolve("hf/pytorch/tiny-llama-state_dict.bin"), dir.resolve("pytorch_model.bin"));
        ResolvedModel.Stored m = (ResolvedModel.Stored) resolver.resolve(dir.toString());
        assertThat(m.inventory().format().displayName()).isEqualTo("safetensors");
        assertThat(m.inventory().notes()).anyMatch(n -> n.contains("pytorch_model.bin") && n.contains("not counted"));
        assertThat(m.inventory().config()).isPresent();
    }

    @Test
    void aConfigBesideAGgufGetsTheSamePolicyAsBesideSafetensors(@TempDir Path dir) throws Exception {
        Files.copy(FIXTURES.resolve("gguf/tiny-llama-Q4_K_M.gguf"), dir.resolve("m.gguf"));
        Files.writeString(dir.resolve("config.json"), "[1, 2]");
        assertThatThrownBy(() -> resolver.resolve(dir.toString()))
                .isInstanceOf(CorruptModelException.class)
                .hasMessageContaining("config.json must be a JSON object");
        Files.writeString(dir.resolve("config.json"), "{\"model_type\": ");
        assertThatThrownBy(() -> resolver.resolve(dir.resolve("m.gguf").toString()))
                .isInstanceOf(CorruptModelException.class)
                .hasMessageContaining("config.json is not valid JSON");
        Files.writeString(dir.resolve("config.json"), "{\"model_type\": \"llama\"}");
        assertThat(((ResolvedModel.Stored) resolver.resolve(dir.toString()))
                        .inventory()
                        .config())
                .isPresent();
    }

    @Test
    void aJsonArgumentIsReadByWhatItHolds(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("cfg.json");
        Files.copy(FIXTURES.resolve("hf/safetensors/tiny-llama-f32/config.json"), config);
        assertThat(resolver.resolve(config.toString())).isInstanceOf(ResolvedModel.Described.class);
        Path spec = dir.resolve("net.json");
        Files.writeString(spec, "{\"layers\": [{\"type\": \"Linear\", \"in_features\": 4, \"out_features\": 2}]}");
        ResolvedModel.Network n = (ResolvedModel.Network) resolver.resolve(spec.toString());
        assertThat(n.counts().apply(n.defaultInput()).parameters()).isEqualTo(4 * 2 + 2); // nn.Linear(4, 2)
        Path other = dir.resolve("other.json");
        Files.writeString(other, "{\"hello\": 1}");
        assertThatThrownBy(() -> resolver.resolve(other.toString())).isInstanceOf(UnsupportedModelException.class);
        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, "{\"model_type\": ");
        assertThatThrownBy(() -> resolver.resolve(broken.toString())).hasMessageContaining("not valid JSON");
    }

    @Test
    void aFolderWithOnlyAConfigIsAnArchitecture(@TempDir Path dir) throws Exception {
        Files.copy(FIXTURES.resolve("hf/safetensors/tiny-llama-f32/config.json"), dir.resolve("config.json"));
        ResolvedModel m = resolver.resolve(dir.toString());
        assertThat(m).isInstanceOf(ResolvedModel.Described.class);
        assertThat(((ResolvedModel.Described) m).config().map(JsonValue.JsonObject::members))
                .isPresent();
    }

    @Test
    void anEmptyFolderSaysWhatWasLookedFor(@TempDir Path dir) {
        assertThatThrownBy(() -> resolver.resolve(dir.toString()))
                .hasMessageContaining("no model weights found")
                .hasMessageContaining("*.safetensors.index.json")
                .hasMessageContaining("*.tflite");
    }

    @Test
    void aBareOwnerNameOfflineSaysItIsNotCached() {
        assertThatThrownBy(() -> resolver.resolve("someone/some-model"))
                .isInstanceOf(RemoteModelException.class)
                .hasMessageContaining("hf://someone/some-model")
                .hasMessageContaining("HF_HUB_OFFLINE");
        // A name that is neither a path nor shaped like a repo id stays a catalog lookup with suggestions.
        assertThatThrownBy(() -> resolver.resolve("llama-3-8c"))
                .hasMessageContaining("is not a file, a directory or a catalog model")
                .hasMessageContaining("llama-3-8b");
        assertThatThrownBy(() -> resolver.resolve("./missing/model.gguf"))
                .hasMessageContaining("no such file or directory");
    }
}
