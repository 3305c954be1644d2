package dev.heft.web;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.heft.core.api.Heft;
import dev.heft.core.api.Model;
import dev.heft.core.api.Operation;
import dev.heft.core.api.Operations;
import dev.heft.core.api.ParamValues;
import dev.heft.core.api.Progress;
import dev.heft.core.api.report.ReportJson;
import dev.heft.core.api.request.InspectRequest;
import dev.heft.core.error.HeftException;
import dev.heft.core.json.Json;
import dev.heft.core.json.JsonValue;
import dev.heft.web.chart.SvgCharts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /api/*}: each heft-core {@link Operation} that the API serves at {@code /api/NAME} (answering with exactly the
 * CLI's {@code --json} report), the header upload, the OpenAPI document and charts. Every failure becomes the JSON
 * error shape {@code {"error": message, "status": n}}: 400 for every {@link HeftException} (bad input, a corrupt or
 * unsupported header), 404/405/413/415 for HTTP-level refusals, 500 (without details) for bugs. No stack trace leaves
 * the server.
 */
final class ApiHandler implements HttpHandler {
    static final String PREFIX = "/api/";
    static final String INSPECT_HEADER = "/api/inspect-header";
    static final String OPENAPI = "/api/openapi.json";
    static final String CHART = "/api/chart";
    static final String SERVER = "/api/server";
    /** The response header that names a stored upload ({@code upload:ID}) for later requests' {@code model}. */
    static final String MODEL_HEADER = "Heft-Model";

    private final ServerLimits limits;
    private final Heft heft;
    private final Uploads uploads;
    private final CatalogModels catalog;
    private final HubModels hubModels;
    private final byte[] openApi;

    ApiHandler(ServerLimits limits, Heft heft) {
        this(limits, heft, new HubModels(heft));
    }

    /** @param hubModels the Hub repos this server has read, shared with {@link HeavyRequests} */
    ApiHandler(ServerLimits limits, Heft heft, HubModels hubModels) {
        this.limits = limits;
        this.hubModels = hubModels;
        this.heft = heft;
        this.uploads = new Uploads(limits.maxUploads(), limits.maxUploadBytes());
        this.catalog = new CatalogModels(heft);
        this.openApi = OpenApi.document().getBytes(StandardCharsets.UTF_8);
    }

    /** The operations served at {@code /api/NAME}: those that never read a local file. */
    static List<Operation<?>> served() {
        return Operations.ALL.stream().filter(Operation::http).toList();
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        try (ex) {
            try {
                route(ex);
            } catch (HttpError e) {
                Responses.error(ex, e.status(), e.getMessage(), Map.of());
            } catch (HeftException e) {
                Responses.error(ex, 400, e.getMessage(), Map.of());
            } catch (RuntimeException e) {
                // A bug, not the caller's fault: log it here, tell the caller only that it happened.
                System.err.println(
                        "heft serve: internal error on " + ex.getRequestURI().getPath() + ": " + e);
                Responses.error(ex, 500, "internal error", Map.of());
            }
        }
    }

    private void route(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        String method = ex.getRequestMethod();
        if (path.equals(OPENAPI)) {
            requireMethod(method, "GET");
            Responses.send(ex, 200, "application/json; charset=utf-8", openApi);
            return;
        }
        if (path.equals(SERVER)) {
            requireMethod(method, "GET");
            Responses.json(ex, 200, serverInfo());
            return;
        }
        if (path.equals(CHART)) {
            requireMethod(method, "POST");
            requireJson(ex);
            JsonValue spec = Json.parse(RequestBody.read(ex, limits.maxJsonBytes()));
            Responses.send(
                    ex,
                    200,
                    "image/svg+xml; charset=utf-8",
                    SvgCharts.render(spec.asObject("chart")).getBytes(StandardCharsets.UTF_8));
            return;
        }
        if (path.equals(INSPECT_HEADER)) {
            requireMethod(method, "POST");
            inspectHeader(ex);
            return;
        }
        String name = path.startsWith(PREFIX) ? path.substring(PREFIX.length()) : "";
        Operation<?> op = Operations.named(name)
                .filter(Operation::http)
                .orElseThrow(() -> new HttpError(404, "no such endpoint: " + path + " (see /api/openapi.json)"));
        requireMethod(method, "GET", "POST");
        ApiRequest request;
        if (method.equals("POST")) {
            requireJson(ex);
            request = ApiRequest.fromJson(RequestBody.read(ex, limits.maxJsonBytes()));
        } else {
            request = ApiRequest.fromQuery(ex.getRequestURI().getRawQuery());
        }
        List<Model> models;
        if (op.models() == Operation.Models.NONE) {
            if (request.model().isPresent() || request.config().isPresent()) {
                throw new HttpError(400, path + " takes no model");
            }
            models = List.of();
        } else {
            models = List.of(ServerModels.resolve(heft, uploads, request, catalog, hubModels));
        }
        ParamValues values = ParamValues.parse(op.params(), request.options());
        Responses.json(ex, 200, ReportJson.tree(op.report(heft, models, values, Progress.NONE)));
    }

