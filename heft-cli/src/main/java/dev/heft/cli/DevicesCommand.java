package dev.heft.cli;

import dev.heft.core.service.DevicesService;
import dev.heft.core.service.Options;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "devices", description = {"The device catalog: memory, bandwidth and peak dense throughput, each with "
        + "its datasheet. Use the ids with --device / --devices."})
final class DevicesCommand implements Callable<Integer> {
    @picocli.CommandLine.ParentCommand
    Heft root;

    @Option(names = "--category", description = "Only this category (datacenter-gpu, consumer-gpu, apple-silicon, cpu, "
            + "edge, phone, browser).")
    String category;

    @Option(names = "--sources", description = "Show each device's source and notes.")
    boolean sources;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() {
        Map<String, Object> o = new HashMap<>();
        o.put("category", category);
        if (sources) {
            o.put("sources", true);
        }
        return output.print(DevicesService.run(Options.of(o).withDevices(Heft.devices(root))));
    }
}
