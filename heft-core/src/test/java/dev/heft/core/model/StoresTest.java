package dev.heft.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.heft.core.error.CorruptModelException;
import dev.heft.core.error.InvalidInputException;
import dev.heft.core.hub.FakeHub;
import dev.heft.core.tensor.TensorInventory;
import dev.heft.core.testing.SharedFixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The model stores on a machine, built by the tests from ../shared fixtures in the layouts their tools write: the HF hub
 * cache as huggingface_hub's {@code hf_hub_download} lays it out (blobs named by etag, snapshot files as relative
 * symlinks, refs holding the commit), Ollama's store as {@code ollama pull} writes it (server/images.go: manifests by
 * host/namespace/model/tag, blobs named {@code sha256-<hex>} of their content), LM Studio's publisher/repo folders.
 */
class StoresTest {
    private static final Path FIXTURES = SharedFixtures.root().resolve("fixtures");
    private static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";

    @TempDir
    Path home;

    private ResolverSettings offline() {
        return ResolverSettings.offlineUnder(home);
    }

    /** Puts {@code files} (from {@code source}) into the HF cache as revision main of {@code repo}. */
    private Path hfCache(String repo, Path source, List<String> files) throws IOException {
        Path repoDir = offline().hubCache().resolve("models--" + repo.replace("/", "--"));
        Path snapshot = repoDir.resolve("snapshots").resolve(COMMIT);
        Files.createDirectories(snapshot);
        Files.createDirectories(repoDir.resolve("blobs"));
        Files.createDirectories(repoDir.resolve("refs"));
        Files.writeString(repoDir.resolve("refs/main"), COMMIT);
        for (String f : files) {
            Path blob = repoDir.resolve("blobs").resolve(sha256(Files.readAllBytes(source.resolve(f))));
            Files.copy(source.resolve(f), blob);
            Path link = snapshot.resolve(f);
            Files.createDirectories(link.getParent());
            Files.createSymbolicLink(link, link.getParent().relativize(blob));
        }
        return snapshot;
    }

