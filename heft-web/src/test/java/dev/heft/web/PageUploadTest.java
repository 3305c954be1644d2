package dev.heft.web;

import static dev.heft.web.Browser.awaitReady;
import static dev.heft.web.Browser.cells;
import static dev.heft.web.Browser.driver;
import static dev.heft.web.Browser.shown;
import static dev.heft.web.Browser.waiting;
import static org.assertj.core.api.Assertions.assertThat;

import dev.heft.core.api.Heft;
import dev.heft.core.api.Model;
import dev.heft.core.api.request.FitRequest;
import dev.heft.core.api.request.MemoryRequest;
import dev.heft.core.api.request.Optimizer;
import dev.heft.core.api.request.Recipe;
import dev.heft.core.api.request.Runtime;
import dev.heft.core.api.request.TrainingRequest;
import dev.heft.core.api.request.Workload;
import dev.heft.core.json.Json;
import dev.heft.core.json.JsonValue;
import dev.heft.core.json.JsonValue.JsonObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;

/**
 * A local file's header, read in the browser, becomes the page's model in every view: the upload summary, the verdict,
 * memory, where the parameters sit, the precision table (its stored precision as "as stored"), fit, context scaling,
 * training and compare. Its numbers are gguf-py's and transformers' ({@code fixtures/gguf/expected.json},
 * {@code fixtures/hf/expected.json}) and, for each view, what the library answers for the same file opened from disk.
 */
@ExtendWith(Browser.class)
class PageUploadTest {
    private static final Path GGUF = Browser.shared("fixtures/gguf/tiny-llama-Q4_K_M.gguf");

    private static JsonObject ggufTruth() {
        return Browser.sharedJson("fixtures/gguf/expected.json")
                .getObject("files")
                .orElseThrow()
                .getObject("tiny-llama-Q4_K_M.gguf")
                .orElseThrow();
    }

    static void upload(Path file) {
        if (!"true".equals(driver.findElement(By.id("file-box")).getAttribute("open"))) {
            driver.findElement(By.cssSelector("#file-box summary")).click();
        }
        driver.findElement(By.id("model-file")).sendKeys(file.toString());
        Browser.until(d -> "ready".equals(d.findElement(By.id("upload-section")).getAttribute("data-state"))
                && d.findElement(By.id("verdict-title"))
                        .getText()
                        .contains(file.getFileName().toString()));
        awaitReady();
    }

    private static JsonObject json(dev.heft.core.api.report.Report r) {
        return (JsonObject) Json.parse(ApiTest.cli(r));
    }

