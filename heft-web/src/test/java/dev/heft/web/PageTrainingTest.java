package dev.heft.web;

import static dev.heft.web.Browser.api;
import static dev.heft.web.Browser.awaitReady;
import static dev.heft.web.Browser.cells;
import static dev.heft.web.Browser.driver;
import static dev.heft.web.Browser.open;
import static dev.heft.web.Browser.shown;
import static dev.heft.web.Browser.waiting;
import static org.assertj.core.api.Assertions.assertThat;

import dev.heft.core.json.JsonValue.JsonObject;
import dev.heft.core.report.Units;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;

/**
 * Training mode is one estimate throughout: the headline, the memory chart's peak marker, the parts table, the
 * training setups table and the fit table all show memory --train's peak for the chosen setup, heft fit --train's
 * verdict says the same number, and no training view shows a KV cache.
 */
@ExtendWith(Browser.class)
class PageTrainingTest {
    @SuppressWarnings("unchecked")
    private static List<String> svgTexts(String chartId) {
        return (List<String>) driver.executeScript(
                "return [...document.querySelectorAll('#' + arguments[0] " + "+ ' svg text')].map(t => t.textContent)",
                chartId);
    }

    private static long usable(String device) {
        return Browser.row(api("devices", "{}"), "devices", "id", device).getLong("usable_bytes", -1);
    }

    @Test
    void chartTableFitAndVerdictShowTheSamePeak() {
        open("model=llama-3-8b&mode=training&method=lora&lora=16&device=rtx-4090&context=2048");
        JsonObject train = api(
                "memory",
                "{\"model\":\"llama-3-8b\",\"train\":true,\"optimizer\":\"adamw\","
                        + "\"recipe\":\"mixed\",\"lora\":\"16\",\"context\":\"2048\",\"batch\":\"1\"}");
        long peak = train.getLong("peak_bytes", -1);
        assertThat(peak).isLessThan(train.getLong("total_bytes", -1)); // the peak, not the sum of the parts
        // The headline and the parts table.
        assertThat(shown("total-bytes")).isEqualTo(peak);
        assertThat(Browser.text("summary")).contains("at peak to train");
        assertThat(shown("memory-peak")).isEqualTo(peak);
        assertThat(shown("memory-total")).isEqualTo(train.getLong("total_bytes", -1));
        // The chart marks the same peak.
        assertThat(svgTexts("memory-chart")).contains("peak " + Units.bytes(peak));
        // The setups table's chosen row.
        String chosen = (String) driver.executeScript("return document.querySelector('#precisions tr.chosen')"
                + ".lastElementChild.previousElementSibling.dataset.value");
        assertThat(Long.parseLong(chosen)).isEqualTo(peak);
        // The fit table: this setup's peak against each device's usable memory.
        long usable = usable("rtx-4090");
        List<String> row = cells("fit").stream()
                .filter(r -> r.getFirst().equals("rtx-4090"))
                .findFirst()
                .orElseThrow();
        assertThat(Long.parseLong(row.get(2))).isEqualTo(peak);
        assertThat(Long.parseLong(row.get(3))).isEqualTo(usable - peak);
        assertThat(shown("fact-peak")).isEqualTo(peak);
        assertThat(Browser.text("verdict-title")).contains(peak <= usable ? "fits on" : "does not fit on");
        // heft fit --train, asked by the page for the same device and options, gives the same number.
        JsonObject fit = api(
                "fit",
                "{\"model\":\"llama-3-8b\",\"train\":true,\"devices\":\"rtx-4090\","
                        + "\"lora\":\"16\",\"context\":\"2048\",\"batch\":\"1\"}");
        String verdict =
                Browser.row(fit, "training_verdicts", "device", "rtx-4090").getString("verdict", "");
        assertThat(verdict)
                .contains(
                        "LoRA r=16 " + (peak <= usable ? "fits (" : "does not fit (needs ") + Units.bytes(peak) + ")");
        assertThat(Browser.text("verdict-engine")).contains(verdict);
        // No KV cache anywhere in training.
        assertThat(svgTexts("memory-chart")).noneMatch(t -> t.contains("KV"));
        assertThat(svgTexts("scaling-memory")).noneMatch(t -> t.contains("KV")).anyMatch(t -> t.startsWith("peak"));
        assertThat(driver.findElements(By.id("kv-cache-bytes"))).isEmpty();
        Browser.shot("training-llama-3-8b-lora.png");
    }

    @Test
    void theTrainingControlsReachTheEstimate() {
        open("model=llama-3.2-1b&mode=training&optimizer=adam8bit&context=2048&device=h100-sxm");
        assertThat(driver.findElement(By.id("training-controls")).isDisplayed()).isTrue();
        assertThat(driver.findElement(By.id("dtype-field")).isDisplayed()).isFalse();
        new Select(driver.findElement(By.id("method"))).selectByValue("qlora");
        awaitReady();
        new Select(driver.findElement(By.id("zero"))).selectByValue("3");
        awaitReady();
        driver.findElement(By.id("gpus")).clear();
        driver.findElement(By.id("gpus")).sendKeys("8\n");
        awaitReady();
        driver.findElement(By.id("checkpointing")).click();
        awaitReady();
        waiting().until(d -> d.getCurrentUrl().contains("checkpointing=1"));
        assertThat(driver.getCurrentUrl())
                .contains("method=qlora")
                .contains("zero=3")
                .contains("gpus=8");
        JsonObject train = api(
                "memory",
                "{\"model\":\"llama-3.2-1b\",\"train\":true,\"optimizer\":\"adam8bit\","
                        + "\"recipe\":\"mixed\",\"lora\":\"16\",\"qlora\":true,\"zero\":\"3\",\"gpus\":\"8\","
                        + "\"checkpointing\":true,\"context\":\"2048\",\"batch\":\"1\"}");
        waiting().until(d -> shown("total-bytes") == train.getLong("peak_bytes", -1));
        assertThat(Browser.text("verdict-lead"))
                .contains("QLoRA r=16")
                .contains("ZeRO-3 over 8 GPUs")
                .contains("checkpointing")
                .contains("per GPU");

        // Back to inference: the request and the URL change, and the KV cache is back.
        driver.findElement(By.id("mode-inference")).click();
        waiting().until(d -> !d.getCurrentUrl().contains("mode=training"));
        awaitReady();
        JsonObject inference = api(
                "memory", "{\"model\":\"llama-3.2-1b\",\"context\":\"2048\",\"batch\":\"1\"," + "\"dtype\":\"bf16\"}");
        waiting().until(d -> shown("total-bytes") == inference.getLong("total_bytes", -1));
        assertThat(shown("kv-cache-bytes")).isEqualTo(inference.getLong("kv_cache_bytes", -1));
    }
}
