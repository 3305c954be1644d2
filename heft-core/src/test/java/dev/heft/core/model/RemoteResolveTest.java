package dev.heft.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.heft.core.error.CorruptModelException;
import dev.heft.core.error.InvalidInputException;
import dev.heft.core.error.RemoteModelException;
import dev.heft.core.error.RemoteModelException.Reason;
import dev.heft.core.hub.FakeHub;
import dev.heft.core.hub.NetworkSettings;
import dev.heft.core.tensor.TensorInventory;
import dev.heft.core.testing.SharedFixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * hf:// and https:// models read from an in-process stand-in for the Hub ({@link FakeHub}) serving the real fixtures
 * in ../shared: every remote answer must equal the local answer for the same files, the bytes that travel must stay
 * within "header + 32 KiB" per file, and every failure must be one clear, typed line.
 */
class RemoteResolveTest {
    private static final Path FIXTURES = SharedFixtures.root().resolve("fixtures");
    private static final Path SHARDED = FIXTURES.resolve("hf/safetensors/tiny-llama-sharded");
    private static final Path MIXTRAL = FIXTURES.resolve("hf/safetensors/tiny-mixtral");
    private static final Path GGUF = FIXTURES.resolve("gguf");
    private static final int SLACK = 32 << 10;

    @TempDir
    Path home;

    FakeHub hub;

    @BeforeEach
    void start() throws IOException {
        hub = new FakeHub();
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    private ResolverSettings settings() {
        return ResolverSettings.fromEnvironment(
                        Map.of("HF_ENDPOINT", hub.endpoint().toString()), home)
                .withNetwork(NetworkSettings.defaults()
                        .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(20))
                        .withRetries(3, Duration.ofMillis(5)));
    }

    private ResolvedModel.Stored remote(String argument) throws IOException {
        return (ResolvedModel.Stored) new ModelResolver(settings()).resolve(argument);
    }

    private static TensorInventory local(Path p) throws IOException {
        return ((ResolvedModel.Stored)
                        new ModelResolver(ResolverSettings.offlineUnder(Path.of("/nonexistent"))).resolve(p.toString()))
                .inventory();
    }

    @Test
    void shardedSafetensorsRepoEqualsTheLocalFolder() throws Exception {
        hub.repo("fixtures/tiny-llama-sharded", SHARDED);
        ResolvedModel.Stored m = remote("hf://fixtures/tiny-llama-sharded");
        TensorInventory local = local(SHARDED);
        assertThat(Inventories.comparable(m.inventory())).isEqualTo(Inventories.comparable(local));
        assertThat(Inventories.readerNotes(m.inventory())).isEqualTo(Inventories.readerNotes(local));
        assertThat(m.inventory().config()).isPresent();

        ModelSource source = m.source().orElseThrow();
        assertThat(source.kind()).isEqualTo(ModelSource.Kind.HUB);
        assertThat(source.id()).isEqualTo("fixtures/tiny-llama-sharded");
        assertThat(source.revision()).contains("main");
        assertThat(source.commit()).contains(hub.commit("fixtures/tiny-llama-sharded"));
        assertThat(source.transferredBytes()).isEqualTo(hub.totalBytesServed());
        // Tree + index + config + one request per shard (every shard header is under 32 KiB).
        assertThat(source.requests()).isEqualTo(3 + 10);

        // inspect --json carries where it came from and what it cost, and reads back to the same report.
        var report = dev.heft.core.service.InspectService.run(m, new dev.heft.core.api.request.InspectRequest(false));
        assertThat(report.source().orElseThrow().commit()).contains(hub.commit("fixtures/tiny-llama-sharded"));
        assertThat(report.transferredBytes()).contains(source.transferredBytes());
        String json = dev.heft.core.api.report.ReportJson.write(report);
        assertThat(json).contains("\"transferred_bytes\"").contains("\"kind\": \"hf\"");
        assertThat(dev.heft.core.api.report.ReportJson.read(json, report.getClass()))
                .isEqualTo(report);
    }

