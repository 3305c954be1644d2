package dev.heft.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heft.core.json.Json;
import dev.heft.core.json.JsonValue;
import dev.heft.core.json.JsonValue.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One headless Chromium (Debian's chromium + chromium-driver, nothing downloaded) and one heft server for every
 * browser test class ({@code @ExtendWith(Browser.class)}), started once and closed when the test run ends. When
 * Chromium or chromedriver is missing the tests FAIL, naming the packages; they never skip ({@code ./build test}
 * installs them). Screenshots go to {@code heft-web/target/screenshots} (test artifacts, not committed).
 */
final class Browser implements BeforeAllCallback {
    static final Path CHROMIUM = Path.of(System.getProperty("heft.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("heft.chromedriver", "/usr/bin/chromedriver"));
    static final Path SHOTS = Path.of("target", "screenshots");
    static final int DESKTOP = 1280;
    static final int TABLET = 768;
    static final int PHONE = 375;

    static HeftServer server;
    static ChromeDriver driver;

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getRoot()
                .getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(Session.class, k -> new Session(), Session.class);
    }

    /** The browser, the server and the Chromium profile, closed once after the last test class. */
    static final class Session implements AutoCloseable {
        private final Path profile;

        Session() {
            if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
                throw new AssertionError("browser tests need Chromium and chromedriver at " + CHROMIUM + " and "
                        + CHROMEDRIVER + ": apt-get install -y chromium chromium-driver (./build test does this when "
                        + "it can)");
            }
            try {
                server = HeftServer.start(HeftServer.DEFAULT_HOST, 0);
                profile = Files.createTempDirectory("heft-chromium-");
                Files.createDirectories(SHOTS);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
            ChromeOptions o = new ChromeOptions();
            o.setBinary(CHROMIUM.toFile());
            o.addArguments(
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-quic",
                    "--no-first-run",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--disable-dev-shm-usage",
                    "--hide-scrollbars",
                    "--user-data-dir=" + profile,
                    "--window-size=1280,2400");
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(CHROMEDRIVER.toFile())
                    .usingAnyFreePort()
                    .build();
            driver = new ChromeDriver(service, o);
            driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
        }

        @Override
        public void close() throws IOException {
            driver.quit();
            server.close();
            try (var walk = Files.walk(profile)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    // ---- the API, to compare the page with -----------------------------------------------------------------------

    static JsonObject api(String name, String json) {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(server.url() + "api/" + name))
                                    .header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString(json))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            return (JsonObject) Json.parse(r.body());
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    static JsonObject row(JsonObject report, String array, String key, String value) {
        for (JsonValue v : report.getArray(array).orElseThrow().elements()) {
            JsonObject o = (JsonObject) v;
            if (o.getString(key, "").equalsIgnoreCase(value)) {
                return o;
            }
        }
        throw new AssertionError("no " + array + " row with " + key + " = " + value);
    }

    static double number(JsonObject o, String key) {
        return ((JsonValue.JsonNumber) o.get(key).orElseThrow()).value().doubleValue();
    }

    // ---- the page ------------------------------------------------------------------------------------------------

    static WebDriverWait waiting() {
        return (WebDriverWait)
                new WebDriverWait(driver, Duration.ofSeconds(90)).ignoring(StaleElementReferenceException.class);
    }

    /** Opens the page with these query parameters and waits until every view is drawn. */
    static void open(String query) {
        driver.get(server.url() + (query.isEmpty() ? "" : "?" + query));
        awaitReady();
    }

    /** Waits for a condition on the page; a page error on the way fails the test with its message. */
    static void until(java.util.function.Function<org.openqa.selenium.WebDriver, Boolean> condition) {
        waiting().until(d -> {
            if ("error".equals(d.findElement(By.id("status")).getAttribute("data-state"))) {
                throw new AssertionError(
                        "page error: " + d.findElement(By.id("status")).getText());
            }
            return condition.apply(d);
        });
    }

    /** Waits for the page's status to say it is done; a page error fails the test with its message. */
    static void awaitReady() {
        waiting().until(d -> {
            String s = d.findElement(By.id("status")).getAttribute("data-state");
            if ("error".equals(s)) {
                throw new AssertionError(
                        "page error: " + d.findElement(By.id("status")).getText());
            }
            return "ready".equals(s);
        });
    }

    /** The exact number behind a rounded text, read in one script call so a re-render cannot make it stale. */
    static long shown(String id) {
        return (long) shownDouble(id);
    }

    static double shownDouble(String id) {
        Object v = driver.executeScript(
                "const e = document.getElementById(arguments[0]); " + "return e ? e.dataset.value : null;", id);
        if (v == null) {
            throw new AssertionError("no #" + id + " with a data-value on the page");
        }
        return Double.parseDouble(v.toString());
    }

    static String text(String id) {
        return driver.findElement(By.id(id)).getText();
    }

    /** A searchable list (model, device, compare): types the query and takes the first match with Enter. */
    static void choose(String comboId, String query) {
        WebElement input = driver.findElement(By.id(comboId));
        input.click();
        input.sendKeys(Keys.chord(Keys.CONTROL, "a"), query);
        waiting()
                .until(d -> !d.findElements(By.cssSelector("#" + comboId + "-list [role=option]"))
                        .isEmpty());
        input.sendKeys(Keys.ENTER);
    }

    /** The cells of a table's body rows, as [first cell, data-value or text of the others...]. */
    @SuppressWarnings("unchecked")
    static List<List<String>> cells(String tableId) {
        return (List<List<String>>) driver.executeScript(
                "return [...document.querySelectorAll('#' + arguments[0] "
                        + "+ ' tbody tr')].map(tr => [...tr.children].map(c => c.dataset.value ?? c.textContent));",
                tableId);
    }

    /** Emulates a screen of this width (CSS pixels; below 600 as a phone), then reloads the page. */
    static void width(int px) {
        driver.executeCdpCommand(
                "Emulation.setDeviceMetricsOverride",
                Map.of("width", px, "height", px < 600 ? 812 : 1000, "deviceScaleFactor", 1, "mobile", px < 600));
    }

    static void desktop() {
        driver.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
    }

    static void colorScheme(String scheme) {
        driver.executeCdpCommand(
                "Emulation.setEmulatedMedia",
                Map.of("features", List.of(Map.of("name", "prefers-color-scheme", "value", scheme))));
    }

    /** The whole page as a PNG under target/screenshots, at the emulated width. */
    @SuppressWarnings("unchecked")
    static void shot(String name) {
        Map<String, Object> metrics = driver.executeCdpCommand("Page.getLayoutMetrics", Map.of());
        Map<String, Object> size = (Map<String, Object>) metrics.get("cssContentSize");
        double w = ((Number) size.get("width")).doubleValue();
        double h = Math.min(((Number) size.get("height")).doubleValue(), 16000);
        Map<String, Object> r = driver.executeCdpCommand(
                "Page.captureScreenshot",
                Map.of(
                        "format",
                        "png",
                        "captureBeyondViewport",
                        true,
                        "clip",
                        Map.of("x", 0, "y", 0, "width", w, "height", h, "scale", 1)));
        try {
            Files.write(SHOTS.resolve(name), Base64.getDecoder().decode((String) r.get("data")));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static Path shared(String relative) {
        return Path.of(System.getProperty("heft.shared", "../../shared"), relative)
                .toAbsolutePath()
                .normalize();
    }

    static JsonObject sharedJson(String relative) {
        try {
            return (JsonObject) Json.parse(Files.readAllBytes(shared(relative)));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
