package dev.heft.core.arch.hf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heft.core.arch.ArchitectureCounts;
import dev.heft.core.arch.catalog.CatalogEntry;
import dev.heft.core.arch.catalog.LlmCatalog;
import dev.heft.core.json.JsonValue.JsonObject;
import dev.heft.core.testing.SharedFixtures;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The tensor listing and the arithmetic count are two paths over the same spec: they must agree on every total and
 * per-class sum, for the ground-truth models (whose by_class came from transformers) and for every catalog entry.
 */
class HfTensorsTest {

    @Test
    void listingMatchesGroundTruthByClass() {
        JsonObject all = SharedFixtures.json(SharedFixtures.groundTruth("hf-architectures.json"));
        int listed = 0;
        for (var e : all.members().entrySet()) {
            JsonObject entry = (JsonObject) e.getValue();
            Optional<List<HfTensor>> tensors =
                    HfTensors.list(entry.getObject("config_diff").orElseThrow());
            if (tensors.isEmpty()) {
                continue;
            }
            Map<String, Long> byClass = new HashMap<>();
            long unique = 0;
            long named = 0;
            for (HfTensor t : tensors.get()) {
                named += t.elements();
                if (t.tiedTo().isEmpty()) {
                    unique += t.elements();
                    byClass.merge(t.moduleClass(), t.elements(), Long::sum);
                }
            }
            Map<String, Long> expected = new HashMap<>();
            entry.getObject("by_class")
                    .orElseThrow()
                    .members()
                    .forEach(
                            (k, v) -> expected.put(k, ((dev.heft.core.json.JsonValue.JsonNumber) v).longValueExact(k)));
            assertThat(byClass).as(e.getKey()).isEqualTo(expected);
            assertThat(unique).as(e.getKey()).isEqualTo(entry.getLong("params", -1));
            assertThat(named).as(e.getKey()).isEqualTo(entry.getLong("params_counting_tied_twice", -1));
            listed++;
        }
        assertThat(listed).isGreaterThanOrEqualTo(9);
    }

    @Test
    void listingAgreesWithTheCountForEveryCatalogDecoder() {
        int listed = 0;
        for (CatalogEntry e : LlmCatalog.all()) {
            Optional<List<HfTensor>> tensors = HfTensors.list(e.config());
            if (tensors.isEmpty()) {
                continue;
            }
            ArchitectureCounts c = e.architecture().counts();
            long unique = tensors.get().stream()
                    .filter(t -> t.tiedTo().isEmpty())
                    .mapToLong(HfTensor::elements)
                    .sum();
            long named = tensors.get().stream().mapToLong(HfTensor::elements).sum();
            assertThat(unique).as(e.id()).isEqualTo(c.parameters());
            assertThat(named).as(e.id()).isEqualTo(c.parametersCountingTiedTwice());
            assertThat(new HashSet<>(tensors.get().stream().map(HfTensor::name).toList()))
                    .as(e.id())
                    .hasSize(tensors.get().size());
            listed++;
        }
        assertThat(listed).isGreaterThanOrEqualTo(40);
    }

    @Test
    void namesFollowTransformers() {
        List<HfTensor> t =
                HfTensors.list(LlmCatalog.find("llama-3.2-1b").config()).orElseThrow();
        assertThat(t.get(0).name()).isEqualTo("model.embed_tokens.weight");
        assertThat(t).anySatisfy(x -> {
            assertThat(x.name()).isEqualTo("model.layers.15.self_attn.k_proj.weight");
            assertThat(x.shape()).containsExactly(512L, 2048L);
        });
        assertThat(t.get(t.size() - 1).tiedTo()).contains("model.embed_tokens.weight");
        assertThat(HfTensors.list(LlmCatalog.find("gpt2").config())).isEmpty();
    }
}
