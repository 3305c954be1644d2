package dev.heft.web;

import static dev.heft.web.Browser.awaitReady;
import static dev.heft.web.Browser.driver;
import static dev.heft.web.Browser.shown;
import static dev.heft.web.Browser.waiting;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.heft.core.api.Heft;
import dev.heft.core.json.Json;
import dev.heft.core.json.JsonValue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;

/**
 * The page's Hugging Face Hub field: hidden on a server that allows no Hub repos (the default), and on one started as
 * {@code heft serve --allow-hub} an OWNER/NAME typed there becomes the page's model, read from header bytes over HTTP
 * (a loopback server in the Hub's URL scheme) and counted as transformers counts it (fixtures/hf/expected.json).
 */
@ExtendWith(Browser.class)
class PageHubTest {

    @Test
    void theHubFieldIsOfferedOnlyWhenTheServerAllowsTheHub() {
        Browser.open("");
        assertThat(driver.findElement(By.id("hub-box")).isDisplayed()).isFalse();
    }

    @Test
    void aHubRepoTypedOnThePageBecomesItsModel() throws Exception {
        Path source = ApiTest.shared("fixtures/hf/safetensors/tiny-llama-bf16");
        long params = ((JsonValue.JsonObject)
                        Json.parse(Files.readAllBytes(ApiTest.shared("fixtures/hf/expected.json"))))
                .getObject("safetensors/tiny-llama-bf16")
                .orElseThrow()
                .getLong("params", -1);
        AtomicInteger requests = new AtomicInteger();
        HttpServer hub = HubApiTest.hub(source, "fixtures/tiny-llama-bf16", requests);
        try {
            // As heft serve --allow-hub builds it, with the Hub at the loopback server.
            Heft heft = Heft.builder()
                    .environment(
                            Map.of(
                                    "HF_ENDPOINT",
                                    "http://127.0.0.1:" + hub.getAddress().getPort()),
                            Path.of("no-home"))
                    .allow(false, true, false)
                    .build();
            try (HeftServer server = HeftServer.start("127.0.0.1", 0, ServerLimits.defaults(), heft)) {
                driver.get(server.url());
                awaitReady();
                assertThat(driver.findElement(By.id("hub-box")).isDisplayed()).isTrue();
                driver.findElement(By.id("hub")).sendKeys("fixtures/tiny-llama-bf16");
                driver.findElement(By.id("hub-use")).click();
                waiting().until(d -> d.getCurrentUrl().contains("tiny-llama-bf16"));
                awaitReady();
                assertThat(shown("param-count")).isEqualTo(params);
                assertThat(requests.get()).isPositive();
                Browser.shot("hub-model.png");
            }
        } finally {
            hub.stop(0);
        }
    }
}
