package dev.heft.core.format.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.heft.core.error.CorruptModelException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one rule for files a model names beside itself: inside its folder, by spelling and by real path. */
class ModelFolderTest {
    @TempDir
    Path root;

    Path model;
    Path index;
    Path secret;

    @BeforeEach
    void layout() throws IOException {
        model = Files.createDirectories(root.resolve("model"));
        index = Files.writeString(model.resolve("index.json"), "{}");
        Files.createDirectories(model.resolve("sub"));
        Files.write(model.resolve("a.bin"), new byte[4]);
        Files.write(model.resolve("sub/b.bin"), new byte[4]);
        secret = Files.writeString(root.resolve("secret.txt"), "root:x:0:0");
    }

    private Path resolve(String name) {
        return ModelFolder.resolve(index, "k", model, name);
    }

    @Test
    void namesInsideTheFolderResolve() throws IOException {
        assertThat(resolve("a.bin")).isEqualTo(model.resolve("a.bin"));
        assertThat(resolve("sub/b.bin")).isEqualTo(model.resolve("sub/b.bin"));
        assertThat(resolve("./a.bin")).isEqualTo(model.resolve("a.bin"));
        assertThat(resolve("missing.bin")).isEqualTo(model.resolve("missing.bin")); // the caller reports it missing
        Files.createSymbolicLink(model.resolve("inner.bin"), model.resolve("a.bin"));
        assertThat(resolve("inner.bin")).isEqualTo(model.resolve("inner.bin"));
    }

    @Test
    void spellingsThatLeaveOrCannotBePathsAreRefusedBeforeAnyFileIsTouched() {
        for (String bad : List.of(
                "",
                "/etc/passwd",
                "../secret.txt",
                "sub/../../secret.txt",
                "C:x.bin",
                "a\\b.bin",
                "..\\secret.txt",
                "a\u0000b")) {
            assertThatThrownBy(() -> resolve(bad))
                    .as(bad)
                    .isInstanceOf(CorruptModelException.class)
                    .hasMessageContaining(index.toString())
                    .hasMessageContaining("key 'k'");
        }
    }

    @Test
    void linksLeadingOutAreRefusedWithoutSayingWhere() throws IOException {
        Files.createSymbolicLink(model.resolve("out.bin"), secret);
        Files.createSymbolicLink(model.resolve("outdir"), root);
        Files.createSymbolicLink(model.resolve("dangling.bin"), model.resolve("gone.bin"));
        Files.createSymbolicLink(model.resolve("loop.bin"), model.resolve("loop.bin"));
        assertThatThrownBy(() -> resolve("out.bin"))
                .isInstanceOf(CorruptModelException.class)
                .hasMessageContaining("leads outside the model's folder")
                .hasMessageNotContaining("secret")
                .hasMessageNotContaining("root:x");
        assertThatThrownBy(() -> resolve("outdir/secret.txt"))
                .isInstanceOf(CorruptModelException.class)
                .hasMessageContaining("leads outside the model's folder");
        assertThatThrownBy(() -> resolve("dangling.bin")).hasMessageContaining("a link to a file that does not exist");
        assertThatThrownBy(() -> resolve("loop.bin")).hasMessageContaining("cannot be resolved");
        assertThatThrownBy(() -> ModelFolder.requireInside(index, "split.count", model, model.resolve("out.bin")))
                .hasMessageContaining("leads outside the model's folder");
    }

    @Test
    void aHuggingFaceCacheSnapshotMayReachItsBlobsAndNothingElse() throws IOException {
        Path repo = Files.createDirectories(root.resolve("hub/models--org--tiny"));
        Path blob = Files.write(Files.createDirectories(repo.resolve("blobs")).resolve("3f2a"), new byte[8]);
        Path snapshot = Files.createDirectories(repo.resolve("snapshots/0123abcd"));
        Files.createSymbolicLink(snapshot.resolve("model.safetensors"), Path.of("../../blobs/3f2a"));
        Files.createSymbolicLink(snapshot.resolve("evil.safetensors"), secret);
        Path idx = Files.writeString(snapshot.resolve("model.safetensors.index.json"), "{}");
        assertThat(ModelFolder.resolve(idx, "w", snapshot, "model.safetensors").toRealPath())
                .isEqualTo(blob.toRealPath());
        assertThatThrownBy(() -> ModelFolder.resolve(idx, "w", snapshot, "evil.safetensors"))
                .hasMessageContaining("leads outside the model's folder");
    }

    /**
     * resolveRegularFile answers exactly what resolve followed by Files.isRegularFile did (the shards of an index): the
     * same path or refusal, and null where Files.isRegularFile says false.
     */
    @Test
    void resolveRegularFileIsResolveThenIsRegularFile() throws IOException {
        Files.createSymbolicLink(model.resolve("inner.bin"), model.resolve("a.bin"));
        Files.createSymbolicLink(model.resolve("subl"), model.resolve("sub"));
        Files.createSymbolicLink(model.resolve("out.bin"), secret);
        Files.createSymbolicLink(model.resolve("dangling.bin"), model.resolve("gone.bin"));
        List<String> names = List.of(
                "a.bin",
                "sub/b.bin",
                "./a.bin",
                "missing.bin",
                "sub",
                "sub/missing.bin",
                "inner.bin",
                "subl",
                "subl/b.bin",
                "out.bin",
                "dangling.bin",
                "../secret.txt",
                "");
        int regular = 0;
        for (String name : names) {
            Path expected;
            try {
                Path p = resolve(name);
                expected = Files.isRegularFile(p) ? p : null;
            } catch (CorruptModelException e) {
                assertThatThrownBy(() -> ModelFolder.resolveRegularFile(index, "k", model, name))
                        .as(name)
                        .isInstanceOf(CorruptModelException.class)
                        .hasMessage(e.getMessage());
                continue;
            }
            assertThat(ModelFolder.resolveRegularFile(index, "k", model, name))
                    .as(name)
                    .isEqualTo(expected);
            regular += expected == null ? 0 : 1;
        }
        assertThat(regular).isEqualTo(5); // a.bin twice, sub/b.bin, inner.bin, subl/b.bin
    }
}