    private static List<String> filesOf(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aRepoInTheHfCacheIsReadFromDiskWithNoNetworkAtAll() throws Exception {
        Path sharded = FIXTURES.resolve("hf/safetensors/tiny-llama-sharded");
        hfCache("fixtures/tiny-llama-sharded", sharded, filesOf(sharded));
        try (FakeHub hub = new FakeHub()) {
            // Online, with a Hub that would answer: the cache must still be used, and the Hub never asked.
            ResolverSettings online = offline().withOffline(false).withHub(hub.endpoint(), java.util.Optional.empty());
            ResolvedModel.Stored m =
                    (ResolvedModel.Stored) new ModelResolver(online).resolve("hf://fixtures/tiny-llama-sharded");
            assertThat(hub.requests()).isZero();
            assertThat(Inventories.comparable(m.inventory())).isEqualTo(Inventories.comparable(local(sharded)));
            assertThat(m.source().orElseThrow().kind()).isEqualTo(ModelSource.Kind.HUB_CACHE);
            assertThat(m.source().orElseThrow().commit()).contains(COMMIT);
            assertThat(m.source().orElseThrow().transferredBytes()).isZero();
        }
    }

    @Test
    void aPartialSnapshotIsReadFromTheHubOnlineAndAsWhatIsThereOffline() throws Exception {
        Path mixtral = FIXTURES.resolve("hf/safetensors/tiny-mixtral");
        hfCache("fixtures/tiny-mixtral", mixtral, List.of("config.json"));
        ResolvedModel offline = new ModelResolver(offline()).resolve("hf://fixtures/tiny-mixtral");
        assertThat(offline).isInstanceOf(ResolvedModel.Described.class);
        try (FakeHub hub = new FakeHub().repo("fixtures/tiny-mixtral", mixtral)) {
            ResolverSettings online = offline().withOffline(false).withHub(hub.endpoint(), java.util.Optional.empty());
            ResolvedModel.Stored m =
                    (ResolvedModel.Stored) new ModelResolver(online).resolve("hf://fixtures/tiny-mixtral");
            assertThat(m.source().orElseThrow().kind()).isEqualTo(ModelSource.Kind.HUB);
            assertThat(hub.requests()).isPositive();
        }
    }

    @Test
    void aRevisionOtherThanMainAndAFileInTheSnapshotResolve() throws Exception {
        Path gguf = FIXTURES.resolve("gguf");
        Path snapshot = hfCache("fixtures/gguf", gguf, List.of("tiny-llama-Q4_K_M.gguf", "tiny-llama-Q8_0.gguf"));
        Files.createDirectories(snapshot.getParent().getParent().resolve("refs/refs/pr"));
        Files.writeString(snapshot.getParent().getParent().resolve("refs/refs/pr/1"), COMMIT);
        ResolverSettings s = offline();
        assertThatThrownBy(() -> new ModelResolver(s).resolve("hf://fixtures/gguf"))
                .hasMessageContaining("hf://fixtures/gguf holds 2 models")
                .hasMessageContaining("name one, e.g. hf://fixtures/gguf/tiny-llama-Q4_K_M.gguf");
        ResolvedModel.Stored m = (ResolvedModel.Stored)
                new ModelResolver(s).resolve("hf://fixtures/gguf@refs%2Fpr%2F1/tiny-llama-Q8_0.gguf");
        assertThat(Inventories.comparable(m.inventory()))
                .isEqualTo(Inventories.comparable(local(gguf.resolve("tiny-llama-Q8_0.gguf"))));
        ResolvedModel.Stored byCommit = (ResolvedModel.Stored)
                new ModelResolver(s).resolve("hf://fixtures/gguf@" + COMMIT + "/tiny-llama-Q4_K_M.gguf");
        assertThat(byCommit.inventory().parameters()).isEqualTo(2_033_408L);
    }

    /** An Ollama store with one model (a GGUF), its projector and an adapter, as ollama writes them. */
    private Path ollamaStore() throws IOException {
        Path store = home.resolve(".ollama/models");
        Path blobs = store.resolve("blobs");
        Files.createDirectories(blobs);
        String model = blob(blobs, FIXTURES.resolve("gguf/tiny-llama-Q4_K_M.gguf"));
        String projector = blob(blobs, FIXTURES.resolve("gguf/tiny-odd-Q4_K_M.gguf"));
        String adapter = blob(blobs, FIXTURES.resolve("gguf/tiny-llama-Q2_K.gguf"));
        Path manifest = store.resolve("manifests/registry.ollama.ai/library/tiny/latest");
        Files.createDirectories(manifest.getParent());
        Files.writeString(manifest, """
                {"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json",
                 "config":{"mediaType":"application/vnd.docker.container.image.v1+json","digest":"sha256:%s","size":1},
                 "layers":[
                  {"mediaType":"application/vnd.ollama.image.model","digest":"sha256:%s","size":%d},
                  {"mediaType":"application/vnd.ollama.image.projector","digest":"sha256:%s","size":%d},
                  {"mediaType":"application/vnd.ollama.image.adapter","digest":"sha256:%s","size":%d},
                  {"mediaType":"application/vnd.ollama.image.template","digest":"sha256:%s","size":10}]}
                """.formatted(
                        model,
                        model,
                        Files.size(FIXTURES.resolve("gguf/tiny-llama-Q4_K_M.gguf")),
                        projector,
                        Files.size(FIXTURES.resolve("gguf/tiny-odd-Q4_K_M.gguf")),
                        adapter,
                        Files.size(FIXTURES.resolve("gguf/tiny-llama-Q2_K.gguf")),
                        model));
        return store;
    }

    private static String blob(Path blobs, Path source) throws IOException {
        String hex = sha256(Files.readAllBytes(source));
        Files.copy(source, blobs.resolve("sha256-" + hex));
        return hex;
    }

    @Test
    void anOllamaModelIsItsModelLayerWithProjectorAndAdapterReported() throws Exception {
        ollamaStore();
        ResolvedModel.Stored m = (ResolvedModel.Stored) new ModelResolver(offline()).resolve("ollama://tiny");
        assertThat(Inventories.comparableContent(m.inventory()))
                .isEqualTo(Inventories.comparableContent(local(FIXTURES.resolve("gguf/tiny-llama-Q4_K_M.gguf"))));
        assertThat(m.inventory().notes())
                .anyMatch(n -> n.contains("projector layer"))
                .anyMatch(n -> n.contains("1 adapter layer"));
        assertThat(m.source().orElseThrow().id()).isEqualTo("tiny:latest");
        assertThat(new ModelResolver(offline()).resolve("ollama://tiny:latest"))
                .isInstanceOf(ResolvedModel.Stored.class);
        assertThatThrownBy(() -> new ModelResolver(offline()).resolve("ollama://tiny:7b"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("ollama pull tiny:7b");
        assertThatThrownBy(() -> new ModelResolver(offline()).resolve("ollama://../../etc/passwd"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("expected ollama://NAME");
    }

    @Test
    void anOllamaManifestNamingAPathInsteadOfADigestIsRefused() throws Exception {
        Path store = ollamaStore();
        Files.writeString(
                store.resolve("manifests/registry.ollama.ai/library/tiny/latest"),
                "{\"layers\":[{\"mediaType\":\"application/vnd.ollama.image.model\",\"digest\":\"../../x\",\"size\":1}]}");
        assertThatThrownBy(() -> new ModelResolver(offline()).resolve("ollama://tiny"))
                .isInstanceOf(CorruptModelException.class)
                .hasMessageContaining("is not sha256:<64 hex digits>");
    }

    /** Replaces tiny:latest's manifest with one whose model layer has {@code digest}. */
    private static void manifestWithDigest(Path store, String digest) throws IOException {
        Files.writeString(
                store.resolve("manifests/registry.ollama.ai/library/tiny/latest"),
                "{\"layers\":[{\"mediaType\":\"application/vnd.ollama.image.model\",\"digest\":\"" + digest
                        + "\",\"size\":1}]}");
    }

    @Test
    void anOllamaDigestSpelledAsAPathOrWithTrailingTextIsRefusedBeforeAnyPathIsFormed() throws Exception {
        String hex = "0".repeat(64);
        Path store = ollamaStore();
        for (String digest : List.of(
                "../../../../etc/passwd",
                "/etc/passwd",
                "sha256:../../../etc/passwd",
                "sha256-" + hex + "/../../../etc/passwd",
                "sha256:" + hex + "\\u0000",
                "file:///etc/passwd")) {
            manifestWithDigest(store, digest);
            assertThatThrownBy(() -> new ModelResolver(offline()).resolve("ollama://tiny"))
                    .as(digest)
                    .isInstanceOf(CorruptModelException.class)
                    .hasMessageContaining("is not sha256:<64 hex digits>")
                    .hasMessageNotContaining("root:");
        }
    }

    @Test
    void anOllamaBlobThatIsALinkOutOfTheStoreIsRefusedAndNeverRead() throws Exception {
        Path store = ollamaStore();
        Path outside = home.resolve("elsewhere.gguf");
        Files.copy(FIXTURES.resolve("gguf/tiny-llama-Q4_K_M.gguf"), outside);
        String hex = "ab".repeat(32);
        Files.createSymbolicLink(store.resolve("blobs/sha256-" + hex), outside);
        manifestWithDigest(store, "sha256:" + hex);
        assertThatThrownBy(() -> new ModelResolver(offline()).resolve("ollama://tiny"))
                .isInstanceOf(CorruptModelException.class)
                .hasMessageContaining("leads outside the model's folder")
                .hasMessageNotContaining("elsewhere");
        // A link that stays inside the blobs folder (a store deduplicated by hand) is still read.
        Files.delete(store.resolve("blobs/sha256-" + hex));
        String model = sha256(Files.readAllBytes(FIXTURES.resolve("gguf/tiny-llama-Q4_K_M.gguf")));
        Files.createSymbolicLink(store.resolve("blobs/sha256-" + hex), Path.of("sha256-" + model));
        assertThat(new ModelResolver(offline()).resolve("ollama://tiny")).isInstanceOf(ResolvedModel.Stored.class);
    }

    @Test
    void anOllamaManifestLinkedFromOutsideTheStoreIsRefusedWithoutQuotingIt() throws Exception {
        Path store = ollamaStore();
        Path manifest = store.resolve("manifests/registry.ollama.ai/library/tiny/latest");
        Path secret = home.resolve("secret.txt");
        Files.writeString(secret, "SECRET-CONTENT not json");
        Files.delete(manifest);
        Files.createSymbolicLink(manifest, secret);
        assertThatThrownBy(() -> new ModelResolver(offline()).resolve("ollama://tiny"))
                .isInstanceOf(CorruptModelException.class)
                .hasMessageContaining("leads outside the model's folder")
                .hasMessageNotContaining("SECRET");
    }

    @Test
    void aHugeOllamaManifestIsRefusedAfterReadingAtMostItsCap() throws Exception {
        Path store = ollamaStore();
        Path manifest = store.resolve("manifests/registry.ollama.ai/library/tiny/latest");
        // 64 MiB of layers: a sparse-free but cheap file (one write of spaces after a valid start).
        try (var out = Files.newOutputStream(manifest)) {
            out.write("{\"layers\":[".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            byte[] spaces = new byte[1 << 20];
            java.util.Arrays.fill(spaces, (byte) ' ');
            for (int i = 0; i < 64; i++) {
                out.write(spaces);
            }
        }
        assertThatThrownBy(() -> new ModelResolver(offline()).resolve("ollama://tiny"))
                .isInstanceOf(CorruptModelException.class)
                .hasMessageContaining("larger than the 1048576-byte limit");
        assertThat(dev.heft.core.model.store.OllamaStore.allLayerBytes(manifest))
                .isEqualTo(-1);
    }

    @Test
    void layerSizesThatWouldOverflowLeaveTheStoreSizeUnknownRatherThanWrapped() throws Exception {
        Path store = ollamaStore();
        Path manifest = store.resolve("manifests/registry.ollama.ai/library/tiny/latest");
        Files.writeString(manifest, "{\"layers\":[{\"size\":9223372036854775807},{\"size\":9223372036854775807}]}");
        assertThat(dev.heft.core.model.store.OllamaStore.allLayerBytes(manifest))
                .isEqualTo(-1);
    }

    @Test
    void heftModelsListsEveryStoreWithUnreadableEntriesAsRowsWithTheirError() throws Exception {
        Path sharded = FIXTURES.resolve("hf/safetensors/tiny-llama-sharded");
        hfCache("fixtures/tiny-llama-sharded", sharded, filesOf(sharded));
        hfCache("fixtures/gguf", FIXTURES.resolve("gguf"), List.of("tiny-llama-Q4_K_M.gguf", "tiny-llama-Q8_0.gguf"));
        ollamaStore();
        Path lm = home.resolve(".lmstudio/models/lmstudio-community/tiny-GGUF");
        Files.createDirectories(lm);
        Files.copy(FIXTURES.resolve("gguf/tiny-llama-Q5_K_M.gguf"), lm.resolve("tiny-Q5_K_M.gguf"));
        Files.copy(FIXTURES.resolve("gguf-real/ggml-vocab-gpt-2.gguf"), lm.resolve("vocab.gguf"));

        List<LocalModels.Row> rows = LocalModels.list(offline());
        assertThat(rows)
                .extracting(r -> r.source().jsonName() + " " + r.id() + " " + r.model())
                .containsExactly(
                        "hf-cache fixtures/gguf/tiny-llama-Q4_K_M.gguf hf://fixtures/gguf/tiny-llama-Q4_K_M.gguf",
                        "hf-cache fixtures/gguf/tiny-llama-Q8_0.gguf hf://fixtures/gguf/tiny-llama-Q8_0.gguf",
                        "hf-cache fixtures/tiny-llama-sharded hf://fixtures/tiny-llama-sharded",
                        "ollama tiny:latest ollama://tiny:latest",
                        "lmstudio lmstudio-community/tiny-GGUF/tiny-Q5_K_M.gguf " + lm.resolve("tiny-Q5_K_M.gguf"),
                        "lmstudio lmstudio-community/tiny-GGUF/vocab.gguf " + lm.resolve("vocab.gguf"));
        LocalModels.Row sharded10 = rows.get(2);
        assertThat(sharded10.format()).contains("safetensors");
        // transformers' own count of tiny-llama (../shared/fixtures/hf/expected.json).
        long expected = SharedFixtures.json(FIXTURES.resolve("hf/expected.json"))
                .getObject("safetensors/tiny-llama-sharded")
                .orElseThrow()
                .getLong("params", -1);
        assertThat(sharded10.parameters()).hasValue(expected);
        long onDisk;
        try (Stream<Path> s = Files.list(sharded)) {
            onDisk = s.mapToLong(p -> p.toFile().length()).sum();
        }
        assertThat(sharded10.bytes()).isEqualTo(onDisk);
        LocalModels.Row vocab = rows.get(5);
        assertThat(vocab.error()).hasValueSatisfying(e -> assertThat(e).contains("vocabulary-only"));
        assertThat(vocab.parameters()).isEmpty();
        assertThat(rows.get(3).bytes())
                .isEqualTo(Files.size(FIXTURES.resolve("gguf/tiny-llama-Q4_K_M.gguf"))
                        + Files.size(FIXTURES.resolve("gguf/tiny-odd-Q4_K_M.gguf"))
                        + Files.size(FIXTURES.resolve("gguf/tiny-llama-Q2_K.gguf"))
                        + 10);
    }

    private static TensorInventory local(Path p) throws IOException {
        return ((ResolvedModel.Stored)
                        new ModelResolver(ResolverSettings.offlineUnder(Path.of("/nonexistent"))).resolve(p.toString()))
                .inventory();
    }

    private static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
