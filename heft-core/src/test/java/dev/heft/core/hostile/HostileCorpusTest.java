package dev.heft.core.hostile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.heft.core.api.Heft;
import dev.heft.core.api.Operations;
import dev.heft.core.api.render.Printable;
import dev.heft.core.api.render.Renderer;
import dev.heft.core.api.request.InspectRequest;
import dev.heft.core.error.HeftException;
import dev.heft.core.model.ModelProfile;
import dev.heft.core.model.ModelResolver;
import dev.heft.core.model.ResolvedModel;
import dev.heft.core.testing.HostileCase;
import dev.heft.core.testing.HostileCorpus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every hostile input, read as {@code heft inspect} reads it: refused with a typed error that says what is wrong (the
 * words below), or, for valid files with hostile strings, read and printed with nothing a terminal acts on. Each case
 * is a regression test for a finding of issue 16 or of a fuzz campaign (bench/FUZZ.md).
 */
class HostileCorpusTest {
    /** What each refusal must say: the problem in words, not only that there was one. */
    static final Map<String, String> SAYS = Map.ofEntries(
            Map.entry("gguf-tensor-count-2^63", "tensor_count is 9223372036854775807"),
            Map.entry("gguf-kv-count-2^63", "metadata_kv_count is 9223372036854775807"),
            Map.entry("gguf-array-2^40-strings", "array length is 1099511627776"),
            Map.entry("gguf-string-4GiB", "needs 4294967296 bytes"),
            Map.entry("gguf-dims-overflow", "overflows"),
            Map.entry("gguf-name-1MiB", "a tensor name of 1048576 characters"),
            Map.entry("gguf-split-part-symlink-out", "leads outside the model's folder"),
            Map.entry("st-header-length-2^63", "not a model file heft recognises"),
            Map.entry("st-header-beyond-file", "runs past the end of the file"),
            Map.entry("st-dims-overflow", "more elements than fit in 64 bits"),
            Map.entry("st-offsets-2^63", "run past the end of the file"),
            Map.entry("st-name-1MiB", "a tensor name of 1048576 characters"),
            Map.entry("st-index-dotdot", "plain file name"),
            Map.entry("st-index-absolute", "plain file name"),
            Map.entry("st-index-symlink-out", "leads outside the model's folder"),
            Map.entry("onnx-dims-overflow", "overflow 64 bits"),
            Map.entry("onnx-sparse-3x2^62", "more than the 9007199254740992 (2^53) heft counts"),
            Map.entry("onnx-string-4GiB", "length 4294967296 runs past the end"),
            Map.entry("onnx-name-1MiB", "a tensor name of 1048576 characters"),
            Map.entry("onnx-external-absolute", "is absolute"),
            Map.entry("onnx-external-dotdot", "contains '..'"),
            Map.entry("onnx-external-symlink-out", "leads outside the model's folder"),
            Map.entry("pt-pickle-declares-200MiB", "inflates to 4 bytes, its zip entry says 209715200"),
            Map.entry("pt-10M-dicts", "building this pickle's values takes more than"),
            Map.entry("pt-50M-values", "building this pickle's values takes more than"),
            Map.entry("pt-memo-bomb", "(heft's limit"),
            Map.entry("pt-stride0-views", "more than the 9007199254740992 (2^53) heft counts"),
            Map.entry("pt-zip-terabytes", "lies outside the file"),
            Map.entry("tflite-f32-2^62-over-1-byte", "needs more bytes than 64 bits can count"),
            Map.entry("tflite-sparse-3x2^62", "more than the 9007199254740992 (2^53) heft counts"),
            Map.entry("tflite-vector-past-end", "declares 2147483647 elements"),
            Map.entry("tflite-truncated", "past the end of the file"),
            Map.entry("tfjs-repeated-shard", "listed more than once"),
            Map.entry("tfjs-shard-dotdot", "not a plain relative name"),
            Map.entry("tfjs-shard-absolute", "not a plain relative name"),
            Map.entry("tfjs-shard-symlink-out", "leads outside the model's folder"),
            Map.entry("keras-deflated-zero-bomb", "No valid HDF5 signature"),
            Map.entry("keras-never-written-3x2^62", "more than the 9007199254740992 (2^53) heft counts"),
            Map.entry("hf-params-2^60", "more than the 9007199254740992 (2^53) heft counts"),
            Map.entry("hf-layers-2^40", "must be at most 10000 layers"),
            Map.entry("hf-model-type-controls", "\\x1b]0;pwned\\x07\\nheft: fake"));

    @TempDir
    static Path root;

    static List<HostileCase> cases() {
        return HostileCorpus.all();
    }

    @Test
    void everyRefusalHasItsWordsAndEveryCaseAnId() {
        assertThat(cases()).extracting(HostileCase::id).doesNotHaveDuplicates();
        assertThat(cases().stream()
                        .filter(c -> c.expected() == HostileCase.Expected.REFUSED)
                        .map(HostileCase::id))
                .containsExactlyInAnyOrderElementsOf(SAYS.keySet());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void answeredAsExpected(HostileCase c) throws IOException {
        Path input = c.write(Files.createDirectories(root.resolve(c.id().replace('^', '_'))));
        if (c.expected() == HostileCase.Expected.REFUSED) {
            // What a face prints is the message escaped (the renderers and the CLI's error line do it); compare that.
            assertThatThrownBy(() -> inspect(input))
                    .as(c.claim())
                    .isInstanceOf(HeftException.class)
                    .satisfies(e -> assertThat(Printable.of(e.getMessage()))
                            .contains(SAYS.get(c.id()))
                            .hasSizeLessThan(4 * HeftException.MAX_MESSAGE_CHARS));
        } else {
            inspect(input); // read; how it prints is the CLI test's (NoStackTracesTest) and the renderers'
        }
    }

    /** The text {@code heft inspect --tensors} prints, after the profile every estimate starts from. */
    static String inspect(Path input) throws IOException {
        ResolvedModel m = new ModelResolver().resolve(input.toString());
        ModelProfile.of(m);
        return m instanceof ResolvedModel.Stored ? inspectText(input) : "";
    }

    /** {@code heft inspect --tensors}'s text, through the facade and the shared renderer. */
    static String inspectText(Path input) {
        InspectRequest request = new InspectRequest(true);
        return Renderer.text(
                Operations.INSPECT.view().view(Heft.create().open(input).inspect(request), request));
    }

    static Stream<HostileCase> stream() {
        return cases().stream();
    }
}
