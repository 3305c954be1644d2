package dev.heft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.heft.core.json.Json;
import dev.heft.core.json.JsonValue;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI faces of remote models and local stores: `inspect URL --json` and `heft models`. */
class RemoteAndStoresCommandTest {

    @Test
    void inspectOfAnHttpFileCarriesItsSourceAndTheBytesTransferred() throws Exception {
        Path gguf = CliTestSupport.fixture("gguf/tiny-llama-Q4_K_M.gguf");
        byte[] file = Files.readAllBytes(gguf);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        AtomicInteger requests = new AtomicInteger();
        server.createContext("/m.gguf", ex -> {
            requests.incrementAndGet();
            try (ex) {
                Matcher m = Pattern.compile("bytes=(\\d+)-(\\d+)")
                        .matcher(ex.getRequestHeaders().getFirst("Range"));
                if (!m.matches()) {
                    ex.sendResponseHeaders(416, -1);
                    return;
                }
                int from = Integer.parseInt(m.group(1));
                int to = Math.min(file.length - 1, Integer.parseInt(m.group(2)));
                ex.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + to + "/" + file.length);
                ex.sendResponseHeaders(206, to - from + 1);
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(file, from, to - from + 1);
                }
            }
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/m.gguf";
            CliTestSupport.Result r = CliTestSupport.run("inspect", url, "--json");
            assertThat(r.exitCode()).as(r.err()).isZero();
            JsonValue.JsonObject j = Json.parse(r.out()).asObject("inspect");
            // gguf-py's count for tiny-llama (../shared/fixtures/gguf/README.md).
            assertThat(j.getLong("parameters", -1)).isEqualTo(2_033_408L);
            assertThat(j.getObject("source").orElseThrow().getString("kind", ""))
                    .isEqualTo("url");
            assertThat(j.getLong("transferred_bytes", -1)).isPositive().isLessThan(file.length);
            CliTestSupport.Result text = CliTestSupport.run("inspect", url);
            assertThat(text.out()).contains("Source       url " + url);
            int before = requests.get();
            CliTestSupport.Result offline = CliTestSupport.run("inspect", url, "--offline");
            assertThat(offline.exitCode()).isEqualTo(1);
            assertThat(offline.err()).contains("offline").doesNotContain("Exception");
            assertThat(requests.get()).as("--offline opens no connection").isEqualTo(before);
        } finally {
            server.stop(0);
        }
    }

    /** A loopback server answering range requests for one file at {@code /NAME}, as any static file host does. */
    private static HttpServer rangeServer(String name, byte[] file) throws java.io.IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        server.createContext("/" + name, ex -> {
            try (ex) {
                Matcher m = Pattern.compile("bytes=(\\d+)-(\\d+)")
                        .matcher(ex.getRequestHeaders().getFirst("Range"));
                if (!m.matches()) {
                    ex.sendResponseHeaders(416, -1);
                    return;
                }
                int from = Integer.parseInt(m.group(1));
                int to = Math.min(file.length - 1, Integer.parseInt(m.group(2)));
                ex.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + to + "/" + file.length);
                ex.sendResponseHeaders(206, to - from + 1);
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(file, from, to - from + 1);
                }
            }
        });
        server.start();
        return server;
    }

    @Test
    void inspectOfAnHttpPytorchCheckpointReadsItsEndAndPickleOnly() throws Exception {
        byte[] file = Files.readAllBytes(CliTestSupport.fixture("hf/pytorch/tiny-llama-state_dict.bin"));
        HttpServer server = rangeServer("pytorch_model.bin", file);
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/pytorch_model.bin";
            CliTestSupport.Result r = CliTestSupport.run("inspect", url, "--json", "--tensors");
            assertThat(r.exitCode()).as(r.err()).isZero();
            JsonValue.JsonObject j = Json.parse(r.out()).asObject("inspect");
            // torch's count for the state dict (../shared/fixtures/hf/expected.json)
            assertThat(j.getLong("parameters", -1)).isEqualTo(125_248L);
            assertThat(j.getString("format", "")).isEqualTo("pytorch");
            assertThat(j.getLong("transferred_bytes", -1)).isPositive().isLessThan(file.length / 4);
            assertThat(j.getArray("tensor_list").orElseThrow().elements())
                    .hasSize(21)
                    .allSatisfy(t -> assertThat(((JsonValue.JsonObject) t).getLong("offset", 0))
                            .isEqualTo(-1));
        } finally {
            server.stop(0);
        }
    }

    @Test
    void heftModelsListsAnLmStudioFolderAsJsonWithTheDocumentedKeys(@TempDir Path home) throws Exception {
        Path repo = home.resolve(".lmstudio/models/lmstudio-community/tiny-GGUF");
        Files.createDirectories(repo);
        Files.copy(CliTestSupport.fixture("gguf/tiny-llama-Q4_K_M.gguf"), repo.resolve("tiny-Q4_K_M.gguf"));
        String before = System.getProperty("user.home");
        System.setProperty("user.home", home.toString());
        try {
            CliTestSupport.Result r = CliTestSupport.run("models", "--json");
            assertThat(r.exitCode()).as(r.err()).isZero();
            JsonValue.JsonObject j = Json.parse(r.out()).asObject("models");
            JsonValue.JsonObject row = j.getArray("models").orElseThrow().elements().stream()
                    .map(v -> (JsonValue.JsonObject) v)
                    .filter(o -> o.getString("source", "").equals("lmstudio"))
                    .findFirst()
                    .orElseThrow();
            assertThat(row.members().keySet())
                    .contains("source", "id", "model", "path", "format", "parameters", "bytes");
            assertThat(row.getString("id", "")).isEqualTo("lmstudio-community/tiny-GGUF");
            assertThat(row.getString("format", "")).isEqualTo("gguf");
            assertThat(row.getLong("parameters", -1)).isEqualTo(2_033_408L);
            assertThat(row.getLong("bytes", -1)).isEqualTo(Files.size(repo.resolve("tiny-Q4_K_M.gguf")));
            assertThat(CliTestSupport.run("inspect", row.getString("model", "")).exitCode())
                    .isZero();
        } finally {
            System.setProperty("user.home", before);
        }
    }
}
