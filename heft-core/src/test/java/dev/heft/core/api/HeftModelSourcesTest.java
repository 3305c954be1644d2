package dev.heft.core.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.heft.core.api.report.ModelsReport;
import dev.heft.core.api.request.ModelsRequest;
import dev.heft.core.error.RemoteModelException;
import dev.heft.core.testing.SharedFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The facade carries where models may come from: environment, offline mode, what open may read, the local stores. */
class HeftModelSourcesTest {

    @Test
    void offlineFromTheEnvironmentOpensNoHubRepoThatIsNotCached(@TempDir Path home) {
        Heft heft =
                Heft.builder().environment(Map.of("HF_HUB_OFFLINE", "1"), home).build();
        assertThatThrownBy(() -> heft.open("hf://someone/model"))
                .isInstanceOfSatisfying(
                        RemoteModelException.class,
                        e -> assertThat(e.reason()).isEqualTo(RemoteModelException.Reason.OFFLINE));
    }

    @Test
    void aServerThatAllowsOnlyTheHubNeverOpensAPath(@TempDir Path home) {
        Heft server = Heft.builder()
                .environment(Map.of(), home)
                .allow(false, true, false)
                .build();
        Path file = SharedFixtures.fixture("gguf/tiny-llama-Q4_K_M.gguf");
        assertThatThrownBy(() -> server.open(file.toString()))
                .hasMessageContaining("is not a file, a directory or a " + "catalog model");
        assertThatThrownBy(() -> server.open("https://example.com/model.gguf")).hasMessageContaining("not allowed");
        assertThat(server.open("llama-3-8b").label()).isEqualTo("llama-3-8b");
    }

    @Test
    void localModelsListsTheStoresUnderTheGivenHome(@TempDir Path home) throws Exception {
        Path repo = home.resolve(".lmstudio/models/someone/tiny-GGUF");
        Files.createDirectories(repo);
        Files.copy(SharedFixtures.fixture("gguf/tiny-llama-Q4_K_M.gguf"), repo.resolve("tiny.gguf"));
        ModelsReport r = Heft.builder().environment(Map.of(), home).build().localModels(ModelsRequest.defaults());
        assertThat(r.models()).singleElement().satisfies(e -> {
            assertThat(e.source()).isEqualTo("lmstudio");
            assertThat(e.id()).isEqualTo("someone/tiny-GGUF");
            // gguf-py's count for tiny-llama (../shared/fixtures/gguf/README.md).
            assertThat(e.parameters()).contains(2_033_408L);
        });
        assertThat(r.searched()).contains(home.resolve(".ollama/models").toString());
    }
}
