package dev.heft.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heft.core.api.Operation;
import dev.heft.core.api.Operations;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server never opens a path a request names (issue 16, item 4): every operation, served or not, over GET and POST,
 * with the model given as an absolute path, a relative one, a {@code ..} form, a {@code file:}/{@code jar:} URL, an
 * http URL, an upload id or Hub id spelled as a path. Each is answered with heft's JSON 4xx error.
 *
 * <p>How "no file opened" is seen: the paths lead to a real model (a copy of the tiny-llama fixture, which heft reads
 * with a 200 and its tensor names when it is opened) and to FIFOs named like model files (opening one blocks until a
 * writer comes, so a server that opened it would not answer within the socket timeout). A 4xx in time, naming no tensor
 * of the sentinel, is therefore an answer given without opening either.
 */
class ServerOpensNoPathTest {
    /** A tensor name of the fixture: in any answer that read it. */
    private static final String TENSOR = "embed_tokens";

    @TempDir
    static Path tmp;

    static Path relativeDir;
    static HeftServer server;

    @BeforeAll
    static void start() throws IOException, InterruptedException {
        Path fixture = ApiTest.shared("fixtures/hf/safetensors/tiny-llama-f32");
        for (Path dir :
                List.of(tmp.resolve("model"), relativeDir = Path.of("target", "sentinel-" + UUID.randomUUID()))) {
            Files.createDirectories(dir);
            for (String f : List.of("config.json", "model.safetensors")) {
                Files.copy(fixture.resolve(f), dir.resolve(f));
            }
            for (String fifo : List.of("pipe.gguf", "pipe.safetensors")) {
                Process p = new ProcessBuilder("mkfifo", dir.resolve(fifo).toString()).start();
                assertThat(p.waitFor()).isZero();
            }
        }
        server = HeftServer.start("127.0.0.1", 0, ServerHardeningTest.LIMITS);
    }

    /** Sends {@code request} verbatim; everything answered before the server closes (15 s socket timeout). */
    static String raw(String request) throws IOException {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(15_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
            s.getOutputStream().flush();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static String get(String target) throws IOException {
        return raw("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    }

    @AfterAll
    static void stop() throws IOException {
        server.close();
        try (var files = Files.walk(relativeDir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** Every way a request could name a file on this machine. */
    static List<String> pathForms() {
        Path abs = tmp.resolve("model").toAbsolutePath();
        Path cwd = Path.of("").toAbsolutePath();
        List<String> forms = new ArrayList<>(List.of(
                abs.toString(),
                abs.resolve("model.safetensors").toString(),
                abs.resolve("config.json").toString(),
                abs.resolve("pipe.gguf").toString(),
                abs.resolve("pipe.safetensors").toString(),
                relativeDir.toString(),
                relativeDir.resolve("model.safetensors").toString(),
                relativeDir.resolve("pipe.gguf").toString(),
                "./" + relativeDir.resolve("model.safetensors"),
                cwd.relativize(abs.resolve("model.safetensors")).toString(),
                "target/../" + relativeDir.resolve("pipe.safetensors"),
                abs.toUri().toString(),
                abs.resolve("model.safetensors").toUri().toString(),
                "file:" + abs.resolve("model.safetensors"),
                "jar:" + abs.resolve("model.safetensors").toUri() + "!/x",
                "http://127.0.0.1:1/model.safetensors",
                "upload:../../" + abs.resolve("model.safetensors"),
                "hf://" + abs.resolve("model.safetensors"),
                "hf://../.." + abs.resolve("model.safetensors"),
                relativeDir.getFileName().toString(),
                abs.resolve("model.safetensors").toString().replace("/", "%2F"),
                "~/" + cwd.relativize(abs.resolve("model.safetensors"))));
        return forms;
    }

    @Test
    void everyOperationRefusesEveryPathFormWithA4xxAndOpensNothing() throws IOException {
        int requests = 0;
        for (Operation<?> op : Operations.ALL) {
            for (String model : pathForms()) {
                String query = "model=" + URLEncoder.encode(model, StandardCharsets.UTF_8);
                String body = "{\"model\":\"" + model.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}";
                for (String response : List.of(
                        get("/api/" + op.name() + "?" + query),
                        raw("POST /api/" + op.name() + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                + "Content-Type: application/json\r\nContent-Length: "
                                + body.getBytes(StandardCharsets.UTF_8).length + "\r\nConnection: close\r\n\r\n"
                                + body))) {
                    assertThat(response).as(op.name() + " " + model).isNotEmpty();
                    assertThat(ServerHardeningTest.jsonError(response))
                            .as(op.name() + " " + model)
                            .isBetween(400, 499);
                    assertThat(response).as(op.name() + " " + model).doesNotContain(TENSOR);
                    requests++;
                }
            }
        }
        assertThat(requests).isEqualTo(Operations.ALL.size() * pathForms().size() * 2);
        // The server still answers: no worker is stuck in open() on a FIFO.
        assertThat(get("/api/catalog")).startsWith("HTTP/1.1 200");
    }

    @Test
    void theSentinelIsAModelHeftReadsWhenItIsOpened() {
        // The check above means something only if opening these paths would have shown: the CLI's Heft reads them.
        var heft = dev.heft.core.api.Heft.builder().offline(true).build();
        assertThat(heft.open(tmp.resolve("model").toString())
                        .inspect(new dev.heft.core.api.request.InspectRequest(true))
                        .toString())
                .contains(TENSOR);
    }

    @Test
    void anUploadNamedLikeAPathIsOnlyALabel() throws IOException {
        // /api/inspect-header reads the bytes sent; its name parameter (here a path) is never opened.
        String name = URLEncoder.encode(tmp.resolve("model/pipe.safetensors").toString(), StandardCharsets.UTF_8);
        String response = raw("POST /api/inspect-header?name=" + name
                + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/octet-stream\r\nContent-Length: 4\r\n"
                + "Connection: close\r\n\r\nabcd");
        assertThat(ServerHardeningTest.jsonError(response)).isBetween(400, 499);
    }
}
