package dev.heft.core.service;

import dev.heft.core.hardware.Device;
import dev.heft.core.hardware.DeviceRegistry;
import dev.heft.core.report.TextTable;
import dev.heft.core.report.Units;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** {@code heft devices}: the device catalog with the datasheet behind each number. */
public final class DevicesService {
    public static final Set<String> OPTIONS = Set.of("category", "sources");

    private DevicesService() {
    }

    public static Result run(Options o) {
        o.requireOnly(OPTIONS);
        String category = o.string("category").map(s -> s.toLowerCase(Locale.ROOT)).orElse(null);
        List<Device> devices = o.devices().all().stream()
                .filter(d -> category == null || d.category().id().equals(category)).toList();
        List<Object> rows = new ArrayList<>();
        TextTable t = new TextTable("id", "name", "category", "memory", "usable", "bandwidth", "bf16", "fp8", "int8")
                .alignRight(3, 4, 5); // also when local's bandwidth reads "unknown"
        for (Device d : devices) {
            Map<String, Object> row = toMap(d);
            if (d.id().equals(DeviceRegistry.LOCAL_ID)) {
                o.devices().local().ifPresent(l -> {
                    row.put("detected", l.detected());
                    row.put("assumed", l.assumed());
                });
            }
            rows.add(row);
            t.row(d.id(), d.name(), d.category().id(), Units.bytes(d.memoryBytes()), Units.bytes(d.usableBytes()),
                    bandwidth(d), tflops(d, "bf16"), tflops(d, "fp8"),
                    tflops(d, "int8"));
        }
        StringBuilder text = new StringBuilder(t.render());
        text.append("\nThroughput in dense TFLOP/s (TOPS for int8), no 2:4 sparsity; blank where the device has no "
                + "such units.\n");
        if (devices.stream().anyMatch(d -> d.id().equals(DeviceRegistry.LOCAL_ID))) {
            o.devices().local().ifPresent(l -> {
                text.append("\nlocal is this machine. Detected:\n");
                l.detected().forEach(x -> text.append("- ").append(x).append('\n'));
                text.append("Assumed:\n");
                l.assumed().forEach(x -> text.append("- ").append(x).append('\n'));
            });
        }
        if (o.flag("sources")) {
            text.append('\n');
            for (Device d : devices) {
                text.append(d.id()).append(": ").append(d.source()).append(d.notes().isEmpty() ? "" : ". " + d.notes())
                        .append('\n');
            }
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("schema", "heft.devices/1");
        root.put("devices", rows);
        return new Result(root, text.toString());
    }

    private static String bandwidth(Device d) {
        return d.bandwidth() > 0 ? Units.fixed(d.bandwidth() / 1e9, 0) + " GB/s" : "unknown";
    }

    private static String tflops(Device d, String key) {
        Double v = d.peakFlops().get(key);
        return v == null ? "" : Units.fixed(v, v < 10 ? 2 : 0);
    }

    public static Map<String, Object> toMap(Device d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", d.id());
        m.put("name", d.name());
        m.put("category", d.category().id());
        m.put("memory_bytes", d.memoryBytes());
        m.put("usable_bytes", d.usableBytes());
        m.put("bandwidth_bytes_per_s", d.bandwidth() > 0 ? (Object) (long) d.bandwidth() : null);
        m.put("peak_tflops", new TreeMap<>(d.peakFlops()));
        m.put("max_buffer_bytes", d.maxBufferBytes().orElse(null));
        m.put("notes", d.notes());
        m.put("source", d.source());
        return m;
    }
}
