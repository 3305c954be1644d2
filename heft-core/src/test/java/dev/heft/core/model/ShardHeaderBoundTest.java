package dev.heft.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heft.core.format.safetensors.ShardIndex;
import dev.heft.core.testing.SharedFixtures;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The index's lower bound of each shard's header, on shards transformers' save_pretrained wrote. */
class ShardHeaderBoundTest {

    @Test
    void theBoundNeverExceedsTheHeaderAndFallsShortByLessThanTheSlack() throws Exception {
        Path dir = SharedFixtures.fixture("hf/safetensors/tiny-llama-sharded");
        Map<String, Long> bound = ShardHeaderBound.of(ShardIndex.read(dir.resolve("model.safetensors.index.json")));
        assertThat(bound).hasSize(10);
        for (Map.Entry<String, Long> e : bound.entrySet()) {
            long header = 8 + RemoteResolveTest.headerLength(dir.resolve(e.getKey()));
            assertThat(e.getValue()).as(e.getKey()).isLessThanOrEqualTo(header).isGreaterThan(header - (32 << 10));
        }
    }
}
