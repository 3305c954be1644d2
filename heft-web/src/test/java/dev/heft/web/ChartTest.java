package dev.heft.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heft.core.json.JsonValue;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/**
 * The server-rendered charts: well-formed SVG built from the numbers the JSON API returned (one bar per layer kind of
 * the transformers-exact estimate), with every piece of text escaped, and typed 400s for bad specs.
 */
class ChartTest {
    @BeforeAll
    static void start() throws Exception {
        ApiTest.start();
    }

    @AfterAll
    static void stop() {
        ApiTest.stop();
    }

    private static Document svg(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("image/svg+xml");
        var f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(r.body().getBytes(StandardCharsets.UTF_8)));
    }

    private static List<String> texts(Document d) {
        NodeList n = d.getElementsByTagName("text");
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n.getLength(); i++) {
            out.add(n.item(i).getTextContent());
        }
        return out;
    }

    @Test
    void barChartHasOneBarPerLayerKindOfTheEstimate() throws Exception {
        JsonValue.JsonObject est = ApiTest.ok(ApiTest.postJson("/api/estimate", "{\"model\": \"llama-3-8b\"}"));
        StringBuilder rows = new StringBuilder();
        Map<String, JsonValue> kinds = est.getObject("by_kind").orElseThrow().members();
        kinds.forEach((k, v) -> rows.append(rows.isEmpty() ? "" : ",")
                .append("[\"")
                .append(k)
                .append("\",")
                .append(((JsonValue.JsonNumber) v).value())
                .append(']'));
        Document d = svg(
                ApiTest.postJson("/api/chart", "{\"type\": \"bar\", \"unit\": \"count\", \"rows\": [" + rows + "]}"));
        assertThat(d.getElementsByTagName("rect").getLength()).isEqualTo(kinds.size());
        assertThat(texts(d)).containsAll(kinds.keySet());
    }

    @Test
    void stackAndLinesRender() throws Exception {
        Document stack = svg(ApiTest.postJson(
                "/api/chart",
                "{\"type\": \"stack\", \"parts\": [[\"weights\", 100], "
                        + "[\"kv cache\", 50]], \"capacity\": 200, \"capacity_label\": \"device\"}"));
        assertThat(texts(stack)).anyMatch(t -> t.startsWith("device "));
        Document lines = svg(ApiTest.postJson(
                "/api/chart",
                "{\"type\": \"lines\", \"title\": \"t\", \"unit\": "
                        + "\"bytes\", \"xs\": [1, 2, 4], \"series\": [{\"name\": \"kv\", \"ys\": [1, 2, 4]}]}"));
        assertThat(lines.getElementsByTagName("path").getLength()).isEqualTo(1);
    }

    @Test
    void textIsEscapedNotInjected() throws Exception {
        HttpResponse<String> r =
                ApiTest.postJson("/api/chart", "{\"type\": \"bar\", \"rows\": [[\"<script>alert(1)</script>\", 1]]}");
        assertThat(r.body()).doesNotContain("<script>").contains("&lt;script&gt;");
        svg(r);
    }

    @Test
    void badSpecsAreTypedErrors() throws Exception {
        ApiTest.error(ApiTest.postJson("/api/chart", "{\"type\": \"pie\"}"), 400);
        ApiTest.error(ApiTest.postJson("/api/chart", "{\"type\": \"bar\", \"rows\": [[1, 2]]}"), 400);
        ApiTest.error(ApiTest.get("/api/chart?type=bar"), 405);
    }
}
