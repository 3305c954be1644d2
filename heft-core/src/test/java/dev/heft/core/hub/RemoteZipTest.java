package dev.heft.core.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.heft.core.error.CorruptModelException;
import dev.heft.core.error.UnsupportedModelException;
import dev.heft.core.format.pytorch.PyTorchCheckpointReader;
import dev.heft.core.format.pytorch.TorchCheckpoint;
import dev.heft.core.json.JsonValue;
import dev.heft.core.tensor.Tensor;
import dev.heft.core.tensor.TensorInventory;
import dev.heft.core.testing.SharedFixtures;
import dev.heft.core.testing.TestZipWriter;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Zip-format PyTorch checkpoints read over HTTP from their end and data.pkl alone, on the bytes torch 2.11 wrote
 * (fixtures/hf/pytorch, counts in its expected.json): the checkpoint equals the one read from the file (except storage
 * offsets, which only the unread local headers give), the bytes that travel stay far below the file, and a lying
 * archive or an oversized pickle is refused before anything more is fetched.
 */
class RemoteZipTest {
    private static final Path PYTORCH = SharedFixtures.fixture("hf/pytorch");
    private static final int SLACK = RemoteHeaders.SLACK;

    @TempDir
    Path repo;

    private FakeHub hub;
    private Http http;

    @BeforeEach
    void start() throws IOException {
        hub = new FakeHub().repo("t/zip", repo);
        NetworkSettings s = NetworkSettings.defaults()
                .withTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(30))
                .withRetries(2, Duration.ofMillis(5));
        http = new Http(new ConnectionPool(s), s, hub.endpoint(), Optional::empty, "heft-test");
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    private TorchCheckpoint remote(String name, long maxDirectory, long maxEntry) throws IOException {
        RemoteFile f = new RemoteFile(
                URI.create(hub.endpoint() + "/t/zip/resolve/main/" + name),
                Path.of(name),
                "hf://t/zip/" + name,
                OptionalLong.of(Files.size(repo.resolve(name))),
                Optional.empty());
        Deadline d = Deadline.in(Duration.ofSeconds(30));
        HeaderPrefix head = new RemoteHeaders(http, Optional.empty()).prefix(f, d);
        return new RemoteZip(http, f, head, d, maxDirectory, maxEntry).checkpoint();
    }

    private TorchCheckpoint remote(String name) throws IOException {
        return remote(name, RemoteZip.MAX_DIRECTORY, RemoteZip.MAX_ENTRY);
    }

    /** Everything of an inventory but where its bytes lie in the file. */
    private static List<String> withoutOffsets(TensorInventory inv) {
        List<String> out = new ArrayList<>();
        for (Tensor t : inv.tensors()) {
            out.add(t.name() + " " + Arrays.toString(t.shape()) + " " + t.dtype() + " " + t.role() + " "
                    + t.parameters() + " " + t.bytes());
        }
        out.add(inv.metadata().toString());
        out.addAll(inv.notes());
        return out;
    }

