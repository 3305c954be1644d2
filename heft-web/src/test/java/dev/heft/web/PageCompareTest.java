package dev.heft.web;

import static dev.heft.web.Browser.api;
import static dev.heft.web.Browser.cells;
import static dev.heft.web.Browser.driver;
import static dev.heft.web.Browser.open;
import static org.assertj.core.api.Assertions.assertThat;

import dev.heft.core.json.JsonValue.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Compare reads as two models side by side: grouped bars with one colour per model named in a legend, and a table
 * with each model's fit and speed on the chosen device (the fit endpoint's numbers).
 */
@ExtendWith(Browser.class)
class PageCompareTest {
    @Test
    void groupedBarsHaveOneColourPerModelAndALegend() {
        open("model=llama-3.2-1b&dtype=Q4_K_M&compare=qwen2.5-7b&device=rtx-4090");
        // A chosen comparison comes right after the answer, above the single-model views.
        assertThat(driver.findElement(org.openqa.selenium.By.id("compare-section"))
                        .getLocation()
                        .getY())
                .isLessThan(driver.findElement(org.openqa.selenium.By.id("memory-section"))
                        .getLocation()
                        .getY());
        for (String chart : new String[] {"compare-chart", "compare-memory-chart"}) {
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> legend = (List<Map<String, Object>>) driver.executeScript(
                    "return [...document.querySelectorAll('#' + arguments[0] + ' svg text.legend')].map(t => ({text: "
                            + "t.textContent, cls: t.previousElementSibling.getAttribute('class')}))",
                    chart);
            assertThat(legend).extracting(m -> m.get("text")).containsExactly("llama-3.2-1b", "qwen2.5-7b");
            // Every bar of a model has that model's legend colour; the two colours differ.
            @SuppressWarnings("unchecked")
            List<String> bars = (List<String>) driver.executeScript(
                    "return [...document.querySelectorAll('#' + "
                            + "arguments[0] + ' svg rect.bar')].map(r => r.getAttribute('class') + '|' + "
                            + "r.querySelector('title').textContent)",
                    chart);
            assertThat(bars).isNotEmpty();
            for (String b : bars) {
                String cls = b.substring(0, b.indexOf('|'));
                String model = b.contains(", llama-3.2-1b:") ? "llama-3.2-1b" : "qwen2.5-7b";
                assertThat(cls)
                        .as(b)
                        .contains(legend.get(model.equals("llama-3.2-1b") ? 0 : 1)
                                .get("cls")
                                .toString());
            }
            assertThat(legend.get(0).get("cls")).isNotEqualTo(legend.get(1).get("cls"));
        }
        // The table's fit and speed rows are the fit endpoint's for each model on the chosen device.
        List<List<String>> rows = cells("compare-table");
        for (int col = 1; col <= 2; col++) {
            String model = col == 1 ? "llama-3.2-1b" : "qwen2.5-7b";
            JsonObject row = (JsonObject) api(
                            "fit",
                            "{\"model\":\"" + model + "\",\"devices\":\"rtx-4090\","
                                    + "\"dtypes\":\"Q4_K_M\",\"context\":\"4096\",\"batch\":\"1\"}")
                    .getArray("rows")
                    .orElseThrow()
                    .get(0);
            int c = col;
            assertThat(rows.stream()
                            .filter(r -> r.getFirst().equals("fits on rtx-4090"))
                            .findFirst()
                            .orElseThrow()
                            .get(c))
                    .isEqualTo(row.getBoolean("fits", false) ? "yes" : "no");
            assertThat(Double.parseDouble(rows.stream()
                            .filter(r -> r.getFirst().equals("decode tok/s on rtx-4090"))
                            .findFirst()
                            .orElseThrow()
                            .get(c)))
                    .isEqualTo(Browser.number(row, "decode_tokens_per_s"));
            assertThat(Long.parseLong(rows.stream()
                            .filter(r -> r.getFirst().equals("headroom on rtx-4090"))
                            .findFirst()
                            .orElseThrow()
                            .get(c)))
                    .isEqualTo(row.getLong("headroom_bytes", -1));
        }
        Browser.shot("compare-llama-3.2-1b-qwen2.5-7b.png");
    }
}
