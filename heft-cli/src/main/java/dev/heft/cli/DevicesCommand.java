package dev.heft.cli;

import dev.heft.core.hardware.Device;
import dev.heft.core.hardware.DeviceCatalog;
import dev.heft.core.json.JsonWriter;
import dev.heft.core.report.TextTable;
import dev.heft.core.report.Units;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "devices", description = {"The device catalog: memory, bandwidth and peak dense throughput, each with "
        + "its datasheet. Use the ids with --device / --devices."})
final class DevicesCommand implements Callable<Integer> {
    @Option(names = "--category", description = "Only this category (datacenter-gpu, consumer-gpu, apple-silicon, cpu, "
            + "edge, phone, browser).")
    String category;

    @Option(names = "--sources", description = "Show each device's source and notes.")
    boolean sources;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() {
        List<Device> devices = DeviceCatalog.all().stream()
                .filter(d -> category == null || d.category().id().equals(category.toLowerCase(Locale.ROOT)))
                .toList();
        if (output.json) {
            List<Object> rows = new ArrayList<>();
            for (Device d : devices) {
                rows.add(toMap(d));
            }
            Map<String, Object> root = new LinkedHashMap<>();
            root.put("schema", "heft.devices/1");
            root.put("devices", rows);
            output.out().println(JsonWriter.write(root));
        } else {
            TextTable t = new TextTable("id", "name", "category", "memory", "usable", "bandwidth", "bf16", "fp8",
                    "int8");
            for (Device d : devices) {
                t.row(d.id(), d.name(), d.category().id(), Units.bytes(d.memoryBytes()), Units.bytes(d.usableBytes()),
                        Units.fixed(d.bandwidth() / 1e9, 0) + " GB/s", tflops(d, "bf16"), tflops(d, "fp8"),
                        tflops(d, "int8"));
            }
            output.out().print(t.render());
            output.out().println("\nThroughput in dense TFLOP/s (TOPS for int8), no 2:4 sparsity; blank where the "
                    + "device has no such units.");
            if (sources) {
                output.out().println();
                for (Device d : devices) {
                    output.out().println(d.id() + ": " + d.source() + (d.notes().isEmpty() ? "" : ". " + d.notes()));
                }
            }
        }
        output.out().flush();
        return 0;
    }

    private static String tflops(Device d, String key) {
        Double v = d.peakFlops().get(key);
        return v == null ? "" : Units.fixed(v, v < 10 ? 2 : 0);
    }

    static Map<String, Object> toMap(Device d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", d.id());
        m.put("name", d.name());
        m.put("category", d.category().id());
        m.put("memory_bytes", d.memoryBytes());
        m.put("usable_bytes", d.usableBytes());
        m.put("bandwidth_bytes_per_s", (long) d.bandwidth());
        m.put("peak_tflops", new java.util.TreeMap<>(d.peakFlops()));
        m.put("max_buffer_bytes", d.maxBufferBytes().orElse(null));
        m.put("notes", d.notes());
        m.put("source", d.source());
        return m;
    }
}