    private Path copy(String fixture, String as) throws IOException {
        return Files.copy(PYTORCH.resolve(fixture), repo.resolve(as));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "tiny-llama-state_dict.bin",
                "tiny-llama-bf16.bin",
                "tiny-llama-training-ckpt.pt",
                "shared-storage.pt"
            })
    void everyTorchWrittenCheckpointEqualsTheLocalFileFromItsEndAndPickle(String fixture) throws Exception {
        Path local = copy(fixture, fixture);
        TensorInventory remote = remote(fixture).toInventory();
        TensorInventory file = new PyTorchCheckpointReader().read(local).toInventory();
        assertThat(withoutOffsets(remote)).isEqualTo(withoutOffsets(file));
        assertThat(remote.tensors()).allSatisfy(t -> assertThat(t.offset()).isEqualTo(-1));
        JsonValue.JsonObject expected = SharedFixtures.json(PYTORCH.getParent().resolve("expected.json"))
                .getObject("pytorch/" + fixture)
                .orElseThrow();
        if (expected.get("params").isPresent()) {
            assertThat(remote.parameters()).isEqualTo(expected.getLong("params", -1));
        } else {
            // shared-storage.pt: three views over one storage of 60 elements
            assertThat(remote.parameters()).isEqualTo(expected.getLong("unique_storage_elements", -1));
        }
        long size = Files.size(local);
        // The head and the tail (data.pkl is the first entry torch writes, the directory the last): nothing else.
        assertThat(hub.bytesServed(fixture)).isLessThanOrEqualTo(Math.min(size, 2L * SLACK));
        assertThat(hub.requestsFor(fixture)).isLessThanOrEqualTo(size <= SLACK ? 1 : 2);
    }

    /**
     * The same bytes torch wrote, repacked with zip64 end records and extra fields, data.pkl deflated and placed
     * between the storages, so that the directory, the zip64 records and data.pkl's local header all need reads of
     * their own.
     */
    @Test
    void zip64RecordsAndADeflatedPickleInTheMiddleAreReadToo() throws Exception {
        TestZipWriter w = new TestZipWriter().forceZip64();
        try (ZipFile z =
                new ZipFile(PYTORCH.resolve("tiny-llama-state_dict.bin").toFile())) {
            List<java.util.zip.ZipEntry> entries = new ArrayList<>(Collections.list(z.entries()));
            java.util.zip.ZipEntry pickle = entries.stream()
                    .filter(e -> e.getName().endsWith("/data.pkl"))
                    .findFirst()
                    .orElseThrow();
            List<java.util.zip.ZipEntry> rest = new ArrayList<>(entries);
            rest.remove(pickle);
            // keep the archive's own first entry first (torch takes the archive name from its folder)
            for (int i = 0; i < rest.size(); i++) {
                java.util.zip.ZipEntry e = rest.get(i);
                w.stored(e.getName(), z.getInputStream(e).readAllBytes());
                if (i == rest.size() / 2) {
                    w.deflated(pickle.getName(), z.getInputStream(pickle).readAllBytes());
                }
            }
        }
        Path repacked = Files.write(repo.resolve("repacked.bin"), w.finish());
        long size = Files.size(repacked);
        TensorInventory remote = remote("repacked.bin").toInventory();
        TensorInventory file = new PyTorchCheckpointReader().read(repacked).toInventory();
        assertThat(withoutOffsets(remote)).isEqualTo(withoutOffsets(file));
        assertThat(remote.parameters()).isEqualTo(125_248L);
        assertThat(hub.bytesServed("repacked.bin")).isLessThan(size / 4);
        // head, tail, then data.pkl's local header and data, which lie in neither
        assertThat(hub.requestsFor("repacked.bin")).isEqualTo(3);
    }

    @Test
    void aPickleLargerThanTheCapIsRefusedBeforeItIsFetched() throws Exception {
        copy("tiny-llama-training-ckpt.pt", "big.pt");
        // Its data.pkl is 8,691 bytes; the cap here is 4 KiB. The head holds it, but the cap is checked first.
        assertThatThrownBy(() -> remote("big.pt", RemoteZip.MAX_DIRECTORY, 4096))
                .isInstanceOf(UnsupportedModelException.class)
                .hasMessageContaining("data.pkl")
                .hasMessageContaining("8691 bytes is larger than the 4096 bytes heft fetches of one entry");
        assertThat(hub.requestsFor("big.pt")).isEqualTo(2);
    }

    @Test
    void aDirectoryLargerThanTheCapIsRefusedBeforeItIsFetched() throws Exception {
        copy("tiny-llama-training-ckpt.pt", "many.pt");
        assertThatThrownBy(() -> remote("many.pt", 1000, RemoteZip.MAX_ENTRY))
                .isInstanceOf(UnsupportedModelException.class)
                .hasMessageContaining("central directory of")
                .hasMessageContaining("larger than the 1000 bytes");
        assertThat(hub.bytesServed("many.pt")).isLessThanOrEqualTo(2L * SLACK);
    }

    /** The EOCD record (APPNOTE 4.3.16): central directory size at offset 12, its offset at 16. */
    private Path withEndRecord(String name, long cdSize, long cdOffset) throws IOException {
        byte[] b = Files.readAllBytes(PYTORCH.resolve("tiny-llama-state_dict.bin"));
        int eocd = b.length - 22; // torch writes no archive comment
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(bb.getInt(eocd)).isEqualTo(0x06054b50);
        if (cdSize >= 0) {
            bb.putInt(eocd + 12, (int) cdSize);
        }
        if (cdOffset >= 0) {
            bb.putInt(eocd + 16, (int) cdOffset);
        }
        return Files.write(repo.resolve(name), b);
    }

    @Test
    void anEndRecordPointingTheDirectoryAtTheFileStartFetchesNothingMore() throws Exception {
        withEndRecord("lying.bin", -1, 0);
        assertThatThrownBy(() -> remote("lying.bin"))
                .isInstanceOf(CorruptModelException.class)
                .hasMessageContaining("lying.bin")
                .hasMessageContaining("bytes before the end records");
        assertThat(hub.bytesServed("lying.bin")).isLessThanOrEqualTo(2L * SLACK);
    }

    @Test
    void anEndRecordWithADirectoryPastItsEndIsCorrupt() throws Exception {
        withEndRecord("past.bin", 0x7fff_0000L, -1);
        assertThatThrownBy(() -> remote("past.bin"))
                .isInstanceOf(CorruptModelException.class)
                .hasMessageContaining("does not end before the end-of-central-directory record");
        assertThat(hub.bytesServed("past.bin")).isLessThanOrEqualTo(2L * SLACK);
    }

    @Test
    void anEndRecordPointingIntoTheTensorDataIsCorruptNotAPickle() throws Exception {
        // The directory said to start 100 KB into the storages: no central header signature there.
        long size = Files.size(PYTORCH.resolve("tiny-llama-state_dict.bin"));
        int cdSize = 2000;
        withEndRecord("shifted.bin", cdSize, size - 22 - cdSize - 40_000);
        assertThatThrownBy(() -> remote("shifted.bin"))
                .isInstanceOf(CorruptModelException.class)
                .hasMessageContaining("shifted.bin");
        assertThat(hub.bytesServed("shifted.bin")).isLessThan(size / 4);
    }

    @Test
    void aServerThatIgnoresRangePastTheStartIsRefusedNotDownloaded() throws Exception {
        copy("tiny-llama-state_dict.bin", "norange.bin");
        hub.fault("norange.bin", new FakeHub.IgnoreRangeBeyondStart());
        assertThatThrownBy(() -> remote("norange.bin"))
                .isInstanceOfSatisfying(
                        dev.heft.core.error.RemoteModelException.class,
                        e -> assertThat(e.reason())
                                .isEqualTo(dev.heft.core.error.RemoteModelException.Reason.NO_RANGE_SUPPORT))
                .hasMessageContaining("does not support range requests");
        // the head, then the status of the tail's answer: its body is cut off, not read (the loopback server may still
        // have written all of it into the socket's buffers, so what heft received is what counts)
        assertThat(http.receivedBytes()).isLessThan(Files.size(repo.resolve("norange.bin")) / 4);
    }
}
