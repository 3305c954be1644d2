package dev.heft.web;

import static dev.heft.web.ServerHardeningTest.jsonError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import dev.heft.core.api.Heft;
import dev.heft.core.api.Model;
import dev.heft.core.error.InvalidInputException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Admission by cost: heavy requests (header uploads, Hub reads) run in a lane of their own and are turned away with
 * 503 and {@code Retry-After} when it is full, while cheap requests are still served; which requests are heavy; and the
 * server's catalog models, resolved once and bounded.
 */
class ServerLanesTest {
    /** One cheap worker and one heavy worker with no queue, so one running heavy request fills its lane. */
    private static final ServerLimits LIMITS =
            new ServerLimits(1, 4, 1 << 20, 1 << 20, Duration.ofSeconds(5)).withHeavyLane(1, 0);

    private static void answer(HttpExchange ex, String text) throws IOException {
        try (ex) {
            Responses.send(ex, 200, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static String exchange(int port, String path) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(30_000);
            s.getOutputStream()
                    .write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                            .getBytes(StandardCharsets.ISO_8859_1));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void aFullHeavyLaneIs503WithRetryAfterWhileCheapRequestsAreServed() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        HttpFront.HeavyRule slowIsHeavy = new HttpFront.HeavyRule() {
            @Override
            public boolean byHead(RequestHead head) {
                return head.uri().getPath().equals("/slow");
            }

            @Override
            public boolean byBody(RequestHead head, byte[] body) {
                return false;
            }
        };
        List<HttpFront.Route> routes = List.of(
                new HttpFront.Route(
                        "/slow",
                        ex -> {
                            entered.countDown();
                            try {
                                release.await(30, TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                            answer(
                                    ex,
                                    "heavy done on " + Thread.currentThread().getName() + " at priority "
                                            + Thread.currentThread().getPriority());
                        },
                        List.of()),
                new HttpFront.Route("/", ex -> answer(ex, "cheap"), List.of()));
        try (HttpFront front =
                HttpFront.start(new InetSocketAddress("127.0.0.1", 0), LIMITS, routes, p -> 1024, slowIsHeavy)) {
            int port = front.address().getPort();
            CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> {
                try {
                    return exchange(port, "/slow");
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();

            String refused = exchange(port, "/slow");
            assertThat(jsonError(refused)).isEqualTo(503);
            assertThat(refused).contains("Retry-After: " + HttpFront.RETRY_AFTER_SECONDS);

            // The one cheap worker is free: the heavy request runs on the heavy lane's own thread.
            String cheap = exchange(port, "/");
            assertThat(cheap).startsWith("HTTP/1.1 200").endsWith("cheap");

            release.countDown();
            assertThat(first.get(30, TimeUnit.SECONDS))
                    .startsWith("HTTP/1.1 200")
                    .contains("heavy done on heft-serve-heavy-")
                    .endsWith(" at priority " + Thread.MIN_PRIORITY);
            // The lane is free again.
            release.countDown();
            assertThat(exchange(port, "/slow")).startsWith("HTTP/1.1 200");
        }
    }

    @Test
    void smallBodiesDoNotWaitInLineBehindAnUploadsReservation() throws Exception {
        // Uploads may hold 5 MiB of bodies at once, a request waits up to 20 s for its reservation, and a body may take
        // 60 s (so the first upload keeps its reservation while the second waits and gives up).
        ServerLimits limits = new ServerLimits(2, 16, 1 << 20, 4 << 20, Duration.ofSeconds(60))
                .withConnections(Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofSeconds(20), 24, 5L << 20);
        String upload = "POST /api/inspect-header?size=4194304 HTTP/1.1\r\nHost: localhost\r\nContent-Type: "
                + "application/octet-stream\r\nContent-Length: 4194304\r\n\r\n";
        try (HeftServer server = HeftServer.start("127.0.0.1", 0, limits);
                Socket first = new Socket("127.0.0.1", server.port());
                Socket second = new Socket("127.0.0.1", server.port())) {
            // The first upload holds 4 MiB (its body never comes); the second waits in line for 4 MiB more.
            first.getOutputStream().write(upload.getBytes(StandardCharsets.ISO_8859_1));
            Thread.sleep(300);
            second.getOutputStream().write(upload.getBytes(StandardCharsets.ISO_8859_1));
            Thread.sleep(300);
            byte[] body = "{\"model\":\"llama-3-8b\"}".getBytes(StandardCharsets.UTF_8);
            try (Socket s = new Socket("127.0.0.1", server.port())) {
                s.setSoTimeout(60_000);
                s.getOutputStream()
                        .write(("POST /api/estimate HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                                        + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n")
                                .getBytes(StandardCharsets.ISO_8859_1));
                s.getOutputStream().write(body);
                assertThat(new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                        .startsWith("HTTP/1.1 200")
                        .contains("\"parameters\":8030261248");
            }
            // Answered while the second upload is still waiting for its reservation (nothing comes on its connection
            // for the next second), not once it gave up and was answered 503.
            second.setSoTimeout(1000);
            assertThatThrownBy(() -> second.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
        }
    }

    private static RequestHead head(String request) throws IOException {
        InputStream in = new ByteArrayInputStream(request.getBytes(StandardCharsets.ISO_8859_1));
        return RequestHead.read(in.read(), in);
    }

    static boolean heavy(HeavyRequests rule, String method, String target, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        RequestHead h = head(
                method + " " + target + " HTTP/1.1\r\nHost: localhost\r\nContent-Length: " + b.length + "\r\n\r\n");
        return rule.byHead(h) || rule.byBody(h, b);
    }

    @Test
    void uploadsAndHubModelsAreHeavyAndEverythingElseIsCheap() throws IOException {
        HeavyRequests hub = new HeavyRequests(true);
        assertThat(heavy(hub, "POST", "/api/inspect-header?name=a.gguf", "GGUF"))
                .isTrue();
        assertThat(heavy(hub, "POST", "/api/estimate", "{\"model\":\"hf://meta-llama/Llama-3.1-8B\"}"))
                .isTrue();
        // Spelled so that a byte search for "hf://" would miss it: the same JSON parser as the handler's reads it.
        assertThat(heavy(hub, "POST", "/api/memory", "{\"model\":\"HF\\u003a//meta-llama/Llama-3.1-8B\"}"))
                .isTrue();
        assertThat(heavy(hub, "GET", "/api/fit?model=hf%3A%2F%2Fmeta-llama%2FLlama-3.1-8B", ""))
                .isTrue();
        assertThat(heavy(hub, "POST", "/api/estimate", "{\"model\":\"llama-3-8b\",\"context\":8192}"))
                .isFalse();
        assertThat(heavy(hub, "GET", "/api/catalog", "")).isFalse();
        assertThat(heavy(hub, "GET", "/app.js?model=hf://a/b", "")).isFalse();
        assertThat(heavy(hub, "POST", "/api/estimate", "{\"model\":"))
                .as("malformed: answered 400 at once")
                .isFalse();

        // Without --allow-hub a Hub model is refused at once: no reason to queue it with the uploads.
        HeavyRequests noHub = new HeavyRequests(false);
        assertThat(heavy(noHub, "POST", "/api/estimate", "{\"model\":\"hf://meta-llama/Llama-3.1-8B\"}"))
                .isFalse();
        assertThat(heavy(noHub, "POST", "/api/inspect-header", "GGUF")).isTrue();
    }

    @Test
    void catalogModelsAreResolvedOnceAndTheCacheIsBounded() {
        Heft heft = Heft.builder().allow(false, false, false).build();
        CatalogModels catalog = new CatalogModels(heft);
        Model first = catalog.get("llama-3-8b");
        assertThat(catalog.get("llama-3-8b")).isSameAs(first);
        assertThat(first.label())
                .isEqualTo(ServerModels.catalog(heft, "llama-3-8b").label());

        assertThatThrownBy(() -> catalog.get("no-such-model")).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> catalog.get("../../etc/passwd")).isInstanceOf(InvalidInputException.class);
        assertThat(catalog.size()).isEqualTo(1);

        // The catalog takes any case of an id: 2^11 spellings of one model may not grow the cache past its bound, and
        // each is still answered with the same model.
        String id = "llama-4-maverick-17b-128e";
        Set<String> spellings = new HashSet<>();
        for (int mask = 0; mask < 1 << 11; mask++) {
            StringBuilder sb = new StringBuilder(id);
            for (int bit = 0, letter = 0; bit < 11 && letter < sb.length(); letter++) {
                if (Character.isLetter(sb.charAt(letter))) {
                    if ((mask >> bit & 1) == 1) {
                        sb.setCharAt(letter, Character.toUpperCase(sb.charAt(letter)));
                    }
                    bit++;
                }
            }
            spellings.add(sb.toString());
        }
        assertThat(spellings).hasSize(1 << 11);
        for (String s : spellings) {
            assertThat(catalog.get(s).label()).isEqualTo(id);
        }
        assertThat(catalog.size()).isEqualTo(CatalogModels.MAX_HELD);
    }
}