    /**
     * An index that disagrees with its shards is refused over HTTP with the local reader's fault: the same key and
     * problem, and the same file (the index, or the shard by its name) under the repo's label.
     */
    @Test
    void anIndexThatDisagreesWithItsShardsIsTheSameFaultAsLocally() throws Exception {
        String index = Files.readString(SHARDED.resolve("model.safetensors.index.json"));
        String moved = "\"model.layers.0.mlp.gate_proj.weight\": \"model-00003-of-00010.safetensors\"";
        List<String> broken = List.of(
                // A tensor placed in a shard that does not hold it (and stored in one the index does not say).
                index.replace(moved, moved.replace("00003", "00004")),
                // A tensor no shard stores.
                index.replace(moved, moved + ",\n    \"model.extra.weight\": \"model-00002-of-00010.safetensors\""),
                // A shard the repo does not have (its only tensor moved there).
                index.replace(moved, moved.replace("00003-of-00010", "00011-of-00010")));
        for (int i = 0; i < broken.size(); i++) {
            Path dir = home.resolve("broken-" + i);
            Files.createDirectories(dir);
            try (Stream<Path> files = Files.list(SHARDED)) {
                for (Path f : files.toList()) {
                    if (!f.getFileName().toString().endsWith(".index.json")) {
                        Files.copy(f, dir.resolve(f.getFileName()));
                    }
                }
            }
            Files.writeString(dir.resolve("model.safetensors.index.json"), broken.get(i));
            CorruptModelException local = catchCorrupt(() -> local(dir));
            String repo = "fixtures/broken-" + i;
            hub.repo(repo, dir);
            CorruptModelException remote = catchCorrupt(() -> remote("hf://" + repo));
            assertThat(remote.key()).as(broken.get(i)).isEqualTo(local.key());
            assertThat(remote.file().getFileName()).isEqualTo(local.file().getFileName());
            if (i < 2) {
                assertThat(remote.problem()).isEqualTo(local.problem());
            } else {
                // Locally the shard is a missing file, remotely a file the repo does not list.
                assertThat(remote.problem())
                        .isEqualTo("weight_map names shard 'model-00011-of-00010.safetensors', which is not in "
                                + "hf://fixtures/broken-2");
            }
        }
    }

    private interface Read {
        Object run() throws IOException;
    }

    private static CorruptModelException catchCorrupt(Read read) throws IOException {
        try {
            read.run();
        } catch (CorruptModelException e) {
            return e;
        }
        throw new AssertionError("expected a CorruptModelException");
    }

    @Test
    void theProgressLineIsToldOfEveryShardAndThatTheFetchIsOver() throws Exception {
        hub.repo("fixtures/tiny-llama-sharded", SHARDED);
        List<long[]> updates = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        java.util.concurrent.atomic.AtomicInteger finished = new java.util.concurrent.atomic.AtomicInteger();
        ResolvedModel.Stored m =
                (ResolvedModel.Stored) new ModelResolver(settings().withProgress(new dev.heft.core.hub.Progress() {
                            @Override
                            public void files(int done, int total, long bytes) {
                                updates.add(new long[] {done, total, bytes});
                            }

                            @Override
                            public void finished() {
                                finished.incrementAndGet();
                            }
                        }))
                        .resolve("hf://fixtures/tiny-llama-sharded");
        // One update per shard (10), each of 10 in all; counts 1..10 once each, bytes never above what was served.
        assertThat(updates).hasSize(10).allSatisfy(u -> assertThat(u[1]).isEqualTo(10));
        assertThat(updates.stream().mapToLong(u -> u[0]).sorted().toArray())
                .containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
        assertThat(updates)
                .allSatisfy(u -> assertThat(u[2])
                        .isPositive()
                        .isLessThanOrEqualTo(m.source().orElseThrow().transferredBytes()));
        assertThat(finished.get()).isPositive();
    }

    @Test
    void onlyHeadersTravelAtMostHeaderPlus32KiBPerFile() throws Exception {
        hub.repo("fixtures/tiny-mixtral", MIXTRAL).repo("fixtures/sharded", SHARDED);
        remote("hf://fixtures/tiny-mixtral");
        long header = 8 + headerLength(MIXTRAL.resolve("model.safetensors"));
        assertThat(hub.bytesServed("model.safetensors"))
                .isLessThanOrEqualTo(header + SLACK)
                .isLessThan(Files.size(MIXTRAL.resolve("model.safetensors")));
        remote("hf://fixtures/sharded");
        try (Stream<Path> shards = Files.list(SHARDED)) {
            for (Path shard :
                    shards.filter(p -> p.toString().endsWith(".safetensors")).toList()) {
                assertThat(hub.bytesServed("sharded/resolve/main/" + shard.getFileName()))
                        .isLessThanOrEqualTo(8 + headerLength(shard) + SLACK);
            }
        }
    }

