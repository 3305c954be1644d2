package dev.heft.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heft.core.json.Json;
import dev.heft.core.json.JsonValue;
import dev.heft.core.report.Units;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The page in real headless Chromium (Debian's chromium + chromium-driver, no download): the numbers it shows must be
 * the API's numbers, the state must live in the URL, and a model file must be read header-only. When Chromium or
 * chromedriver is missing this FAILS, naming the packages; it never skips (.ci/run installs them).
 */
class BrowserTest {
    static final Path CHROMIUM = Path.of(System.getProperty("heft.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("heft.chromedriver", "/usr/bin/chromedriver"));
    static final Path SHOTS = Path.of("target", "screenshots");
    static HeftServer server;
    static ChromeDriver driver;
    static Path profile;

    @BeforeAll
    static void start() throws IOException {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            throw new AssertionError("browser tests need Chromium and chromedriver at " + CHROMIUM + " and "
                    + CHROMEDRIVER + ": apt-get install -y chromium chromium-driver (.ci/run does this)");
        }
        server = HeftServer.start(HeftServer.DEFAULT_HOST, 0);
        profile = Files.createTempDirectory("heft-chromium-");
        ChromeOptions o = new ChromeOptions();
        o.setBinary(CHROMIUM.toFile());
        o.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--window-size=1280,2400");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        driver = new ChromeDriver(service, o);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
        Files.createDirectories(SHOTS);
    }

    @AfterAll
    static void stop() throws IOException {
        if (driver != null) {
            driver.quit();
        }
        if (server != null) {
            server.close();
        }
        if (profile != null) {
            try (var walk = Files.walk(profile)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    static JsonValue.JsonObject api(String path, String json) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.url()
                + path.substring(1))).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return (JsonValue.JsonObject) Json.parse(r.body());
    }

    static WebDriverWait waiting() {
        return (WebDriverWait) new WebDriverWait(driver, Duration.ofSeconds(60))
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class);
    }

    static void awaitReady() {
        waiting().until(d -> {
            String s = d.findElement(By.id("status")).getAttribute("data-state");
            if ("error".equals(s)) {
                throw new AssertionError("page error: " + d.findElement(By.id("status")).getText());
            }
            return "ready".equals(s);
        });
    }

    static void shot(String name) throws IOException {
        Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), SHOTS.resolve(name),
                StandardCopyOption.REPLACE_EXISTING);
    }

    /** One script call, so a re-render between finding the element and reading it cannot make it stale. */
    static long shown(String id) {
        Object v = driver.executeScript("const e = document.getElementById(arguments[0]); "
                + "return e ? e.dataset.value : null;", id);
        if (v == null) {
            throw new AssertionError("no #" + id + " with a data-value on the page");
        }
        return Long.parseLong(v.toString());
    }

    @Test
    void sharedUrlOpensTheSameResultTheApiGives() throws Exception {
        driver.get(server.url() + "?model=llama-3-8b&dtype=q4_k_m&context=8192&devices=h100-sxm,rtx-4090");
        awaitReady();
        // The fit table holds the devices the URL chose, with the fit endpoint's speeds.
        JsonValue.JsonObject fit = api("/api/fit", "{\"model\":\"llama-3-8b\",\"context\":\"8192\",\"batch\":\"1\","
                + "\"dtypes\":\"q4_k_m\",\"devices\":\"h100-sxm,rtx-4090\"}");
        List<WebElement> fitRows = driver.findElements(By.cssSelector("#fit tr"));
        assertThat(fitRows).hasSize(3);
        for (int i = 0; i < 2; i++) {
            JsonValue.JsonObject row = (JsonValue.JsonObject) fit.getArray("rows").orElseThrow().get(i);
            List<WebElement> cells = fitRows.get(i + 1).findElements(By.tagName("td"));
            assertThat(cells.get(0).getText()).isEqualTo(row.getString("device", ""));
            assertThat(Double.parseDouble(cells.get(7).getAttribute("data-value")))
                    .isEqualTo(((JsonValue.JsonNumber) row.get("decode_tokens_per_s").orElseThrow()).value().doubleValue());
        }
        JsonValue.JsonObject mem = api("/api/memory", "{\"model\":\"llama-3-8b\",\"dtype\":\"q4_k_m\","
                + "\"context\":\"8192\",\"batch\":\"1\"}");
        assertThat(shown("total-bytes")).isEqualTo(mem.getLong("total_bytes", -1));
        assertThat(driver.findElement(By.id("total-bytes")).getText()).isEqualTo(Units.bytes(mem.getLong("total_bytes", -1)));
        assertThat(shown("weights-bytes")).isEqualTo(mem.getLong("weights_bytes", -1));
        assertThat(shown("kv-cache-bytes")).isEqualTo(mem.getLong("kv_cache_bytes", -1));
        // transformers' own count for Meta-Llama-3-8B (ground-truth/hf-architectures.json).
        assertThat(shown("param-count")).isEqualTo(8_030_261_248L);
        assertThat(new Select(driver.findElement(By.id("dtype"))).getFirstSelectedOption().getAttribute("value"))
                .isEqualTo("Q4_K_M");
        shot("page-llama-3-8b-q4_k_m.png");
    }

    @Test
    void choosingModelPrecisionAndContextShowsTheApisNumbersAndUpdatesTheUrl() throws Exception {
        driver.get(server.url());
        awaitReady();
        new Select(driver.findElement(By.id("model"))).selectByValue("mistral-7b-v0.1");
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
        JsonValue.JsonObject mem = api("/api/memory", "{" + opts + ",\"dtype\":\"Q8_0\"}");
        waiting().until(d -> shown("total-bytes") == mem.getLong("total_bytes", -1));
        assertThat(shown("total-bytes")).isEqualTo(mem.getLong("total_bytes", -1));
        assertThat(driver.findElement(By.id("total-bytes")).getText()).isEqualTo(Units.bytes(mem.getLong("total_bytes", -1)));
        // transformers' count for Mistral-7B-v0.1.
        assertThat(shown("param-count")).isEqualTo(7_241_732_096L);

        // The layer-kind table is the estimate's by_kind.
        JsonValue.JsonObject est = api("/api/estimate", "{\"model\":\"mistral-7b-v0.1\"}");
        List<WebElement> rows = driver.findElements(By.cssSelector("#kinds tr"));
        JsonValue.JsonObject byKind = est.getObject("by_kind").orElseThrow();
        assertThat(rows).hasSize(byKind.members().size() + 1);
        for (WebElement row : rows.subList(1, rows.size())) {
            List<WebElement> cells = row.findElements(By.tagName("td"));
            assertThat(Long.parseLong(cells.get(1).getAttribute("data-value")))
                    .isEqualTo(byKind.getLong(cells.get(0).getText(), -1));
        }

        // The fit table's tokens/s are the fit endpoint's.
        JsonValue.JsonObject fit = api("/api/fit", "{" + opts + ",\"dtypes\":\"Q8_0\"}");
        Map<String, String> decode = new java.util.HashMap<>();
        for (WebElement row : driver.findElements(By.cssSelector("#fit tr"))) {
            List<WebElement> cells = row.findElements(By.tagName("td"));
            if (!cells.isEmpty()) {
                decode.put(cells.get(0).getText(), cells.get(7).getAttribute("data-value"));
            }
        }
        int compared = 0;
        for (JsonValue v : fit.getArray("rows").orElseThrow().elements()) {
            JsonValue.JsonObject r = (JsonValue.JsonObject) v;
            if (r.get("decode_tokens_per_s").orElseThrow() instanceof JsonValue.JsonNumber n) {
                assertThat(Double.parseDouble(decode.get(r.getString("device", "")))).as(r.getString("device", ""))
                        .isEqualTo(n.value().doubleValue());
                compared++;
            }
        }
        assertThat(compared).isGreaterThan(5);
        shot("page-mistral-q8_0-16k.png");
    }

    @Test
    void aSafetensorsFileIsReadHeaderOnlyInTheBrowser() throws Exception {
        Path file = Path.of(System.getProperty("heft.shared", "../../shared"),
                "fixtures/hf/safetensors/tiny-llama-f32/model.safetensors").toAbsolutePath().normalize();
        long params = ((JsonValue.JsonObject) Json.parse(Files.readAllBytes(file.getParent().getParent().getParent()
                .resolve("expected.json")))).getObject("safetensors/tiny-llama-f32").orElseThrow().getLong("params", -1);
        byte[] prefix = new byte[8];
        try (var in = Files.newInputStream(file)) {
            assertThat(in.readNBytes(prefix, 0, 8)).isEqualTo(8);
        }
        long headerBytes = 8 + ByteBuffer.wrap(prefix).order(ByteOrder.LITTLE_ENDIAN).getLong();

        driver.get(server.url());
        awaitReady();
        driver.findElement(By.id("file-box")).click();
        driver.findElement(By.id("model-file")).sendKeys(file.toString());
        waiting().until(d -> "ready".equals(d.findElement(By.id("upload-section")).getAttribute("data-state")));
        assertThat(shown("upload-parameters")).isEqualTo(params);
        // Only the header crossed: the page says how many bytes it read, and that is 8 + N of a larger file.
        assertThat(driver.findElement(By.id("upload-summary")).getText())
                .contains(String.format(java.util.Locale.US, "%,d of %,d bytes read", headerBytes, Files.size(file)));
        assertThat(headerBytes).isLessThan(Files.size(file));
        shot("page-upload-tiny-llama-f32.png");
    }

    @Test
    void aGgufFileIsReadHeaderOnlyToo() throws Exception {
        Path gguf = Path.of(System.getProperty("heft.shared", "../../shared"), "fixtures/gguf")
                .toAbsolutePath().normalize();
        Path file = gguf.resolve("tiny-llama-Q4_K_M.gguf");
        JsonValue.JsonObject expected = ((JsonValue.JsonObject) Json.parse(Files.readAllBytes(
                gguf.resolve("expected.json")))).getObject("files").orElseThrow()
                .getObject("tiny-llama-Q4_K_M.gguf").orElseThrow();
        driver.get(server.url());
        awaitReady();
        driver.findElement(By.id("file-box")).click();
        driver.findElement(By.id("model-file")).sendKeys(file.toString());
        waiting().until(d -> "ready".equals(d.findElement(By.id("upload-section")).getAttribute("data-state")));
        // gguf-py's numbers for the file llama-quantize wrote.
        assertThat(shown("upload-parameters")).isEqualTo(expected.getLong("total_elements", -1));
        assertThat(shown("upload-tensor-bytes")).isEqualTo(expected.getLong("tensor_data_bytes", -1));
        assertThat(driver.findElement(By.id("upload-summary")).getText())
                .contains(String.format(java.util.Locale.US, "%,d of %,d bytes read", 1 << 20, Files.size(file)));
    }

    @Test
    void trainingControlsGiveTheApisTrainingMemory() throws Exception {
        driver.get(server.url() + "?model=llama-3.2-1b&mode=training&optimizer=adam8bit&lora=16&context=2048");
        awaitReady();
        assertThat(driver.findElement(By.id("training-controls")).isDisplayed()).isTrue();
        JsonValue.JsonObject mem = api("/api/memory", "{\"model\":\"llama-3.2-1b\",\"context\":\"2048\","
                + "\"batch\":\"1\",\"train\":true,\"optimizer\":\"adam8bit\",\"recipe\":\"mixed\",\"lora\":\"16\"}");
        assertThat(shown("total-bytes")).isEqualTo(mem.getLong("total_bytes", -1));
        // Switching back to inference changes the request and the URL.
        driver.findElement(By.id("mode-inference")).click();
        waiting().until(d -> !d.getCurrentUrl().contains("mode=training"));
        awaitReady();
        JsonValue.JsonObject inference = api("/api/memory", "{\"model\":\"llama-3.2-1b\",\"context\":\"2048\","
                + "\"batch\":\"1\",\"dtype\":\"bf16\"}");
        waiting().until(d -> shown("total-bytes") == inference.getLong("total_bytes", -1));
    }

    @Test
    void aPastedConfigIsCountedLikeTransformers() throws Exception {
        JsonValue.JsonObject truth = ((JsonValue.JsonObject) Json.parse(Files.readAllBytes(
                Path.of(System.getProperty("heft.shared", "../../shared"), "ground-truth", "hf-architectures.json"))))
                .getObject("gpt2").orElseThrow();
        String config = dev.heft.core.json.JsonWriter.write(ApiTest.toPlain(truth.getObject("config_diff").orElseThrow()));
        driver.get(server.url());
        awaitReady();
        driver.findElement(By.cssSelector("#config-box summary")).click();
        driver.executeScript("document.getElementById('config').value = arguments[0]", config);
        driver.findElement(By.id("config-use")).click();
        waiting().until(d -> d.getCurrentUrl().contains("config="));
        waiting().until(d -> shown("param-count") == truth.getLong("params", -2));
        // The shared URL reopens the same result.
        String url = driver.getCurrentUrl();
        driver.get(url);
        awaitReady();
        assertThat(shown("param-count")).isEqualTo(truth.getLong("params", -2));
    }

    @Test
    void darkModeRendersToo() throws Exception {
        driver.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features",
                List.of(Map.of("name", "prefers-color-scheme", "value", "dark"))));
        try {
            driver.get(server.url() + "?model=llama-3.2-1b&dtype=q4_k_m&compare=llama-3-8b&device=rtx-4090");
            awaitReady();
            String bg = (String) driver.executeScript("return getComputedStyle(document.body).backgroundColor");
            assertThat(bg).isEqualTo("rgb(15, 18, 23)");
            assertThat(driver.findElement(By.id("compare-section")).isDisplayed()).isTrue();
            JsonValue.JsonObject other = api("/api/memory", "{\"model\":\"llama-3-8b\",\"dtype\":\"q4_k_m\","
                    + "\"context\":\"4096\",\"batch\":\"1\"}");
            List<WebElement> total = driver.findElements(By.cssSelector("#compare-table tr")).get(4)
                    .findElements(By.tagName("td"));
            assertThat(Long.parseLong(total.get(2).getAttribute("data-value"))).isEqualTo(other.getLong("total_bytes", -1));
            driver.manage().window().setSize(new Dimension(1280, 2600));
            shot("page-dark-compare.png");
        } finally {
            driver.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features",
                    List.of(Map.of("name", "prefers-color-scheme", "value", "light"))));
        }
    }
}
