package dev.heft.core.arch.hf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heft.core.json.JsonValue;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code architectures} picks the head; the differences between heads are the head modules of modeling_bert.py /
 * modeling_vit.py / modeling_t5.py written out by hand.
 */
class HeadSelectionTest {
    private static JsonValue archs(String name) {
        return new JsonValue.JsonArray(List.of(new JsonValue.JsonString(name)));
    }

    @Test
    void bertHeads() {
        long h = 768;
        long v = 30522;
        HfArchitecture base = Configs.of("bert").count();
        HfArchitecture mlm = Configs.of("bert")
                .put("architectures", archs("BertForMaskedLM"))
                .count();
        HfArchitecture pre = Configs.of("bert")
                .put("architectures", archs("BertForPreTraining"))
                .count();
        HfArchitecture cls = Configs.of("bert")
                .put("architectures", archs("BertForSequenceClassification"))
                .put("num_labels", 3)
                .count();
        long pooler = h * h + h;
        long transform = h * h + h + 2 * h;
        assertThat(base.modelClass()).isEqualTo("BertModel");
        assertThat(mlm.modelClass()).isEqualTo("BertForMaskedLM");
        // MLM drops the pooler, adds transform (dense + LayerNorm) and the decoder bias; the decoder weight is tied
        assertThat(mlm.counts().parameters()).isEqualTo(base.counts().parameters() - pooler + transform + v);
        assertThat(mlm.counts().parametersCountingTiedTwice())
                .isEqualTo(mlm.counts().parameters() + v * h + v);
        // pre-training keeps the pooler and adds the next-sentence head
        assertThat(pre.counts().parameters()).isEqualTo(mlm.counts().parameters() + pooler + 2 * h + 2);
        assertThat(cls.counts().parameters()).isEqualTo(base.counts().parameters() + 3 * h + 3);
    }

    @Test
    void vitClassifierReplacesThePooler() {
        HfArchitecture base = Configs.of("vit").count();
        HfArchitecture cls = Configs.of("vit")
                .put("architectures", archs("ViTForImageClassification"))
                .put("num_labels", 1000)
                .count();
        assertThat(cls.modelClass()).isEqualTo("ViTForImageClassification");
        assertThat(cls.counts().parameters())
                .isEqualTo(base.counts().parameters() - (768 * 768 + 768) + 768 * 1000 + 1000);
    }

    @Test
    void seq2seqWithoutArchitecturesBuildsTheGenerationModel() {
        assertThat(Configs.of("t5").count().modelClass()).isEqualTo("T5ForConditionalGeneration");
        HfArchitecture bare =
                Configs.of("bart").put("architectures", archs("BartModel")).count();
        HfArchitecture gen = Configs.of("bart").count();
        assertThat(bare.modelClass()).isEqualTo("BartModel");
        assertThat(gen.counts().parameters()).isEqualTo(bare.counts().parameters()); // lm_head tied to shared
        assertThat(gen.counts().buffers()).isEqualTo(bare.counts().buffers() + 50265); // final_logits_bias
    }

    @Test
    void anUnmodelledHeadCountsTheBaseModelAndSaysSo() {
        HfArchitecture mc = Configs.of("bert")
                .put("architectures", archs("BertForMultipleChoice"))
                .count();
        assertThat(mc.modelClass()).isEqualTo("BertModel");
        assertThat(mc.counts().parameters())
                .isEqualTo(Configs.of("bert").count().counts().parameters());
        assertThat(mc.counts().notes()).anyMatch(n -> n.contains("BertForMultipleChoice"));
        HfArchitecture cls = Configs.of("bart")
                .put("architectures", archs("BartForSequenceClassification"))
                .count();
        assertThat(cls.modelClass()).isEqualTo("BartModel");
        assertThat(cls.counts().notes()).anyMatch(n -> n.contains("BartForSequenceClassification"));
    }
}
