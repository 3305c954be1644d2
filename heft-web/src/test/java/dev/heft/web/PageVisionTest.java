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
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;

/**
 * Vision models are in the picker and have their own page: parameters by layer kind, FLOPs of a forward pass at the
 * model's input, weights at the precisions a network is stored in, and the fit table, with torchvision's numbers
 * (ground-truth/vision-models.json: parameters, FlopCounterMode FLOPs); no context, KV cache or tokens/s.
 */
@ExtendWith(Browser.class)
class PageVisionTest {
    private static final JsonObject RESNET50 = Browser.sharedJson("ground-truth/vision-models.json")
            .getObject("tv:resnet50")
            .orElseThrow();

    @Test
    void resnet50HasItsOwnViewsWithTorchvisionsNumbers() {
        open("model=resnet50&device=rtx-4090");
        assertThat(shown("param-count")).isEqualTo(RESNET50.getLong("params", -1));
        // The forward pass, as FlopCounterMode counts it, at torchvision's input.
        assertThat(driver.findElement(By.id("vision-section")).isDisplayed()).isTrue();
        assertThat(Browser.text("vision-facts")).contains("8.18 GFLOP").contains("1 \u00d7 3 \u00d7 224 \u00d7 224");
        assertThat(RESNET50.getLong("flops_total", -1)).isEqualTo(8_178_368_512L);
        // Weights as stored (fp32): four bytes per torchvision parameter.
        assertThat(shown("weights-bytes")).isEqualTo(4 * RESNET50.getLong("params", -1));
        // Layer kinds: the estimate's, which sum to torchvision's count.
        long sum =
                cells("kinds").stream().mapToLong(r -> Long.parseLong(r.get(1))).sum();
        assertThat(sum).isEqualTo(RESNET50.getLong("params", -1));
        // No transformer views: no context, no training, no scaling, no tokens/s; only a network's precisions.
        assertThat(driver.findElement(By.id("context-field")).isDisplayed()).isFalse();
        assertThat(driver.findElement(By.id("mode-training")).isEnabled()).isFalse();
        assertThat(driver.findElement(By.id("scaling-section")).isDisplayed()).isFalse();
        assertThat(driver.findElement(By.cssSelector("#fit thead")).getText()).doesNotContain("tok/s");
        List<String> options = driver.findElements(By.cssSelector("#dtype option")).stream()
                .map(o -> o.getAttribute("value"))
                .toList();
        assertThat(options).contains("fp32", "bf16", "int8").doesNotContain("Q4_K_M");
        // The verdict is the fit endpoint's for the device.
        JsonObject row = (JsonObject)
                api("fit", "{\"model\":\"resnet50\",\"devices\":\"rtx-4090\",\"dtypes\":" + "\"fp32\",\"batch\":\"1\"}")
                        .getArray("rows")
                        .orElseThrow()
                        .get(0);
        assertThat(Browser.text("verdict-title")).contains("resnet50 at fp32 fits on NVIDIA GeForce RTX 4090");
        assertThat(shown("fact-needs")).isEqualTo(row.getLong("total_bytes", -1));
        Browser.shot("vision-resnet50.png");
    }

    @Test
    void visionModelsAreInThePickerUnderTheirOwnHeading() {
        open("");
        driver.findElement(By.id("model")).click();
        driver.findElement(By.id("model")).sendKeys("vit_b");
        waiting()
                .until(d -> !d.findElements(By.cssSelector("#model-list [role=option]"))
                        .isEmpty());
        assertThat(driver.findElement(By.id("model-list")).getText())
                .contains("VISION MODELS")
                .contains("vit_b_16");
        driver.findElement(By.id("model")).sendKeys(org.openqa.selenium.Keys.ENTER);
        waiting().until(d -> d.getCurrentUrl().contains("model=vit_b_16"));
        awaitReady();
        JsonObject vit = Browser.sharedJson("ground-truth/vision-models.json")
                .getObject("tv:vit_b_16")
                .orElseThrow();
        assertThat(shown("param-count")).isEqualTo(vit.getLong("params", -1));
    }
}
