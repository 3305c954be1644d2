package dev.heft.core.hardware;

import dev.heft.core.error.InvalidInputException;
import dev.heft.core.json.Json;
import dev.heft.core.json.JsonValue;
import dev.heft.core.json.JsonValue.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The embedded device catalog ({@code devices.json} beside this class: every number with its datasheet), plus custom
 * devices from a JSON file or a one-line spec ({@code custom:mem=24GB,bw=936,bf16=71}). Multi-device splits are
 * written {@code 8xh100-sxm}. The catalog is read-only; devices a user adds and this machine live in a
 * {@link DeviceRegistry} that callers pass explicitly.
 */
public final class DeviceCatalog {
    private static final String RESOURCE = "/dev/heft/core/hardware/devices.json";

    private DeviceCatalog() {}

    /** The built-in catalog, in catalog order. */
    public static List<Device> builtIn() {
        return Holder.DEVICES;
    }

    /** The built-in catalog ({@link DeviceRegistry} adds user devices and this machine). */
    public static List<Device> all() {
        return builtIn();
    }

    /** Lazy, thread-safe load of the resource (the JVM initialises a holder class once). */
    private static final class Holder {
        static final List<Device> DEVICES = load();

        private static List<Device> load() {
            try (InputStream in = DeviceCatalog.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("device catalog resource missing: " + RESOURCE);
                }
                return parse(Json.parse(in.readAllBytes()).asObject(RESOURCE), RESOURCE);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** A built-in device by id, {@code Nxid} for N identical devices, or {@code custom:...}. */
    public static Device find(String spec) {
        return DeviceRegistry.builtIn().find(spec);
    }

    /**
     * A device from {@code mem=24GB,bw=936,bf16=71[,fp8=..][,usable=20GB][,name=...]}: memory with a unit (GB, GiB,
     * TB, MB), bandwidth in GB/s, throughput in TFLOP/s per dtype key.
     */
    public static Device custom(String spec) {
        Map<String, String> kv = new LinkedHashMap<>();
        for (String part : spec.split(",")) {
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw new InvalidInputException("custom device: expected key=value, got '" + part + "'");
            }
            kv.put(
                    part.substring(0, eq).trim().toLowerCase(Locale.ROOT),
                    part.substring(eq + 1).trim());
        }
        if (!kv.containsKey("mem") || !kv.containsKey("bw")) {
            throw new InvalidInputException("custom device: 'mem' (e.g. 24GB) and 'bw' (GB/s) are required");
        }
        long mem = parseBytes(kv.remove("mem"));
        long usable = kv.containsKey("usable") ? parseBytes(kv.remove("usable")) : mem;
        double bw = parseNumber("bw", kv.remove("bw")) * 1e9;
        String name = kv.containsKey("name") ? kv.remove("name") : "custom device";
        Map<String, Double> flops = new HashMap<>();
        for (Map.Entry<String, String> e : kv.entrySet()) {
            if (!List.of("fp32", "tf32", "bf16", "fp16", "fp8", "int8", "int4").contains(e.getKey())) {
                throw new InvalidInputException("custom device: unknown key '" + e.getKey()
                        + "' (known: mem, usable, bw, name, fp32, tf32, bf16, fp16, fp8, int8, int4)");
            }
            flops.put(e.getKey(), parseNumber(e.getKey(), e.getValue()));
        }
        if (flops.isEmpty()) {
            throw new InvalidInputException("custom device: give at least one throughput, e.g. bf16=71 (TFLOP/s)");
        }
        if (usable > mem) {
            throw new InvalidInputException("custom device: usable memory exceeds memory");
        }
        return new Device(
                "custom",
                name,
                DeviceCategory.CUSTOM,
                mem,
                usable,
                bw,
                flops,
                Optional.empty(),
                "user-described device",
                "command line");
    }

    /** Devices from a JSON file shaped like the built-in catalog ({@code {"devices": [...]}}). */
    public static List<Device> fromFile(Path file) throws IOException {
        return parse(Json.parse(Files.readAllBytes(file)).asObject(file.toString()), file.toString());
    }

