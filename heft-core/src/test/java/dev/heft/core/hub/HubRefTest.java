package dev.heft.core.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.heft.core.error.InvalidInputException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** hf:// strings as huggingface_hub's HfFileSystem writes them, and the ones that must never reach a URL or a path. */
class HubRefTest {

    @Test
    void repoRevisionAndPathAreParsedAndWrittenBackTheSameWay() {
        HubRef r = HubRef.parse("hf://meta-llama/Llama-3.1-8B@refs%2Fpr%2F12/original/params.json");
        assertThat(r.repo()).isEqualTo("meta-llama/Llama-3.1-8B");
        assertThat(r.revision()).contains("refs/pr/12");
        assertThat(r.path()).contains("original/params.json");
        assertThat(r.modelString()).isEqualTo("hf://meta-llama/Llama-3.1-8B@refs%2Fpr%2F12/original/params.json");
        assertThat(HubRef.parse("HF://Qwen/Qwen3-8B").revisionOrDefault()).isEqualTo("main");
        assertThat(HubRef.parse("Qwen/Qwen3-8B/").path()).isEmpty();
    }

    @Test
    void resolveUrlsEncodeTheRevisionWholeAndEachPathSegment() {
        HubClient c = new HubClient(
                java.net.URI.create("https://hub.example/"),
                Optional::empty,
                NetworkSettings.defaults(),
                Optional.empty(),
                Optional.empty(),
                Progress.NONE,
                "t");
        assertThat(c.resolveUri(HubRef.parse("hf://a/b@refs%2Fpr%2F1"), "dir/x y.gguf")
                        .toString())
                .isEqualTo("https://hub.example/a/b/resolve/refs%2Fpr%2F1/dir/x%20y.gguf");
        c.close();
    }

    @Test
    void whatCouldEscapeARepoOrAUrlIsRefused() {
        for (String bad : new String[] {
            "hf://a/b/../../etc/passwd",
            "hf://../b",
            "hf://a/b@",
            "hf://a--b/c",
            "hf://a/b/x\\y",
            "hf://a/b/./c",
            "hf://a",
            "hf://a/b@x\u0000y",
            "hf://a/b@../main"
        }) {
            assertThatThrownBy(() -> HubRef.parse(bad)).as(bad).isInstanceOf(InvalidInputException.class);
        }
        assertThat(HubRef.looksLikeRepoId("owner/name")).isTrue();
        assertThat(HubRef.looksLikeRepoId("owner/name@v1")).isTrue();
        assertThat(HubRef.looksLikeRepoId("./owner/name")).isFalse();
        assertThat(HubRef.looksLikeRepoId("a/b/c")).isFalse();
    }

    /** modelString(file) skips the repo's own checks (made once), not the file's: the same string or the same refusal. */
    @Test
    void aFilesModelStringIsWithPathsWithTheSameCheckOfTheFile() {
        for (String ref : new String[] {"hf://meta-llama/Llama-3.1-405B", "hf://a/b@refs%2Fpr%2F1/some/dir"}) {
            HubRef r = HubRef.parse(ref);
            for (String file : new String[] {
                "model-00001-of-00169.safetensors", "original/params.json", "dir/", "", "x y%.gguf", "a\u00e9"
            }) {
                assertThat(r.modelString(file))
                        .as(file)
                        .isEqualTo(r.withPath(file).modelString());
            }
            for (String file : new String[] {"../x", "a/../b", "./a", "a//b", "/", "a\\b", "a\u0000b", "a\u007fb"}) {
                assertThatThrownBy(() -> r.withPath(file)).as(file).isInstanceOf(InvalidInputException.class);
                String expected = catchMessage(() -> r.withPath(file));
                assertThatThrownBy(() -> r.modelString(file))
                        .as(file)
                        .isInstanceOf(InvalidInputException.class)
                        .hasMessage(expected);
            }
        }
    }

    private static String catchMessage(Runnable r) {
        try {
            r.run();
        } catch (InvalidInputException e) {
            return e.getMessage();
        }
        throw new AssertionError("no refusal");
    }
}
