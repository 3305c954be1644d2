package dev.heft.core.hub;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heft.core.format.gguf.GgufExtent;
import dev.heft.core.format.gguf.GgufReader;
import dev.heft.core.testing.SharedFixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Progressive GGUF header reads over HTTP on llama.cpp's own vocabulary files (headers of 0.6 to 4 MB, no length
 * field): the bytes fetched are exactly the file's first bytes through the tensor infos, and the server sends at most
 * {@value RemoteHeaders#SLACK} bytes more than that, whether it honours Range or not.
 */
class RemoteHeadersTest {
    private static final Path REAL = SharedFixtures.fixture("gguf-real");
    private FakeHub hub;
    private Http http;

    static List<String> files() throws IOException {
        try (Stream<Path> s = Files.list(REAL)) {
            return s.filter(p -> p.toString().endsWith(".gguf"))
                    .map(p -> p.getFileName().toString())
                    .sorted()
                    .toList();
        }
    }

    @BeforeEach
    void start() throws IOException {
        hub = new FakeHub().repo("llama/vocab", REAL);
        NetworkSettings s = NetworkSettings.defaults().withTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(30));
        http = new Http(new ConnectionPool(s), s, hub.endpoint(), Optional::empty, "heft-test");
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    private RemoteFile file(String name, long size) {
        HubRef ref = HubRef.parse("hf://llama/vocab");
        return new RemoteFile(
                java.net.URI.create(hub.endpoint() + "/llama/vocab/resolve/main/" + name),
                Path.of(name),
                ref.modelString(name),
                OptionalLong.of(size),
                Optional.empty());
    }

    @ParameterizedTest
    @MethodSource("files")
    void theHeaderArrivesWithAtMost32KiBMore(String name) throws IOException {
        byte[] whole = Files.readAllBytes(REAL.resolve(name));
        long end = ((GgufExtent.Complete) GgufExtent.scan(whole, whole.length, whole.length)).end();
        HeaderPrefix p = new RemoteHeaders(http, Optional.empty())
                .prefix(file(name, whole.length), Deadline.in(Duration.ofSeconds(30)));
        assertThat(p.fileSize()).isEqualTo(whole.length);
        assertThat(p.bytes()).isEqualTo(Arrays.copyOf(whole, (int) end));
        assertThat(hub.bytesServed(name)).isBetween(end, end + RemoteHeaders.SLACK);
        // The header the bytes make is the one the file makes.
        assertThat(GgufReader.parseHeader(p.bytes(), Path.of(name), whole.length)
                        .metadata())
                .isEqualTo(GgufReader.readFile(REAL.resolve(name)).metadata());
    }

    @ParameterizedTest
    @MethodSource("files")
    void aServerIgnoringRangeIsReadAsOneStreamAndCutAtTheHeadersEnd(String name) throws IOException {
        hub.fault(name, new FakeHub.IgnoreRange());
        byte[] whole = Files.readAllBytes(REAL.resolve(name));
        long end = ((GgufExtent.Complete) GgufExtent.scan(whole, whole.length, whole.length)).end();
        HeaderPrefix p = new RemoteHeaders(http, Optional.empty())
                .prefix(file(name, whole.length), Deadline.in(Duration.ofSeconds(30)));
        assertThat(p.bytes()).isEqualTo(Arrays.copyOf(whole, (int) end));
        assertThat(hub.requestsFor(name)).isEqualTo(1);
        // What heft took in: the header, plus what the client had buffered when heft cut the answer off.
        assertThat(http.receivedBytes()).isLessThanOrEqualTo(end + 4L * RemoteHeaders.SLACK);
    }

    @org.junit.jupiter.api.Test
    void aServerThatIgnoresRangeOnlyPastTheStartIsRefusedNotReadWhole() throws IOException {
        String name = "ggml-vocab-deepseek-llm.gguf"; // a 4 MB header: the second read starts past byte 0
        hub.fault(name, new FakeHub.IgnoreRangeBeyondStart());
        long size = Files.size(REAL.resolve(name));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new RemoteHeaders(http, Optional.empty())
                        .prefix(file(name, size), Deadline.in(Duration.ofSeconds(30))))
                .isInstanceOfSatisfying(
                        dev.heft.core.error.RemoteModelException.class,
                        e -> assertThat(e.reason())
                                .isEqualTo(dev.heft.core.error.RemoteModelException.Reason.NO_RANGE_SUPPORT))
                .hasMessageContaining("does not support range requests");
        assertThat(http.receivedBytes()).isLessThan(size);
    }
}