    /**
     * A model header uploaded as raw bytes ({@code application/octet-stream}); {@code name} and {@code size} (the whole
     * file's byte count) come as query parameters with the inspect options, and optionally {@code config} (the model's
     * config.json as JSON text), attached as a folder's config.json would be. The answer is the inspect report; its
     * {@value #MODEL_HEADER} header names the stored upload ({@code upload:ID}), which any {@code /api/NAME} request
     * then takes as its {@code model}. When the bytes stop inside a GGUF header the answer is 422 with
     * {@code need_bytes}: the page then sends a longer prefix.
     */
    private void inspectHeader(HttpExchange ex) throws IOException {
        String type = RequestBody.mediaType(ex);
        if (!type.equals("application/octet-stream")) {
            throw new HttpError(415, "upload a model header as application/octet-stream, not '" + type + "'");
        }
        ApiRequest query = ApiRequest.fromQuery(ex.getRequestURI().getRawQuery());
        if (query.model().isPresent()) {
            throw new HttpError(400, INSPECT_HEADER + " reads the uploaded bytes; model does not apply");
        }
        Map<String, String> options = new LinkedHashMap<>(query.options());
        String name = Optional.ofNullable(options.remove("name")).orElse("upload");
        String sizeText = options.remove("size");
        byte[] head = RequestBody.read(ex, limits.maxHeaderBytes());
        long size = head.length;
        if (sizeText != null) {
            try {
                size = Long.parseLong(sizeText);
            } catch (NumberFormatException e) {
                throw new HttpError(400, "size: expected the file's size in bytes, got '" + sizeText + "'");
            }
        }
        ParamValues values = ParamValues.parse(Operations.INSPECT.params(), options);
        switch (heft.fromHeader(head, name, size, query.config())) {
            case Heft.HeaderRead.NeedMore more ->
                Responses.error(
                        ex,
                        422,
                        "the header continues past the " + head.length + " bytes sent; send at least " + more.atLeast(),
                        Map.of("need_bytes", more.atLeast()));
            case Heft.HeaderRead.Read read -> {
                Object report = ReportJson.tree(
                        read.model().inspect(new InspectRequest(values.get(dev.heft.core.api.Params.TENSORS))));
                String id = Uploads.idOf(
                        name,
                        size,
                        head,
                        query.config()
                                .map(dev.heft.core.json.JsonWriter::writeCompact)
                                .orElse(""));
                uploads.put(id, read.model(), head.length);
                ex.getResponseHeaders().set(MODEL_HEADER, id);
                Responses.json(ex, 200, report);
            }
        }
    }

    /**
     * What this server offers the page beyond the operations: whether a model may be a Hugging Face Hub id (only when
     * started with {@code heft serve --allow-hub}) and how large an uploaded header may be.
     */
    private Map<String, Object> serverInfo() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("schema", "heft.server/1");
        m.put("hub", heft.allowsHub());
        m.put("max_header_bytes", limits.maxHeaderBytes());
        m.put("max_uploads", limits.maxUploads());
        return m;
    }

    private static void requireJson(HttpExchange ex) {
        String type = RequestBody.mediaType(ex);
        if (!type.equals("application/json")) {
            throw new HttpError(415, "POST bodies must be application/json, not '" + type + "'");
        }
    }

    private static void requireMethod(String method, String... allowed) {
        for (String a : allowed) {
            if (a.equals(method)) {
                return;
            }
        }
        throw new HttpError(405, "method " + method + " not allowed here; use " + String.join(" or ", allowed));
    }
}
