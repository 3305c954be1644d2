package dev.heft.core.error;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** A format error is one line whatever the file put in the names and paths it quotes. */
class ModelFormatExceptionTest {
    @Test
    void controlCharactersFromTheFileAreEscapedInTheMessage() {
        // As TfjsMutationTest found it: a manifest path written "group1-shard5of5.bi\n" in JSON.
        CorruptModelException e = new CorruptModelException(
                Path.of("model.json"),
                "weightsManifest[0].paths[4]",
                "shard file 'group1-shard5of5.bi\n' does not exist in models\u001b]0;title\u0007");
        assertThat(e.getMessage())
                .isEqualTo("model.json: key 'weightsManifest[0].paths[4]': shard file 'group1-shard5of5.bi\\n' does not"
                        + " exist in models\\x1b]0;title\\x07")
                .doesNotContain("\n");
        assertThat(e.problem()).contains("\n"); // the parts keep what the file said; only the message is printed
    }
}
