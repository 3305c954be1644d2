package dev.heft.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heft.core.format.safetensors.IndexColumns;
import dev.heft.core.testing.SharedFixtures;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The index's lower bound of each shard's header, on shards transformers' save_pretrained wrote. */
class ShardHeaderBoundTest {

    @Test
    void theBoundNeverExceedsTheHeaderAndFallsShortByLessThanTheSlack() throws Exception {
        Path dir = SharedFixtures.fixture("hf/safetensors/tiny-llama-sharded");
        IndexColumns index = IndexColumns.read(dir.resolve("model.safetensors.index.json"));
        long[] bound = ShardHeaderBound.of(index);
        assertThat(bound).hasSize(10);
        for (int s = 0; s < bound.length; s++) {
            String shard = index.shards().get(s);
            long header = 8 + RemoteResolveTest.headerLength(dir.resolve(shard));
            assertThat(bound[s]).as(shard).isLessThanOrEqualTo(header).isGreaterThan(header - (32 << 10));
        }
    }
}
