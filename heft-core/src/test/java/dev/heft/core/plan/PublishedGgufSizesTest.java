package dev.heft.core.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heft.core.model.ModelProfile;
import dev.heft.core.model.ModelResolver;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * llama.cpp plans for DeepSeek-V2-Lite (MLA, 64 routed experts of 1408, 2 shared, a dense first layer) against the
 * GGUF files mradermacher published from it with llama-quantize (https://huggingface.co/mradermacher/DeepSeek-V2-Lite-GGUF,
 * "Files and versions": sizes in GB as the Hub prints them, three significant digits). A file also holds its
 * metadata (the 102,400-token vocabulary and merges, a few MB), which a plan of tensor bytes does not count, so each
 * plan must fall within the printed size's rounding interval, widened by 10 MB below.
 */
class PublishedGgufSizesTest {

    private static final Map<String, Double> PUBLISHED_GB = Map.ofEntries(
            Map.entry("Q2_K", 6.43),
            Map.entry("Q3_K_S", 7.49),
            Map.entry("Q3_K_M", 8.13),
            Map.entry("Q3_K_L", 8.46),
            Map.entry("IQ4_XS", 8.65),
            Map.entry("Q4_K_S", 9.53),
            Map.entry("Q4_K_M", 10.4),
            Map.entry("Q5_K_S", 11.1),
            Map.entry("Q5_K_M", 11.9),
            Map.entry("Q6_K", 14.1),
            Map.entry("Q8_0", 16.7));

    @Test
    void deepSeekV2LitePlansMatchThePublishedFiles() {
        ModelProfile m = ModelProfile.of(ModelResolver.catalog("deepseek-v2-lite"));
        PUBLISHED_GB.forEach((type, gb) -> {
            double half = gb >= 10 ? 0.05 : 0.005;
            double planned = WeightPlan.of(m, type).bytes() / 1e9;
            assertThat(planned).as(type).isBetween(gb - half - 0.010, gb + half);
        });
    }
}
