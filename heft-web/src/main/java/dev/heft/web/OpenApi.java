package dev.heft.web;

import dev.heft.core.api.Operation;
import dev.heft.core.api.Operations;
import dev.heft.core.api.Param;
import dev.heft.core.api.report.Report;
import dev.heft.core.api.report.ReportSchema;
import dev.heft.core.json.JsonWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The OpenAPI 3.1 document of {@code heft serve}, generated from the same {@link Operation} and {@link Param}
 * descriptions the CLI is built from, and from the report records themselves ({@link ReportSchema}): a parameter or a
 * response key cannot be documented differently from what the server accepts and answers.
 */
final class OpenApi {
    private static final String MODEL = "a catalog id (see /api/catalog), upload:ID naming a header uploaded to "
            + ApiHandler.INSPECT_HEADER + ", or, with heft serve --allow-hub, a Hugging Face Hub repo "
            + "hf://OWNER/NAME[@REV][/PATH]; never a path or another URL";

    private OpenApi() {}

    static String document() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("openapi", "3.1.0");
        doc.put(
                "info",
                obj(
                        "title",
                        "heft serve API",
                        "version",
                        "1",
                        "description",
                        "The heft CLI's commands "
                                + "over HTTP on the user's own machine. Every answer is exactly the CLI's --json object. Options are "
                                + "named as the CLI flags without dashes (kv-dtype or kv_dtype); values are written as on the command "
                                + "line (lists comma-separated, or JSON arrays in a body)."));
        doc.put("servers", List.of(obj("url", "/")));
        Map<String, Object> paths = new LinkedHashMap<>();
        Map<String, Object> schemas = new LinkedHashMap<>();
        for (Operation<?> op : ApiHandler.served()) {
            List<String> refs = new ArrayList<>();
            for (Class<? extends Report> r : op.reports()) {
                schemas.put(r.getSimpleName(), ReportSchema.of(r));
                refs.add("#/components/schemas/" + r.getSimpleName());
            }
            Map<String, Object> ok = response("the command's --json report", refs);
            Map<String, Object> item = new LinkedHashMap<>();
            item.put(
                    "get",
                    operation(
                            op,
                            "heft " + op.name() + ": " + op.summary() + " (query parameters)",
                            queryParameters(op),
                            null,
                            ok));
            item.put(
                    "post",
                    operation(op, "heft " + op.name() + ": " + op.summary() + " (JSON body)", List.of(), body(op), ok));
            paths.put("/api/" + op.name(), item);
        }
        schemas.put("InspectReport", ReportSchema.of(dev.heft.core.api.report.InspectReport.class));
        paths.put(
                ApiHandler.INSPECT_HEADER,
                obj(
                        "post",
                        obj(
                                "summary",
                                        "heft inspect of an uploaded header: the first bytes of a safetensors or GGUF file",
                                "description",
                                        "Reads the header (safetensors: the 8-byte length and the JSON header; GGUF: up to "
                                                + "the end of the tensor infos) and holds the model for later requests: the "
                                                + ApiHandler.MODEL_HEADER
                                                + " response header names it as upload:ID, which every /api/NAME "
                                                + "endpoint takes as its model (memory, fit, estimate, speed, compress of the uploaded "
                                                + "model). The server keeps the most recent uploads; an ID it no longer holds is a 410.",
                                "parameters",
                                        List.of(
                                                query(
                                                        "name",
                                                        obj("type", "string"),
                                                        "the file's name (a label only)",
                                                        false),
                                                query(
                                                        "size",
                                                        obj("type", "integer"),
                                                        "the whole file's size in bytes",
                                                        true),
                                                query(
                                                        "config",
                                                        obj("type", "string"),
                                                        "the model's config.json as JSON text, attached as "
                                                                + "a folder's config.json would be (a safetensors header alone has no architecture: "
                                                                + "no KV cache, activations or llama.cpp plans without it)",
                                                        false),
                                                query(
                                                        "tensors",
                                                        obj("type", "boolean"),
                                                        Operations.INSPECT
                                                                .params()
                                                                .getFirst()
                                                                .describe(),
                                                        false)),
                                "requestBody",
                                        obj(
                                                "required",
                                                true,
                                                "content",
                                                obj(
                                                        "application/octet-stream",
                                                        obj("schema", obj("type", "string", "format", "binary")))),
                                "responses",
                                        obj(
                                                "200",
                                                        withHeader(
                                                                response(
                                                                        "the inspect report",
                                                                        List.of("#/components/schemas/InspectReport")),
                                                                ApiHandler.MODEL_HEADER,
                                                                "upload:ID: the model field that names this upload in "
                                                                        + "later requests"),
                                                "400", errorResponse(),
                                                "422",
                                                        obj(
                                                                "description",
                                                                "the bytes end inside a GGUF header; need_bytes says how many to "
                                                                        + "send",
                                                                "content",
                                                                obj(
                                                                        "application/json",
                                                                        obj(
                                                                                "schema",
                                                                                obj(
                                                                                        "$ref",
                                                                                        "#/components/schemas/Error"))))))));
        paths.put(
                ApiHandler.SERVER,
                obj(
                        "get",
                        obj(
                                "summary",
                                "what this server offers the page",
                                "responses",
                                obj(
                                        "200",
                                        obj(
                                                "description",
                                                "schema heft.server/1: hub (whether a model may be a Hub "
                                                        + "id OWNER/NAME as hf://OWNER/NAME), max_header_bytes (the largest header upload), "
                                                        + "max_uploads (uploads held at once)",
                                                "content",
                                                obj(
                                                        "application/json",
                                                        obj(
                                                                "schema",
                                                                obj(
                                                                        "type",
                                                                        "object",
                                                                        "properties",
                                                                        obj(
                                                                                "schema",
                                                                                obj("type", "string"),
                                                                                "hub",
                                                                                obj("type", "boolean"),
                                                                                "max_header_bytes",
                                                                                obj("type", "integer"),
                                                                                "max_uploads",
                                                                                obj("type", "integer"))))))))));
        paths.put(
                ApiHandler.OPENAPI,
                obj(
                        "get",
                        obj(
                                "summary",
                                "this document",
                                "responses",
                                obj("200", obj("description", "the OpenAPI document")))));
        paths.put(
                ApiHandler.CHART,
                obj(
                        "post",
                        obj(
                                "summary",
                                "an SVG chart of numbers the page already has",
                                "requestBody",
                                obj(
                                        "required",
                                        true,
                                        "content",
                                        obj("application/json", obj("schema", obj("type", "object")))),
                                "responses",
                                obj("200", obj("description", "image/svg+xml"), "400", errorResponse()))));
        doc.put("paths", paths);
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("type", "object");
        error.put(
                "properties",
                obj(
                        "error",
                        obj("type", "string"),
                        "status",
                        obj("type", "integer"),
                        "need_bytes",
                        obj("type", "integer")));
        error.put("required", List.of("error", "status"));
        schemas.put("Error", error);
        doc.put("components", obj("schemas", schemas));
        return JsonWriter.write(doc);
    }

    private static Map<String, Object> operation(
            Operation<?> op,
            String summary,
            List<Object> parameters,
            Map<String, Object> body,
            Map<String, Object> ok) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("summary", summary);
        m.put("description", op.description());
        m.put("operationId", op.name().replace("-", "_") + (body == null ? "_get" : "_post"));
        if (!parameters.isEmpty()) {
            m.put("parameters", parameters);
        }
        if (body != null) {
            m.put("requestBody", body);
        }
        if (op.models() == Operation.Models.NONE) {
            m.put("responses", obj("200", ok, "400", errorResponse()));
        } else {
            m.put(
                    "responses",
                    obj(
                            "200",
                            ok,
                            "400",
                            errorResponse(),
                            "410",
                            obj(
                                    "description",
                                    "model names an " + "upload the server no longer holds: upload the header again",
                                    "content",
                                    obj(
                                            "application/json",
                                            obj("schema", obj("$ref", "#/components/schemas/Error"))))));
        }
        return m;
    }

    private static List<Object> queryParameters(Operation<?> op) {
        List<Object> out = new ArrayList<>();
        if (op.models() != Operation.Models.NONE) {
            out.add(query("model", obj("type", "string"), MODEL, false));
            out.add(query("config", obj("type", "string"), "a config.json as JSON text (instead of model)", false));
        }
        for (Param<?> p : op.params()) {
            out.add(query(p.name(), schema(p), p.describe(), p.isRequired()));
        }
        return out;
    }

    private static Map<String, Object> body(Operation<?> op) {
        Map<String, Object> props = new LinkedHashMap<>();
        if (op.models() != Operation.Models.NONE) {
            props.put("model", obj("type", "string", "description", MODEL));
            props.put("config", obj("type", "object", "description", "a config.json (instead of model)"));
        }
        List<String> required = new ArrayList<>();
        for (Param<?> p : op.params()) {
            Map<String, Object> s = new LinkedHashMap<>(schema(p));
            s.put("description", p.describe());
            props.put(p.name(), s);
            if (p.isRequired()) {
                required.add(p.name());
            }
        }
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("type", "object");
        schema.put("properties", props);
        if (!required.isEmpty()) {
            schema.put("required", required);
        }
        return obj(
                "required",
                op.models() != Operation.Models.NONE,
                "content",
                obj("application/json", obj("schema", schema)));
    }

    /** The JSON type of a parameter: its element type, a list of it, or a boolean switch; candidates as an enum. */
    private static Map<String, Object> schema(Param<?> p) {
        Map<String, Object> element = new LinkedHashMap<>();
        Class<?> t = p.elementType();
        element.put(
                "type", t == Long.class || t == Integer.class ? "integer" : t == Boolean.class ? "boolean" : "string");
        if (!p.candidates().isEmpty() && t != Integer.class) {
            element.put("enum", p.candidates());
        }
        if (p.kind() == Param.Kind.LIST) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put(
                    "oneOf",
                    List.of(
                            obj("type", "string", "description", "comma-separated"),
                            obj("type", "array", "items", element)));
            p.defaultText().ifPresent(d -> s.put("default", d));
            return s;
        }
        p.defaultText().ifPresent(d -> element.put("default", d));
        return element;
    }

    private static Map<String, Object> query(
            String name, Map<String, Object> schema, String description, boolean required) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("in", "query");
        m.put("required", required);
        m.put("schema", schema);
        m.put("description", description);
        return m;
    }

    private static Map<String, Object> response(String description, List<String> refs) {
        Map<String, Object> schema = refs.size() == 1
                ? obj("$ref", refs.getFirst())
                : obj("oneOf", refs.stream().map(r -> obj("$ref", r)).toList());
        return obj("description", description, "content", obj("application/json", obj("schema", schema)));
    }

    private static Map<String, Object> withHeader(Map<String, Object> response, String name, String description) {
        Map<String, Object> r = new LinkedHashMap<>(response);
        r.put("headers", obj(name, obj("description", description, "schema", obj("type", "string"))));
        return r;
    }

    private static Map<String, Object> errorResponse() {
        return obj(
                "description",
                "bad input: one line saying what was wrong",
                "content",
                obj("application/json", obj("schema", obj("$ref", "#/components/schemas/Error"))));
    }

    /** An object with its keys in the order given (JSON output must not depend on hash order). */
    private static Map<String, Object> obj(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }
}