    @Test
    void anUploadedGgufHeaderFlowsIntoEveryView() throws IOException {
        JsonObject truth = ggufTruth();
        long elements = truth.getLong("total_elements", -1);
        long tensorBytes = truth.getLong("tensor_data_bytes", -1);
        long declared = truth.getObject("metadata").orElseThrow().getLong("llama.context_length", -1);
        Browser.open("context=" + declared + "&device=rtx-4090&compare=llama-3.2-1b");
        upload(GGUF);
        Model disk = Heft.create().open(GGUF);
        Workload w = Workload.defaults().withContext(declared);

        // The upload: gguf-py's element count; only the header left the browser.
        assertThat(shown("upload-parameters")).isEqualTo(elements);
        assertThat(shown("upload-tensor-bytes")).isEqualTo(tensorBytes);
        assertThat(Browser.text("upload-summary"))
                .contains(String.format(
                        Locale.US, "%,d of %,d bytes read", Math.min(1 << 20, Files.size(GGUF)), Files.size(GGUF)));
        // The headline and the memory parts: the file as stored (every tensor's bytes, gguf-py's sum).
        assertThat(shown("param-count")).isEqualTo(elements);
        assertThat(shown("weights-bytes")).isEqualTo(tensorBytes);
        long total = disk.memory(MemoryRequest.defaults().withDtype("native").withWorkload(w))
                .totalBytes();
        assertThat(shown("total-bytes")).isEqualTo(total);
        assertThat(new Select(driver.findElement(By.id("dtype")))
                        .getFirstSelectedOption()
                        .getText())
                .startsWith("as stored");
        // The verdict is about the upload.
        assertThat(Browser.text("verdict-title"))
                .contains("tiny-llama-Q4_K_M.gguf")
                .contains("fits on NVIDIA GeForce " + "RTX 4090");
        assertThat(shown("fact-needs"))
                .isEqualTo(disk.fit(FitRequest.defaults()
                                .withDevices(List.of("rtx-4090"))
                                .withDtypes(List.of("native"))
                                .withWorkload(w))
                        .rows()
                        .getFirst()
                        .totalBytes());
        // Where the parameters sit: the header's own accounting.
        JsonObject byKind = json(disk.inspect()).getObject("by_kind").orElseThrow();
        List<List<String>> kinds = cells("kinds");
        assertThat(kinds).hasSize(byKind.members().size());
        for (List<String> k : kinds) {
            assertThat(Long.parseLong(k.get(1))).as(k.getFirst()).isEqualTo(byKind.getLong(k.getFirst(), -1));
        }
        // The precision table holds the file as stored, among what re-quantizing it would give (sorted by bits).
        List<List<String>> precisions = cells("precisions");
        List<String> stored = precisions.stream()
                .filter(r -> r.getFirst().startsWith("as stored (gguf file"))
                .findFirst()
                .orElseThrow();
        assertThat(Long.parseLong(stored.get(2))).isEqualTo(tensorBytes);
        assertThat(precisions).anyMatch(r -> r.getFirst().equals("Q8_0"));
        // Fit: every row the file as stored, the library's numbers.
        var fit = disk.fit(FitRequest.defaults().withDtypes(List.of("native")).withWorkload(w));
        List<List<String>> fitRows = cells("fit");
        assertThat(fitRows).hasSize(fit.rows().size());
        for (int i = 0; i < fitRows.size(); i++) {
            assertThat(fitRows.get(i).getFirst()).isEqualTo(fit.rows().get(i).device());
            assertThat(Long.parseLong(fitRows.get(i).get(2)))
                    .isEqualTo(fit.rows().get(i).totalBytes());
        }
        // Context scaling runs to the limit the GGUF declares (llama.context_length).
        assertThat(chartXs("scaling-memory")).contains((double) declared);
        assertThat(chartXs("scaling-memory").stream()
                        .mapToDouble(Double::doubleValue)
                        .max()
                        .orElse(0))
                .isEqualTo(declared);
        // Compare: the upload beside a catalog model.
        assertThat(driver.findElement(By.cssSelector("#compare-table thead")).getText())
                .contains("tiny-llama-Q4_K_M.gguf")
                .contains("llama-3.2-1b");
        assertThat(Long.parseLong(cells("compare-table").getFirst().get(1))).isEqualTo(elements);
        Browser.shot("upload-gguf.png");

        // Training the upload: the library's training memory for the file.
        driver.findElement(By.id("mode-training")).click();
        waiting().until(d -> d.findElement(By.id("memory-title")).getText().startsWith("Training"));
        awaitReady();
        long peak = disk.training(new TrainingRequest(
                        1, declared, Optimizer.ADAMW, Recipe.MIXED, false, 0, 1, false, 0, false, Runtime.AUTO))
                .peakBytes();
        assertThat(shown("total-bytes")).isEqualTo(peak);
        assertThat(Browser.text("verdict-title")).contains("tiny-llama-Q4_K_M.gguf");

        // Choosing a catalog model leaves the upload.
        driver.findElement(By.id("mode-inference")).click();
        awaitReady();
        driver.findElement(By.id("upload-clear")).click();
        waiting().until(d -> !d.findElement(By.id("upload-section")).isDisplayed());
        awaitReady();
        assertThat(shown("param-count")).isEqualTo(8_030_261_248L); // the default model, llama-3-8b
    }

