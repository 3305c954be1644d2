package dev.heft.core.format.safetensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.heft.core.error.ModelFormatException;
import dev.heft.core.testing.SharedFixtures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * The index's one-pass parser against the strict one ({@link ShardIndex#parse}): the same entries, shards and metadata
 * on every index it accepts, and the strict parser's exact error on every index that breaks a rule. Inputs: the index
 * transformers' {@code save_pretrained} wrote (../shared/fixtures/hf/safetensors/tiny-llama-sharded), generated
 * indexes, and those mutated byte by byte.
 */
class IndexColumnsTest {
    private static final Path FILE = Path.of("model.safetensors.index.json");

    private static void assertSame(IndexColumns columns, ShardIndex strict) {
        assertThat(columns.weightMap()).containsExactlyEntriesOf(strict.weightMap());
        assertThat(columns.shards()).isEqualTo(strict.shardNames());
        assertThat(columns.metadata()).containsExactlyEntriesOf(strict.metadata());
        assertThat(columns.totalSize()).isEqualTo(strict.totalSize());
    }

    private static void assertAgrees(byte[] bytes) {
        IndexColumns plain = IndexColumns.plain(FILE, bytes);
        ShardIndex strict;
        try {
            strict = ShardIndex.parse(FILE, bytes);
        } catch (ModelFormatException e) {
            assertThat(plain)
                    .as("accepted what the strict parser rejects: " + e.getMessage())
                    .isNull();
            assertThatThrownBy(() -> IndexColumns.parse(FILE, bytes)).hasMessage(e.getMessage());
            return;
        }
        if (plain != null) {
            assertSame(plain, strict);
        }
        assertSame(IndexColumns.parse(FILE, bytes), strict);
    }

    @Test
    void readsTheIndexTransformersWroteInOnePass() throws IOException {
        Path index = SharedFixtures.fixture("hf/safetensors/tiny-llama-sharded/model.safetensors.index.json");
        byte[] bytes = Files.readAllBytes(index);
        IndexColumns plain = IndexColumns.plain(index, bytes);
        assertThat(plain).isNotNull();
        ShardIndex strict = ShardIndex.parse(index, bytes);
        assertSame(plain, strict);
        assertThat(plain.shards()).hasSize(10);
    }

    /** An index as transformers writes it (json.dumps, indent 2, sorted keys), in random variations. */
    private static byte[] index(Random r) {
        int shards = 1 + r.nextInt(5);
        List<String> entries = new ArrayList<>();
        for (int i = 0; i < 1 + r.nextInt(30); i++) {
            String shard = String.format("model-%05d-of-%05d.safetensors", 1 + r.nextInt(shards), shards);
            entries.add("\"model.layers." + i + ".w\": \"" + shard + "\"");
        }
        if (r.nextBoolean()) {
            Collections.shuffle(entries, r);
        }
        List<String> meta = new ArrayList<>(List.of("\"total_size\": " + r.nextInt(1 << 30)));
        if (r.nextBoolean()) {
            meta.add("\"total_parameters\": " + r.nextInt(1 << 30));
        }
        if (r.nextBoolean()) {
            meta.add("\"format\": \"pt\"");
        }
        if (r.nextBoolean()) {
            meta.add("\"sharded\": " + r.nextBoolean());
        }
        Collections.shuffle(meta, r);
        String metadata = r.nextInt(5) == 0 ? "null" : "{\n    " + String.join(",\n    ", meta) + "\n  }";
        List<String> top = new ArrayList<>(List.of(
                "\"metadata\": " + metadata, "\"weight_map\": {\n    " + String.join(",\n    ", entries) + "\n  }"));
        if (r.nextInt(4) == 0) {
            top.removeFirst();
        }
        Collections.shuffle(top, r);
        return ("{\n  " + String.join(",\n  ", top) + "\n}\n").getBytes(StandardCharsets.US_ASCII);
    }

    @Property(tries = 300)
    void acceptsGeneratedIndexesInOnePass(@ForAll long seed) {
        byte[] bytes = index(new Random(seed));
        assertThat(IndexColumns.plain(FILE, bytes))
                .as(new String(bytes, StandardCharsets.US_ASCII))
                .isNotNull();
        assertAgrees(bytes);
    }

    private static final byte[] ALPHABET = "{}[]:,\" 0123456789-.e\\/u_a\u00e9".getBytes(StandardCharsets.UTF_8);

    @Property(tries = 2000)
    void agreesOnMutatedIndexes(@ForAll long seed) {
        Random r = new Random(seed);
        byte[] b = index(r);
        for (int e = 0; e < 1 + r.nextInt(3) && b.length > 0; e++) {
            int at = r.nextInt(b.length);
            switch (r.nextInt(3)) {
                case 0 -> b[at] = ALPHABET[r.nextInt(ALPHABET.length)];
                case 1 -> {
                    byte[] shorter = new byte[b.length - 1];
                    System.arraycopy(b, 0, shorter, 0, at);
                    System.arraycopy(b, at + 1, shorter, at, b.length - at - 1);
                    b = shorter;
                }
                default -> b = Arrays.copyOf(b, at);
            }
        }
        assertAgrees(b);
    }

    @Test
    void handsEveryBrokenRuleToTheStrictParser() {
        for (String json : List.of(
                "{\"weight_map\": {\"a\": \"s.safetensors\", \"a\": \"s.safetensors\"}}",
                "{\"weight_map\": {\"a\": \"../s.safetensors\"}}",
                "{\"weight_map\": {\"a\": \"c:s.safetensors\"}}",
                "{\"weight_map\": {\"a\": \"\"}}",
                "{\"weight_map\": {\"a\": 1}}",
                "{\"weight_map\": {}, \"weight_map\": {}}",
                "{\"metadata\": {}}",
                "{\"metadata\": [], \"weight_map\": {}}",
                "{\"metadata\": {\"k\": 1, \"k\": 2}, \"weight_map\": {}}")) {
            byte[] bytes = json.getBytes(StandardCharsets.US_ASCII);
            assertThat(IndexColumns.plain(FILE, bytes)).as(json).isNull();
            assertThatThrownBy(() -> ShardIndex.parse(FILE, bytes)).as(json).isInstanceOf(ModelFormatException.class);
        }
    }

    @Test
    void leavesUnusualButValidIndexesToTheStrictParser() {
        for (String json : List.of(
                "{\"weight_map\": {\"caf\\u00e9\": \"s.safetensors\"}}",
                "{\"metadata\": {\"total_size\": 1.5e3, \"nested\": {}}, \"weight_map\": {}}",
                "{\"weight_map\": {}, \"other\": [1, 2]}")) {
            byte[] bytes = json.getBytes(StandardCharsets.US_ASCII);
            assertThat(IndexColumns.plain(FILE, bytes)).as(json).isNull();
            assertSame(IndexColumns.parse(FILE, bytes), ShardIndex.parse(FILE, bytes));
        }
    }
}