    @Test
    void everyGgufFixtureOverHttpEqualsTheLocalFile() throws Exception {
        hub.repo("fixtures/gguf", GGUF);
        try (Stream<Path> files = Files.list(GGUF)) {
            for (Path f : files.filter(
                            p -> p.toString().endsWith(".gguf") && !p.toString().contains("split"))
                    .sorted()
                    .toList()) {
                ResolvedModel.Stored m = remote("hf://fixtures/gguf/" + f.getFileName());
                assertThat(Inventories.comparable(m.inventory()))
                        .as(f.getFileName().toString())
                        .isEqualTo(Inventories.comparable(local(f)));
            }
        }
    }

    @Test
    void aSplitGgufPartBringsItsSiblingsAsOneModel() throws Exception {
        hub.repo("fixtures/gguf", GGUF);
        Path part2 = GGUF.resolve("tiny-llama-Q8_0-split-00002-of-00003.gguf");
        ResolvedModel.Stored m = remote("hf://fixtures/gguf/" + part2.getFileName());
        assertThat(m.inventory().files()).hasSize(3);
        assertThat(Inventories.comparable(m.inventory())).isEqualTo(Inventories.comparable(local(part2)));
    }

    @Test
    void aRepoOfSeveralGgufsListsThemAndSaysHowToPickOne() throws Exception {
        hub.repo("fixtures/gguf", GGUF);
        assertThatThrownBy(() -> remote("hf://fixtures/gguf"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("hf://fixtures/gguf holds 15 models (tiny-llama-BF16.gguf, ")
                .hasMessageContaining("and 9 more")
                .hasMessageContaining("name one, e.g. hf://fixtures/gguf/tiny-llama-BF16.gguf")
                .message()
                .doesNotContain("\n");
    }

    @Test
    void weightsRedirectedToACdnGetNoTokenThere() throws Exception {
        hub.gated("meta/gated", SHARDED, "secret").redirectWeightsToCdn();
        ResolverSettings s = settings().withHub(hub.endpoint(), Optional.of("secret"));
        ResolvedModel.Stored m = (ResolvedModel.Stored) new ModelResolver(s).resolve("hf://meta/gated");
        assertThat(Inventories.comparable(m.inventory())).isEqualTo(Inventories.comparable(local(SHARDED)));
        assertThat(hub.requestsFor("model-00001-of-00010.safetensors")).isEqualTo(2); // 302 at the Hub, 206 at the CDN
        assertThat(hub.cdnAuthorizations()).isEmpty();
    }

    @Test
    void aGatedRepoWithoutTheRightTokenSaysWhatHfTokenMustHold() {
        hub.gated("meta/gated", SHARDED, "secret");
        assertThatThrownBy(() -> remote("hf://meta/gated"))
                .isInstanceOfSatisfying(
                        RemoteModelException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNAUTHORIZED))
                .hasMessageContaining("hf://meta/gated is gated or private")
                .hasMessageContaining("no token was sent")
                .hasMessageContaining("HF_TOKEN")
                .hasMessageContaining("accepted its terms");
        ResolverSettings wrong = settings().withHub(hub.endpoint(), Optional.of("wrong"));
        assertThatThrownBy(() -> new ModelResolver(wrong).resolve("hf://meta/gated"))
                .hasMessageContaining("the token heft sent was refused");
    }

    @Test
    void theTokenFileUnderHfHomeIsUsedWhenHfTokenIsUnset() throws Exception {
        hub.gated("meta/gated", MIXTRAL, "from-file");
        Path hfHome = home.resolve("hfhome");
        Files.createDirectories(hfHome);
        Files.writeString(hfHome.resolve("token"), "from-file\n");
        ResolverSettings s = ResolverSettings.fromEnvironment(
                Map.of("HF_ENDPOINT", hub.endpoint().toString(), "HF_HOME", hfHome.toString()), home);
        assertThat(new ModelResolver(s).resolve("hf://meta/gated")).isInstanceOf(ResolvedModel.Stored.class);
    }

    @Test
    void notFoundSaysWhetherTheRepoTheRevisionOrTheFileIsMissing() {
        hub.repo("fixtures/mixtral", MIXTRAL);
        assertThatThrownBy(() -> remote("hf://nobody/nothing"))
                .isInstanceOfSatisfying(
                        RemoteModelException.class, e -> assertThat(e.reason()).isEqualTo(Reason.NOT_FOUND))
                .hasMessageContaining("no repo nobody/nothing");
        assertThatThrownBy(() -> remote("hf://fixtures/mixtral@v9")).hasMessageContaining("no revision 'v9'");
        assertThatThrownBy(() -> remote("hf://fixtures/mixtral/missing.safetensors"))
                .hasMessageContaining("no file or folder 'missing.safetensors'");
    }

    @Test
    void aPrivateRepoIsReportedAsMissingOrPrivate() {
        hub.privateRepo("me/private", MIXTRAL, "t");
        assertThatThrownBy(() -> remote("hf://me/private"))
                .hasMessageContaining("no repo me/private")
                .hasMessageContaining("or it is private");
    }

    @Test
    void tooManyRequestsThenSuccessIsRetried() throws Exception {
        hub.repo("fixtures/mixtral", MIXTRAL).fault("model.safetensors", new FakeHub.Status(429, 2, 0));
        ResolvedModel.Stored m = remote("hf://fixtures/mixtral");
        assertThat(Inventories.comparable(m.inventory())).isEqualTo(Inventories.comparable(local(MIXTRAL)));
        assertThat(hub.requestsFor("model.safetensors")).isEqualTo(3);
    }

    @Test
    void aServerErrorThatPersistsEndsAfterTheRetries() {
        hub.repo("fixtures/mixtral", MIXTRAL).fault("model.safetensors", new FakeHub.Status(503, 100, -1));
        assertThatThrownBy(() -> remote("hf://fixtures/mixtral"))
                .isInstanceOfSatisfying(
                        RemoteModelException.class, e -> assertThat(e.reason()).isEqualTo(Reason.HTTP_STATUS))
                .hasMessageContaining("HTTP 503")
                .hasMessageContaining("retries spent");
        assertThat(hub.requestsFor("model.safetensors")).isEqualTo(3);
    }

    @Test
    void aDroppedConnectionIsRetried() throws Exception {
        hub.repo("fixtures/mixtral", MIXTRAL).fault("model.safetensors", new FakeHub.Truncate(100, 1));
        ResolvedModel.Stored m = remote("hf://fixtures/mixtral");
        assertThat(Inventories.comparable(m.inventory())).isEqualTo(Inventories.comparable(local(MIXTRAL)));
    }

    @Test
    void anAnswerThatKeepsEndingEarlyIsAnErrorAfterTheRetries() {
        hub.repo("fixtures/mixtral", MIXTRAL).fault("model.safetensors", new FakeHub.Truncate(100, 100));
        assertThatThrownBy(() -> remote("hf://fixtures/mixtral"))
                .isInstanceOfSatisfying(
                        RemoteModelException.class, e -> assertThat(e.reason()).isEqualTo(Reason.CONNECTION))
                .hasMessageStartingWith("hf://fixtures/mixtral/model.safetensors: ")
                .hasMessageContaining("127.0.0.1");
        // Three tries; java.net.http itself sends a GET again once when the pooled connection it used had been closed.
        assertThat(hub.requestsFor("model.safetensors")).isBetween(3, 6);
    }

    @Test
    void aTricklingServerHitsTheTimeout() {
        hub.repo("fixtures/mixtral", MIXTRAL).fault("model.safetensors", new FakeHub.Trickle(50));
        ResolverSettings s = settings()
                .withNetwork(NetworkSettings.defaults()
                        .withTimeouts(Duration.ofMillis(700), Duration.ofSeconds(2))
                        .withRetries(1, Duration.ofMillis(5)));
        long start = System.nanoTime();
        assertThatThrownBy(() -> new ModelResolver(s).resolve("hf://fixtures/mixtral"))
                .isInstanceOfSatisfying(
                        RemoteModelException.class, e -> assertThat(e.reason()).isEqualTo(Reason.TIMEOUT))
                .hasMessageContaining("in time");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
    }

    @Test
    void aServerIgnoringRangeIsReadOnlyAsFarAsTheHeaderAndCutOff() throws Exception {
        hub.repo("fixtures/mixtral", MIXTRAL).fault("model.safetensors", new FakeHub.IgnoreRange());
        ResolvedModel.Stored m = remote("hf://fixtures/mixtral");
        assertThat(Inventories.comparable(m.inventory())).isEqualTo(Inventories.comparable(local(MIXTRAL)));
        long file = Files.size(MIXTRAL.resolve("model.safetensors"));
        long header = 8 + headerLength(MIXTRAL.resolve("model.safetensors"));
        // heft consumed the header; the client had at most a few of its 16 KiB buffers more delivered before the cut.
        long jsonBytes = hub.bytesServed("/tree/main") + hub.bytesServed("config.json");
        assertThat(m.source().orElseThrow().transferredBytes() - jsonBytes)
                .isLessThan(header + 4 * SLACK)
                .isLessThan(file);
    }

    @Test
    void aContentRangeThatDoesNotMatchTheAskIsRefused() {
        hub.repo("fixtures/mixtral", MIXTRAL)
                .fault("model.safetensors", new FakeHub.LieContentRange("bytes 100-32867/827088"));
        assertThatThrownBy(() -> remote("hf://fixtures/mixtral"))
                .isInstanceOfSatisfying(
                        RemoteModelException.class, e -> assertThat(e.reason()).isEqualTo(Reason.BAD_ANSWER))
                .hasMessageContaining("asked for bytes 0-32767");
    }

    @Test
    void aFileSizeThatDisagreesWithTheListingIsRefused() {
        hub.repo("fixtures/mixtral", MIXTRAL).fault("model.safetensors", new FakeHub.LieTotal(1L << 40));
        assertThatThrownBy(() -> remote("hf://fixtures/mixtral")).hasMessageContaining("but the listing says 827088");
    }

    @Test
    void redirectsToOtherSchemesAndLoopsAreRefused() {
        hub.repo("fixtures/mixtral", MIXTRAL).fault("model.safetensors", new FakeHub.Redirect("file:///etc/passwd"));
        assertThatThrownBy(() -> remote("hf://fixtures/mixtral"))
                .isInstanceOfSatisfying(
                        RemoteModelException.class, e -> assertThat(e.reason()).isEqualTo(Reason.REFUSED_REDIRECT))
                .hasMessageContaining("http and https URLs only");
        hub.fault("model.safetensors", new FakeHub.Redirect("jar:file:///x.jar!/a"));
        assertThatThrownBy(() -> remote("hf://fixtures/mixtral")).hasMessageContaining("http and https URLs only");
        hub.fault(
                "model.safetensors",
                new FakeHub.Redirect(hub.endpoint() + "/fixtures/mixtral/resolve/main/model.safetensors"));
        assertThatThrownBy(() -> remote("hf://fixtures/mixtral"))
                .isInstanceOfSatisfying(
                        RemoteModelException.class, e -> assertThat(e.reason()).isEqualTo(Reason.REDIRECT_LOOP));
    }

    @Test
    void anEndlessTreeListingIsCutAtItsCap() {
        hub.repo("fixtures/mixtral", MIXTRAL).fault("/tree/main", new FakeHub.Endless());
        assertThatThrownBy(() -> remote("hf://fixtures/mixtral"))
                .isInstanceOfSatisfying(
                        RemoteModelException.class, e -> assertThat(e.reason()).isEqualTo(Reason.TOO_LARGE))
                .hasMessageContaining("file listing");
    }

    @Test
    void aHeaderLengthOf2To63IsRefusedWithoutFetchingIt(@TempDir Path repo) throws Exception {
        byte[] hostile = new byte[64];
        for (int i = 0; i < 8; i++) {
            hostile[i] = (byte) (i == 7 ? 0x80 : 0x00); // u64 little-endian 2^63
        }
        hostile[8] = '{';
        Files.write(repo.resolve("model.safetensors"), hostile);
        hub.repo("evil/header", repo);
        assertThatThrownBy(() -> remote("hf://evil/header"))
                .isInstanceOf(CorruptModelException.class)
                .hasMessageContaining("exceeds the safetensors limit");
        assertThat(hub.requestsFor("model.safetensors")).isEqualTo(1);
    }

    @Test
    void aListingPagedWithLinkHeadersIsFollowed() throws Exception {
        hub.repo("fixtures/sharded", SHARDED).treePageSize(3);
        ResolvedModel.Stored m = remote("hf://fixtures/sharded");
        assertThat(m.inventory().files()).hasSize(10);
        assertThat(hub.requestsFor("/tree/main")).isEqualTo(5); // 14 files, 3 a page
    }

    @Test
    void aBareOwnerNameIsTakenAsAHubRepoWithANote() throws Exception {
        hub.repo("fixtures/mixtral", MIXTRAL);
        ResolvedModel.Stored m = remote("fixtures/mixtral");
        assertThat(m.inventory().notes())
                .anyMatch(n -> n.contains("read as the Hugging Face Hub repo " + "hf://fixtures/mixtral"));
    }

    @Test
    void anHttpsFileIsReadFromItsHeader() throws Exception {
        hub.repo("fixtures/gguf", GGUF);
        String url = hub.endpoint() + "/fixtures/gguf/resolve/main/tiny-llama-Q4_K_M.gguf";
        ResolvedModel.Stored m = remote(url);
        assertThat(Inventories.comparable(m.inventory()))
                .isEqualTo(Inventories.comparable(local(GGUF.resolve("tiny-llama-Q4_K_M.gguf"))));
        assertThat(m.source().orElseThrow().kind()).isEqualTo(ModelSource.Kind.URL);
        ResolvedModel.Stored split =
                remote(hub.endpoint() + "/fixtures/gguf/resolve/main/tiny-llama-Q8_0-split-00001-of-00003.gguf");
        assertThat(split.inventory().files()).hasSize(3);
    }

    @Test
    void offlineWithNothingCachedOpensNoConnection() {
        hub.repo("fixtures/mixtral", MIXTRAL);
        ResolverSettings s = settings().withOffline(true);
        assertThatThrownBy(() -> new ModelResolver(s).resolve("hf://fixtures/mixtral"))
                .isInstanceOfSatisfying(
                        RemoteModelException.class, e -> assertThat(e.reason()).isEqualTo(Reason.OFFLINE))
                .hasMessageContaining("HF_HUB_OFFLINE");
        assertThatThrownBy(() -> new ModelResolver(s).resolve(hub.endpoint() + "/x.gguf"))
                .hasMessageContaining("HF_HUB_OFFLINE");
        assertThat(hub.requests()).isZero();
    }

    @Test
    void anUnresolvableHostIsADnsError() {
        ResolverSettings s = settings().withHub(java.net.URI.create("http://no-such-host.invalid"), Optional.empty());
        assertThatThrownBy(() -> new ModelResolver(s).resolve("hf://a/b"))
                .isInstanceOfSatisfying(
                        RemoteModelException.class, e -> assertThat(e.reason()).isIn(Reason.DNS, Reason.CONNECTION))
                .hasMessageContaining("no-such-host.invalid");
    }

    @Test
    void theHeaderCacheMakesASecondRunOneRequest() throws Exception {
        hub.repo("fixtures/sharded", SHARDED);
        ResolverSettings s = settings().withHeaderCache(true);
        ResolvedModel.Stored first = (ResolvedModel.Stored) new ModelResolver(s).resolve("hf://fixtures/sharded");
        int before = hub.requests();
        ResolvedModel.Stored second = (ResolvedModel.Stored) new ModelResolver(s).resolve("hf://fixtures/sharded");
        assertThat(hub.requests() - before).isEqualTo(1); // the listing; index, config and headers come from the cache
        assertThat(Inventories.comparable(second.inventory())).isEqualTo(Inventories.comparable(first.inventory()));
        assertThat(new dev.heft.core.hub.HeaderCache(s.headerCacheFolder()).clear())
                .isEqualTo(12);
    }

    @Test
    void theServerPolicyRefusesPathsUrlsAndByDefaultTheHub() {
        ResolverSettings server = settings().withAccess(ResolverSettings.Access.server(false));
        assertThatThrownBy(() -> new ModelResolver(server).resolve("hf://a/b")).hasMessageContaining("--allow-hub");
        assertThatThrownBy(() -> new ModelResolver(server).resolve("https://example.com/x.gguf"))
                .hasMessageContaining("not allowed");
        assertThatThrownBy(() -> new ModelResolver(server).resolve(SHARDED.toString()))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> new ModelResolver(server).resolve("ollama://llama3"))
                .hasMessageContaining("not allowed");
        assertThat(hub.requests()).isZero();
    }

    static long headerLength(Path safetensors) throws IOException {
        byte[] b = new byte[8];
        try (var in = Files.newInputStream(safetensors)) {
            in.readNBytes(b, 0, 8);
        }
        long n = 0;
        for (int i = 7; i >= 0; i--) {
            n = (n << 8) | (b[i] & 0xff);
        }
        return n;
    }
}
