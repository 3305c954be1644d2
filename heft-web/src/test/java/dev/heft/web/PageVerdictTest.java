package dev.heft.web;

import static dev.heft.web.Browser.api;
import static dev.heft.web.Browser.driver;
import static dev.heft.web.Browser.open;
import static dev.heft.web.Browser.shown;
import static dev.heft.web.Browser.shownDouble;
import static org.assertj.core.api.Assertions.assertThat;

import dev.heft.core.json.JsonValue;
import dev.heft.core.json.JsonValue.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;

/**
 * The verdict card answers first, for the chosen device at the chosen precision, with the fit endpoint's numbers:
 * whether it fits and by how much, the longest context, tokens/s, the best precision that fits, or how llama.cpp would
 * offload it; and heft fit's own one-line verdict under it.
 */
@ExtendWith(Browser.class)
class PageVerdictTest {
    /** The precisions the page tries for a language model (app.js LLM_PRECISIONS). */
    private static final String TRIED = "fp32,bf16,fp8,int8,Q8_0,Q6_K,Q5_K_M,Q4_K_M,Q4_0,Q3_K_M,IQ4_XS,Q2_K,"
            + "gptq-4bit-g128,awq-4bit-g128,nf4-dq,mxfp4";

    private static JsonObject fitRow(String model, String device, String dtype) {
        return (JsonObject) api(
                        "fit",
                        "{\"model\":\"" + model + "\",\"devices\":\"" + device + "\",\"dtypes\":\"" + dtype
                                + "\",\"context\":\"4096\",\"batch\":\"1\"}")
                .getArray("rows")
                .orElseThrow()
                .get(0);
    }

    private static String outcome() {
        return driver.findElement(By.id("verdict")).getAttribute("data-outcome");
    }

    @Test
    void aModelThatFitsSaysSoWithItsHeadroomContextAndSpeed() {
        open("model=llama-3-8b&dtype=Q4_K_M&device=h100-sxm");
        JsonObject row = fitRow("llama-3-8b", "h100-sxm", "Q4_K_M");
        assertThat(row.getBoolean("fits", false)).isTrue();
        assertThat(outcome()).isEqualTo("fits");
        assertThat(Browser.text("verdict-title")).isEqualTo("\u2714 llama-3-8b at Q4_K_M fits on NVIDIA H100 SXM 80GB");
        assertThat(shown("fact-needs")).isEqualTo(row.getLong("total_bytes", -1));
        assertThat(shown("fact-headroom")).isEqualTo(row.getLong("headroom_bytes", -1));
        assertThat(shown("fact-max-context")).isEqualTo(row.getLong("max_context", -1));
        assertThat(shownDouble("fact-decode")).isEqualTo(Browser.number(row, "decode_tokens_per_s"));
        // Every precision the page tries fits an H100 for an 8B model: the best is the one with the most bits.
        assertThat(driver.findElement(By.id("fact-best")).getAttribute("data-value"))
                .isEqualTo("fp32");
        // heft fit's own sentence for the device.
        JsonObject fit = api(
                "fit",
                "{\"model\":\"llama-3-8b\",\"devices\":\"h100-sxm\",\"dtypes\":\"Q4_K_M,"
                        + TRIED.replace("Q4_K_M,", "") // the chosen precision first, then the others, as the page asks
                        + "\",\"context\":\"4096\",\"batch\":\"1\"}");
        assertThat(Browser.text("verdict-engine"))
                .isEqualTo("heft fit: "
                        + Browser.row(fit, "verdicts", "device", "h100-sxm").getString("verdict", ""));
        Browser.shot("verdict-fits.png");
    }

    @Test
    void aModelThatDoesNotFitGivesTheOffloadPlanAndItsSpeed() {
        open("model=llama-3-70b&dtype=Q4_K_M&device=rtx-4090");
        JsonObject row = fitRow("llama-3-70b", "rtx-4090", "Q4_K_M");
        assertThat(row.getBoolean("fits", true)).isFalse();
        JsonObject plan = row.getObject("offload").orElseThrow();
        assertThat(outcome()).isEqualTo("offloaded");
        assertThat(Browser.text("verdict-title"))
                .contains("llama-3-70b at Q4_K_M does not fit on NVIDIA GeForce RTX " + "4090 24GB");
        assertThat(Browser.text("verdict-more"))
                .contains("Offload: " + plan.getLong("gpu_layers", -1) + " of " + plan.getLong("total_layers", -1)
                        + " layers on the GPU")
                .contains(plan.getString("flags", "?"));
        assertThat(shownDouble("fact-decode")).isEqualTo(Browser.number(row, "decode_tokens_per_s"));
        assertThat(shown("fact-headroom"))
                .isEqualTo(row.getLong("headroom_bytes", 1))
                .isNegative();
        assertThat(Browser.text("fact-max-context")).isEqualTo("does not fit");
        // Not even Q2_K fits a 24 GB card at 4k: the fit endpoint finds no precision that fits, and the card says so.
        JsonObject all = api(
                "fit",
                "{\"model\":\"llama-3-70b\",\"devices\":\"rtx-4090\",\"dtypes\":\"" + TRIED
                        + "\",\"context\":\"4096\",\"batch\":\"1\"}");
        assertThat(all.getArray("rows").orElseThrow().elements())
                .noneMatch(r -> ((JsonObject) r).getBoolean("fits", true));
        assertThat(Browser.text("fact-best")).isEqualTo("none fits");
        Browser.shot("verdict-offloaded.png");
    }

    @Test
    void aModelThatCannotRunSaysWhyAndWhatWouldFit() {
        // bf16 on a GPU runs under PyTorch, which does not offload: no speed, and the smaller precisions that fit.
        open("model=llama-3-8b&dtype=fp32&device=rtx-4090&context=8k");
        JsonObject row = (JsonObject) api(
                        "fit",
                        "{\"model\":\"llama-3-8b\",\"devices\":\"rtx-4090\",\"dtypes\":"
                                + "\"fp32\",\"context\":\"8k\",\"batch\":\"1\"}")
                .getArray("rows")
                .orElseThrow()
                .get(0);
        assertThat(row.getBoolean("fits", true)).isFalse();
        assertThat(row.get("decode_tokens_per_s").orElseThrow()).isInstanceOf(JsonValue.JsonNull.class);
        assertThat(outcome()).isEqualTo("does_not_fit");
        assertThat(Browser.text("verdict-title")).contains("llama-3-8b at fp32 does not fit on");
        assertThat(Browser.text("fact-decode")).isEqualTo("no speed");
        assertThat(Browser.text("verdict-more")).contains("No speed: " + row.getString("no_speed_reason", "?"));
        // What does fit: the fit endpoint's best precision for this device.
        JsonObject bf16 = (JsonObject) api(
                        "fit",
                        "{\"model\":\"llama-3-8b\",\"devices\":\"rtx-4090\",\"dtypes\":"
                                + "\"bf16\",\"context\":\"8k\",\"batch\":\"1\"}")
                .getArray("rows")
                .orElseThrow()
                .get(0);
        assertThat(bf16.getBoolean("fits", false)).isTrue();
        assertThat(driver.findElement(By.id("fact-best")).getAttribute("data-value"))
                .isEqualTo("bf16");
        assertThat(Browser.text("verdict-more")).contains("the best quality that fits is bf16");
    }
}