    /** A size as people write it: 24GB (1e9), 24GiB, 512MB, 1TB. */
    public static long parseBytes(String s) {
        String t = s.trim().toUpperCase(Locale.ROOT).replace(" ", "");
        long mult;
        String num;
        if (t.endsWith("GIB")) {
            mult = 1L << 30;
            num = t.substring(0, t.length() - 3);
        } else if (t.endsWith("MIB")) {
            mult = 1L << 20;
            num = t.substring(0, t.length() - 3);
        } else if (t.endsWith("TIB")) {
            mult = 1L << 40;
            num = t.substring(0, t.length() - 3);
        } else if (t.endsWith("GB")) {
            mult = 1_000_000_000L;
            num = t.substring(0, t.length() - 2);
        } else if (t.endsWith("MB")) {
            mult = 1_000_000L;
            num = t.substring(0, t.length() - 2);
        } else if (t.endsWith("TB")) {
            mult = 1_000_000_000_000L;
            num = t.substring(0, t.length() - 2);
        } else {
            throw new InvalidInputException("memory size '" + s + "' needs a unit: GB, GiB, MB, MiB, TB or TiB");
        }
        double v = parseNumber("memory", num);
        if (v <= 0 || v * mult > Long.MAX_VALUE / 2) {
            throw new InvalidInputException("memory size '" + s + "' is out of range");
        }
        return (long) (v * mult);
    }

    private static double parseNumber(String key, String v) {
        try {
            double d = Double.parseDouble(v);
            if (!(d > 0) || Double.isInfinite(d)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new InvalidInputException("custom device: '" + key + "' must be a positive number, got '" + v + "'");
        }
    }

    private static List<Device> parse(JsonObject root, String where) {
        List<Device> out = new ArrayList<>();
        JsonValue.JsonArray arr = root.getArray("devices")
                .orElseThrow(() -> new InvalidInputException(where + ": expected a \"devices\" array"));
        for (JsonValue v : arr.elements()) {
            JsonObject o = v.asObject(where + ": device");
            String id = o.getString("id", null);
            if (id == null) {
                throw new InvalidInputException(where + ": a device has no \"id\"");
            }
            long mem = o.getLong("memory_bytes", -1);
            long usable = o.has("usable_bytes")
                    ? o.getLong("usable_bytes", mem)
                    : (long) Math.floor(mem * o.getDouble("usable_fraction", 1.0));
            Map<String, Double> flops = new HashMap<>();
            // Both spellings: the catalog's (tflops, bandwidth_gbps) and 'heft devices --json' (peak_tflops,
            // bandwidth_bytes_per_s), so a user can edit either into a devices file.
            o.getObject("tflops")
                    .or(() -> o.getObject("peak_tflops"))
                    .ifPresent(t -> t.members().forEach((k, x) -> {
                        if (!(x instanceof JsonValue.JsonNumber n)) {
                            throw new InvalidInputException(
                                    where + ": device '" + id + "': throughput '" + k + "' must be a number");
                        }
                        flops.put(k, n.value().doubleValue());
                    }));
            double bandwidth = o.has("bandwidth_gbps")
                    ? o.getDouble("bandwidth_gbps", -1) * 1e9
                    : o.getDouble("bandwidth_bytes_per_s", -1);
            Optional<Long> maxBuffer =
                    o.has("max_buffer_bytes") ? Optional.of(o.getLong("max_buffer_bytes", 0)) : Optional.empty();
            try {
                out.add(new Device(
                        id,
                        o.getString("name", id),
                        DeviceCategory.fromId(o.getString("category", "custom")),
                        mem,
                        usable,
                        bandwidth,
                        flops,
                        maxBuffer,
                        o.getString("notes", ""),
                        o.getString("source", "")));
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException(where + ": device '" + id + "': " + e.getMessage(), e);
            }
        }
        return List.copyOf(out);
    }
}
