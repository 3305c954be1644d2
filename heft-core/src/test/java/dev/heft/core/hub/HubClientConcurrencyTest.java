package dev.heft.core.hub;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heft.core.format.safetensors.HeaderReader;
import dev.heft.core.format.safetensors.SafetensorsHeader;
import dev.heft.core.testing.SharedFixtures;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How many header reads {@link HubClient#headers} runs at once against a Hub that sends weight files to its CDN (a
 * 302, then the ranged GET on the second origin): {@link NetworkSettings#readsInFlight()} reads, so both origins'
 * connections are busy together, and never more than {@link NetworkSettings#connections()} requests on either origin.
 * The repo is the fixture checkpoint {@code hf/safetensors/tiny-llama-sharded} (10 shards written by transformers'
 * save_pretrained, see the fixtures' README); each header read must be the one the local file gives.
 */
class HubClientConcurrencyTest {
    private static final Path REPO = SharedFixtures.fixture("hf/safetensors/tiny-llama-sharded");
    private static final int CONNECTIONS = 2;
    private FakeHub hub;

    @AfterEach
    void stop() {
        if (hub != null) {
            hub.close();
        }
    }

    @Test
    void bothOriginsAreBusyAtOnceAndNeitherGetsMoreThanItsConnections() throws IOException {
        hub = new FakeHub().repo("tiny/llama", REPO).redirectWeightsToCdn().latency(25);
        NetworkSettings settings = new NetworkSettings(
                Duration.ofSeconds(5),
                Duration.ofSeconds(20),
                Duration.ofSeconds(60),
                CONNECTIONS,
                2,
                Duration.ofMillis(5),
                Duration.ofMillis(50),
                5);
        HubRef ref = HubRef.parse("hf://tiny/llama");
        try (HubClient client = new HubClient(
                hub.endpoint(),
                Optional::empty,
                settings,
                Optional.empty(),
                Optional.empty(),
                Progress.NONE,
                "heft-test")) {
            List<RemoteFile> shards = client.tree(ref).stream()
                    .filter(e -> e.path().endsWith(".safetensors"))
                    .map(e -> client.file(ref, e))
                    .toList();
            assertThat(shards).hasSize(10);
            List<RemoteHeader> headers = client.headers(shards, Optional.of(ref));

            int[] most = hub.mostAtOnce();
            assertThat(most[0]).as("requests at once on the Hub's origin").isLessThanOrEqualTo(CONNECTIONS);
            assertThat(most[1]).as("requests at once on the CDN's origin").isLessThanOrEqualTo(CONNECTIONS);
            // With only as many reads as connections, the two origins' requests would add up to CONNECTIONS at most.
            assertThat(most[2]).as("requests at once on both").isGreaterThan(CONNECTIONS);
            for (int i = 0; i < shards.size(); i++) {
                Path local = REPO.resolve(shards.get(i).label().getFileName().toString());
                SafetensorsHeader remote = ((RemoteHeader.Safetensors) headers.get(i)).header();
                SafetensorsHeader expected = HeaderReader.read(local);
                // Tensors name their file (the remote one by its label): every other field must agree.
                assertThat(remote.tensors())
                        .usingRecursiveFieldByFieldElementComparatorIgnoringFields("file")
                        .isEqualTo(expected.tensors());
                assertThat(remote.metadata()).isEqualTo(expected.metadata());
                assertThat(remote.headerLength()).isEqualTo(expected.headerLength());
                assertThat(remote.fileSize()).isEqualTo(expected.fileSize());
            }
        }
    }
}
