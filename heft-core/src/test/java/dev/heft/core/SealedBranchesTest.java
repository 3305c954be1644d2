package dev.heft.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heft.core.api.render.Document;
import dev.heft.core.model.ModelArgument;
import dev.heft.core.model.ModelChoice;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The compiler's exhaustiveness check, kept for the sealed families that start-up code tells apart with
 * {@code instanceof} chains instead of pattern switches ({@code ModelResolver.resolve}, {@code Renderer},
 * {@code LocalWeights} and {@code RemoteWeights}): a pattern
 * switch generates a class on every run that the AOT cache cannot hold. When a kind is added, this fails and names the
 * chains to extend; each chain also throws on a kind it does not know.
 */
class SealedBranchesTest {

    @Test
    void modelResolverHandlesEveryModelArgument() {
        assertThat(ModelArgument.class.getPermittedSubclasses())
                .as("ModelResolver.resolve has a branch for each of these; add one for a new kind")
                .containsExactlyInAnyOrder(
                        ModelArgument.WeightsFile.class,
                        ModelArgument.TfjsFile.class,
                        ModelArgument.TorchIndexFile.class,
                        ModelArgument.Directory.class,
                        ModelArgument.ConfigFile.class,
                        ModelArgument.LayerSpecFile.class,
                        ModelArgument.Hub.class,
                        ModelArgument.WebFile.class,
                        ModelArgument.Ollama.class,
                        ModelArgument.Catalog.class);
    }

    @Test
    void rendererHandlesEveryBlock() {
        assertThat(Document.Block.class.getPermittedSubclasses())
                .as("Renderer.text, markdown and csv have a branch for each of these; add one for a new kind")
                .containsExactlyInAnyOrderElementsOf(List.of(
                        Document.Fields.class, Document.Table.class, Document.Paragraph.class, Document.Bullets.class));
    }

    @Test
    void weightReadersHandleEveryChoice() {
        assertThat(ModelChoice.Choice.class.getPermittedSubclasses())
                .as("LocalWeights.folder and RemoteWeights.repo have a branch for each of these (the last one Nothing)")
                .containsExactlyInAnyOrder(
                        ModelChoice.One.class,
                        ModelChoice.ConfigOnly.class,
                        ModelChoice.Several.class,
                        ModelChoice.Nothing.class);
    }

    @Test
    void weightReadersHandleEveryWeightSet() {
        assertThat(ModelChoice.WeightSet.class.getPermittedSubclasses())
                .as("LocalWeights.readSet and RemoteWeights.readSet have a branch for each of these")
                .containsExactlyInAnyOrder(
                        ModelChoice.WeightSet.SafetensorsSingle.class,
                        ModelChoice.WeightSet.SafetensorsIndexed.class,
                        ModelChoice.WeightSet.SafetensorsLoose.class,
                        ModelChoice.WeightSet.Gguf.class,
                        ModelChoice.WeightSet.PyTorchIndexed.class,
                        ModelChoice.WeightSet.Single.class);
    }
}
