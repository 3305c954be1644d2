package dev.heft.core.arch.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.heft.core.arch.ArchitectureCounts;
import dev.heft.core.arch.hf.HfArchitecture;
import dev.heft.core.arch.hf.HfArchitectures;
import dev.heft.core.error.InvalidInputException;
import dev.heft.core.json.JsonValue;
import dev.heft.core.json.JsonValue.JsonObject;
import dev.heft.core.testing.SharedFixtures;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class LlmCatalogTest {

    @Test
    void coversTheRequiredModelsWithSimpleUniqueIds() {
        List<CatalogEntry> all = LlmCatalog.all();
        assertThat(all).hasSizeGreaterThanOrEqualTo(40);
        Set<String> ids = all.stream().map(CatalogEntry::id).collect(Collectors.toSet());
        assertThat(ids).hasSameSizeAs(all);
        assertThat(ids).allMatch(id -> id.matches("[a-z0-9][a-z0-9.\\-]*"));
        assertThat(ids)
                .contains(
                        "llama-2-7b",
                        "llama-2-13b",
                        "llama-2-70b",
                        "llama-3-8b",
                        "llama-3-70b",
                        "llama-3.1-8b",
                        "llama-3.1-70b",
                        "llama-3.1-405b",
                        "llama-3.2-1b",
                        "llama-3.2-3b",
                        "llama-3.3-70b",
                        "mistral-7b-v0.1",
                        "mistral-7b-v0.3",
                        "mistral-nemo",
                        "mixtral-8x7b",
                        "mixtral-8x22b",
                        "qwen2.5-0.5b",
                        "qwen2.5-72b",
                        "qwen3-0.6b",
                        "qwen3-32b",
                        "qwen3-30b-a3b",
                        "qwen3-235b-a22b",
                        "qwen1.5-moe-a2.7b",
                        "gemma-2b",
                        "gemma-7b",
                        "gemma-2-2b",
                        "gemma-2-9b",
                        "gemma-2-27b",
                        "gemma-3-1b",
                        "phi-2",
                        "phi-3-mini-4k",
                        "phi-3-medium-4k",
                        "phi-4",
                        "deepseek-v2-lite",
                        "deepseek-v2",
                        "deepseek-v3",
                        "gpt-oss-20b",
                        "gpt-oss-120b",
                        "gpt2",
                        "gpt2-medium",
                        "gpt2-large",
                        "gpt2-xl",
                        "pythia-70m",
                        "opt-125m",
                        "opt-1.3b",
                        "opt-6.7b",
                        "falcon-7b",
                        "falcon-40b",
                        "bloom-560m",
                        "bloom-7b1",
                        "mamba-130m",
                        "mamba-2.8b",
                        "bert-base-uncased",
                        "bert-large-uncased",
                        "roberta-base",
                        "roberta-large",
                        "distilbert-base-uncased",
                        "albert-base-v2",
                        "t5-small",
                        "t5-base",
                        "t5-large",
                        "bart-base",
                        "bart-large",
                        "whisper-tiny",
                        "whisper-base",
                        "whisper-small",
                        "whisper-medium",
                        "whisper-large-v3",
                        "vit-base-patch16-224");
    }

    @Test
    void everyEntryComputesAndStoresNoTotals() {
        for (CatalogEntry e : LlmCatalog.all()) {
            HfArchitecture a = e.architecture();
            assertThat(a.counts().parameters()).as(e.id()).isPositive();
            assertThat(a.shape().matmulParametersPerToken()).as(e.id()).isPositive();
            assertThat(e.source()).as(e.id()).startsWith("https://");
            assertThat(e.config().members().keySet())
                    .as(e.id())
                    .noneMatch(k -> k.contains("num_parameters") || k.equals("params") || k.equals("total_params"));
        }
    }

    /**
     * Catalog configs are the published files; the ground truth was built with the Auto class of its entry. Where a
     * published config names a task head (bert-base-uncased: BertForMaskedLM) but the ground truth used AutoModel,
     * the comparison drops {@code architectures} so the same class is built.
     */
    @Test
    void entriesWithGroundTruthMatchIt() {
        JsonObject truth = SharedFixtures.json(SharedFixtures.groundTruth("hf-architectures.json"));
        int compared = 0;
        for (Map.Entry<String, JsonValue> t : truth.members().entrySet()) {
            if (LlmCatalog.lookup(t.getKey()).isEmpty()) {
                continue;
            }
            JsonObject expected = (JsonObject) t.getValue();
            JsonObject config = LlmCatalog.find(t.getKey()).config();
            HfArchitecture a = HfArchitectures.count(config);
            if (!a.modelClass().equals(expected.getString("model_class", null))) {
                Map<String, JsonValue> stripped = new LinkedHashMap<>(config.members());
                stripped.remove("architectures");
                a = HfArchitectures.count(new JsonObject(stripped));
            }
            assertThat(a.modelClass()).as(t.getKey()).isEqualTo(expected.getString("model_class", null));
            ArchitectureCounts c = a.counts();
            assertThat(c.parameters()).as(t.getKey()).isEqualTo(expected.getLong("params", -1));
            assertThat(c.parametersCountingTiedTwice())
                    .as(t.getKey())
                    .isEqualTo(expected.getLong("params_counting_tied_twice", -1));
            assertThat(c.buffers()).as(t.getKey()).isEqualTo(expected.getLong("buffers", -1));
            Map<String, Long> byClass = new LinkedHashMap<>();
            expected.getObject("by_class")
                    .orElseThrow()
                    .members()
                    .forEach((k, v) -> byClass.put(k, ((JsonValue.JsonNumber) v).longValueExact(k)));
            assertThat(c.byClass()).as(t.getKey()).containsExactlyInAnyOrderEntriesOf(byClass);
            compared++;
        }
        assertThat(compared).isEqualTo(truth.members().size());
    }

    /**
     * Llama 4 Scout and Maverick against transformers 5.18 building Llama4ForConditionalGeneration from these very
     * entries' configs (scripts/hf_family_counts.py cases llama4-scout-catalog and llama4-maverick-catalog read the
     * catalog file): every parameter, and the per-class split.
     */
    @Test
    void llama4EntriesMatchTransformers() throws java.io.IOException {
        JsonObject cases;
        try (var in = LlmCatalogTest.class.getResourceAsStream("/dev/heft/core/arch/hf/hf-family-counts.json")) {
            cases = dev.heft.core.json.Json.parse(in.readAllBytes())
                    .asObject("hf-family-counts.json")
                    .getObject("cases")
                    .orElseThrow();
        }
        Map<String, String> entries = Map.of(
                "llama-4-scout-17b-16e", "llama4-scout-catalog",
                "llama-4-maverick-17b-128e", "llama4-maverick-catalog");
        for (Map.Entry<String, String> e : entries.entrySet()) {
            JsonObject expected = cases.getObject(e.getValue()).orElseThrow();
            HfArchitecture a = LlmCatalog.find(e.getKey()).architecture();
            assertThat(a.exact()).as(e.getKey()).isTrue();
            assertThat(a.modelClass()).as(e.getKey()).isEqualTo(expected.getString("model_class", null));
            assertThat(a.counts().parameters()).as(e.getKey()).isEqualTo(expected.getLong("params", -1));
            Map<String, Long> byClass = new LinkedHashMap<>();
            expected.getObject("by_class")
                    .orElseThrow()
                    .members()
                    .forEach((k, v) -> byClass.put(k, ((JsonValue.JsonNumber) v).longValueExact(k)));
            assertThat(a.counts().byClass()).as(e.getKey()).containsExactlyInAnyOrderEntriesOf(byClass);
        }
        // Meta's model cards (huggingface.co/meta-llama/Llama-4-Scout-17B-16E): 109B and 400B total parameters.
        assertThat((double) LlmCatalog.find("llama-4-scout-17b-16e")
                        .architecture()
                        .counts()
                        .parameters())
                .isCloseTo(109e9, org.assertj.core.data.Percentage.withPercentage(1));
        assertThat((double) LlmCatalog.find("llama-4-maverick-17b-128e")
                        .architecture()
                        .counts()
                        .parameters())
                .isCloseTo(400e9, org.assertj.core.data.Percentage.withPercentage(1));
    }

    @Test
    void findIsCaseInsensitiveAndSuggestsOnAMiss() {
        assertThat(LlmCatalog.find("Llama-3-8B").id()).isEqualTo("llama-3-8b");
        assertThatThrownBy(() -> LlmCatalog.find("llama3-8b"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("unknown model 'llama3-8b'")
                .hasMessageContaining("did you mean")
                .hasMessageContaining("llama-3-8b");
        assertThatThrownBy(() -> LlmCatalog.find("mixtral8x7b")).hasMessageContaining("mixtral-8x7b");
    }

    @Test
    void deepSeekV3ReportsItsMultiTokenPredictionLayerApart() {
        HfArchitecture a = LlmCatalog.find("deepseek-v3").architecture();
        assertThat(a.checkpointOnlyParameters()).isPositive();
        assertThat(a.checkpointParameters()).isEqualTo(a.counts().parameters() + a.checkpointOnlyParameters());
        assertThat(a.counts().notes()).anyMatch(n -> n.contains("multi-token-prediction"));
    }
}
