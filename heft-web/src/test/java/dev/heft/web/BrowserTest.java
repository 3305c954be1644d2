package dev.heft.web;

import static dev.heft.web.Browser.api;
import static dev.heft.web.Browser.awaitReady;
import static dev.heft.web.Browser.cells;
import static dev.heft.web.Browser.driver;
import static dev.heft.web.Browser.open;
import static dev.heft.web.Browser.shown;
import static dev.heft.web.Browser.waiting;
import static org.assertj.core.api.Assertions.assertThat;

import dev.heft.core.json.JsonValue;
import dev.heft.core.json.JsonValue.JsonObject;
import dev.heft.core.report.Units;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The page in real headless Chromium: the numbers it shows must be the API's numbers (which ApiTest holds to the
 * CLI's and to the real libraries'), and its state must live in the URL.
 */
@ExtendWith(Browser.class)
class BrowserTest {
    /** The fit table's columns (inference): device, fits, needs, usable, headroom, longest context, decode, prefill. */
    static final int DECODE = 6;

    @Test
    void sharedUrlOpensTheSameResultTheApiGives() {
        open("model=llama-3-8b&dtype=q4_k_m&context=8192&devices=h100-sxm,rtx-4090");
        // The fit table holds the devices the URL chose, with the fit endpoint's speeds.
        JsonObject fit = api(
                "fit",
                "{\"model\":\"llama-3-8b\",\"context\":\"8192\",\"batch\":\"1\","
                        + "\"dtypes\":\"q4_k_m\",\"devices\":\"h100-sxm,rtx-4090\"}");
        List<List<String>> rows = cells("fit");
        assertThat(rows).hasSize(2);
        for (int i = 0; i < 2; i++) {
            JsonObject row = (JsonObject) fit.getArray("rows").orElseThrow().get(i);
            assertThat(rows.get(i).getFirst()).isEqualTo(row.getString("device", ""));
            assertThat(Double.parseDouble(rows.get(i).get(DECODE)))
                    .isEqualTo(Browser.number(row, "decode_tokens_per_s"));
        }
        JsonObject mem = api(
                "memory", "{\"model\":\"llama-3-8b\",\"dtype\":\"q4_k_m\",\"context\":\"8192\"," + "\"batch\":\"1\"}");
        assertThat(shown("total-bytes")).isEqualTo(mem.getLong("total_bytes", -1));
        assertThat(Browser.text("total-bytes")).isEqualTo(Units.bytes(mem.getLong("total_bytes", -1)));
        assertThat(shown("weights-bytes")).isEqualTo(mem.getLong("weights_bytes", -1));
        assertThat(shown("kv-cache-bytes")).isEqualTo(mem.getLong("kv_cache_bytes", -1));
        // transformers' own count for Meta-Llama-3-8B (ground-truth/hf-architectures.json).
        assertThat(shown("param-count")).isEqualTo(8_030_261_248L);
        assertThat(new Select(driver.findElement(By.id("dtype")))
                        .getFirstSelectedOption()
                        .getAttribute("value"))
                .isEqualTo("Q4_K_M");
        Browser.shot("page-llama-3-8b-q4_k_m.png");
    }

    @Test
    void choosingModelPrecisionAndContextShowsTheApisNumbersAndUpdatesTheUrl() {
        open("");
        Browser.choose("model", "mistral-7b-v0.1");
        waiting().until(d -> d.getCurrentUrl().contains("model=mistral-7b-v0.1"));
        awaitReady();
        new Select(driver.findElement(By.id("dtype"))).selectByValue("Q8_0");
        awaitReady();
        WebElement context = driver.findElement(By.id("context"));
        context.clear();
        context.sendKeys("16384", Keys.ENTER);
        waiting().until(d -> d.getCurrentUrl().contains("context=16384"));
        awaitReady();
        assertThat(driver.getCurrentUrl()).contains("model=mistral-7b-v0.1").contains("dtype=Q8_0");

        String opts = "\"model\":\"mistral-7b-v0.1\",\"context\":\"16384\",\"batch\":\"1\"";
        JsonObject mem = api("memory", "{" + opts + ",\"dtype\":\"Q8_0\"}");
        waiting().until(d -> shown("total-bytes") == mem.getLong("total_bytes", -1));
        assertThat(Browser.text("total-bytes")).isEqualTo(Units.bytes(mem.getLong("total_bytes", -1)));
        // transformers' count for Mistral-7B-v0.1.
        assertThat(shown("param-count")).isEqualTo(7_241_732_096L);

        // The layer-kind table is the estimate's by_kind.
        JsonObject byKind = api("estimate", "{\"model\":\"mistral-7b-v0.1\"}")
                .getObject("by_kind")
                .orElseThrow();
        List<List<String>> kinds = cells("kinds");
        assertThat(kinds).hasSize(byKind.members().size());
        for (List<String> row : kinds) {
            assertThat(Long.parseLong(row.get(1))).isEqualTo(byKind.getLong(row.getFirst(), -1));
        }

        // The fit table's tokens/s are the fit endpoint's.
        JsonObject fit = api("fit", "{" + opts + ",\"dtypes\":\"Q8_0\"}");
        Map<String, String> decode = new HashMap<>();
        for (List<String> row : cells("fit")) {
            decode.put(row.getFirst(), row.get(DECODE));
        }
        int compared = 0;
        for (JsonValue v : fit.getArray("rows").orElseThrow().elements()) {
            JsonObject r = (JsonObject) v;
            if (r.get("decode_tokens_per_s").orElseThrow() instanceof JsonValue.JsonNumber n) {
                assertThat(Double.parseDouble(decode.get(r.getString("device", ""))))
                        .as(r.getString("device", ""))
                        .isEqualTo(n.value().doubleValue());
                compared++;
            }
        }
        assertThat(compared).isGreaterThan(5);
        Browser.shot("page-mistral-q8_0-16k.png");
    }

    @Test
    void aPastedConfigIsCountedLikeTransformers() {
        JsonObject truth = Browser.sharedJson("ground-truth/hf-architectures.json")
                .getObject("gpt2")
                .orElseThrow();
        String config = dev.heft.core.json.JsonWriter.write(
                ApiTest.toPlain(truth.getObject("config_diff").orElseThrow()));
        open("");
        driver.findElement(By.cssSelector("#config-box summary")).click();
        driver.executeScript("document.getElementById('config').value = arguments[0]", config);
        driver.findElement(By.id("config-use")).click();
        waiting().until(d -> d.getCurrentUrl().contains("config="));
        waiting()
                .until(d -> "ready".equals(d.findElement(By.id("status")).getAttribute("data-state"))
                        && shown("param-count") == truth.getLong("params", -2));
        // The shared URL reopens the same result.
        open(driver.getCurrentUrl().substring(driver.getCurrentUrl().indexOf('?') + 1));
        assertThat(shown("param-count")).isEqualTo(truth.getLong("params", -2));
    }

    @Test
    void anUnknownModelInTheUrlSaysSoInsteadOfDrawingEmptySections() {
        driver.get(Browser.server.url() + "?model=no-such-model");
        waiting().until(d -> "error".equals(d.findElement(By.id("status")).getAttribute("data-state")));
        assertThat(Browser.text("status")).contains("no-such-model").contains("not in the catalog");
    }
}