    @Test
    void aSafetensorsHeaderAloneIsWeightsOnlyAndItsConfigAddsTheArchitecture() throws IOException {
        Path dir = Browser.shared("fixtures/hf/safetensors/tiny-llama-f32");
        Path file = dir.resolve("model.safetensors");
        long params = Browser.sharedJson("fixtures/hf/expected.json")
                .getObject("safetensors/tiny-llama-f32")
                .orElseThrow()
                .getLong("params", -1);
        byte[] prefix = new byte[8];
        try (var in = Files.newInputStream(file)) {
            assertThat(in.readNBytes(prefix, 0, 8)).isEqualTo(8);
        }
        long headerBytes =
                8 + ByteBuffer.wrap(prefix).order(ByteOrder.LITTLE_ENDIAN).getLong();

        Browser.open("");
        upload(file);
        assertThat(shown("upload-parameters")).isEqualTo(params);
        // Only the header crossed: 8 + N bytes of a larger file.
        assertThat(Browser.text("upload-summary"))
                .contains(String.format(Locale.US, "%,d of %,d bytes read", headerBytes, Files.size(file)));
        assertThat(headerBytes).isLessThan(Files.size(file));
        // No architecture: weights only, linear formats only, no training, no context scaling, and the page says why.
        assertThat(shown("weights-bytes")).isEqualTo(params * 4);
        assertThat(driver.findElements(By.id("kv-cache-bytes"))).isEmpty();
        List<String> options = driver.findElements(By.cssSelector("#dtype option")).stream()
                .map(o -> o.getAttribute("value"))
                .toList();
        assertThat(options).contains("native", "int8").doesNotContain("Q4_K_M");
        assertThat(driver.findElement(By.id("mode-training")).isEnabled()).isFalse();
        assertThat(driver.findElement(By.id("scaling-section")).isDisplayed()).isFalse();
        assertThat(Browser.text("summary")).contains("no architecture");

        // With its config.json (chosen after the weights: the page sends the header again): the folder's answers.
        driver.findElement(By.id("model-config-file"))
                .sendKeys(dir.resolve("config.json").toString());
        // The page asks at the context in its field (4096), past this tiny model's limit: the library the same way.
        long kv = Heft.create()
                .open(dir)
                .memory(MemoryRequest.defaults()
                        .withDtype("native")
                        .withWorkload(
                                dev.heft.core.api.request.Workload.defaults().withContext(4096)))
                .kvCacheBytes();
        assertThat(kv).isPositive();
        Browser.until(d -> !d.findElements(By.id("kv-cache-bytes")).isEmpty());
        awaitReady();
        assertThat(shown("kv-cache-bytes")).isEqualTo(kv);
        assertThat(driver.findElement(By.id("mode-training")).isEnabled()).isTrue();
        assertThat(driver.findElement(By.id("scaling-section")).isDisplayed()).isTrue();
        // llama-quantize cannot make Q8_0 of this model (a 176-wide row, no fallback for Q8_0): the engine plans it as
        // not applicable, and the precision table shows that row as n/a, with the engine's reason, instead of failing
        // every view.
        assertThat(Heft.create()
                        .open(dir)
                        .memory(MemoryRequest.defaults().withDtype("Q4_K_M"))
                        .totalBytes())
                .isPositive();
        List<String> q8 = cells("precisions").stream()
                .filter(r -> r.getFirst().equals("Q8_0"))
                .findFirst()
                .orElseThrow();
        assertThat(q8.subList(1, q8.size())).containsOnly("n/a");
        assertThat((String) driver.executeScript(
                        "return document.querySelector('#precisions tr[data-dtype=Q8_0] " + "td:last-child').title"))
                .contains("no fallback")
                .contains("Q8_0");
        Browser.shot("upload-safetensors-with-config.png");
    }

    /** The x values a chart was drawn from (the spec the page posted to /api/chart). */
    static List<Double> chartXs(String id) {
        String spec = (String) driver.executeScript("return document.getElementById(arguments[0]).dataset.spec", id);
        return ((JsonObject) Json.parse(spec))
                .getArray("xs").orElseThrow().elements().stream()
                        .map(v -> ((JsonValue.JsonNumber) v).value().doubleValue())
                        .toList();
    }
}
