package dev.heft.core.service;

import dev.heft.core.api.report.DevicesReport;
import dev.heft.core.api.request.DevicesRequest;
import dev.heft.core.hardware.Device;
import dev.heft.core.hardware.DeviceCatalog;
import java.util.Locale;
import java.util.TreeMap;

/** {@code heft devices}: the device catalog with the datasheet behind each number. */
public final class DevicesService {
    private DevicesService() {
    }

    public static DevicesReport run(DevicesRequest request) {
        String category = request.category().map(s -> s.toLowerCase(Locale.ROOT)).orElse(null);
        return new DevicesReport(DeviceCatalog.all().stream()
                .filter(d -> category == null || d.category().id().equals(category))
                .map(DevicesService::entry).toList());
    }

    public static DevicesReport.Entry entry(Device d) {
        return new DevicesReport.Entry(d.id(), d.name(), d.category().id(), d.memoryBytes(), d.usableBytes(),
                (long) d.bandwidth(), new TreeMap<>(d.peakFlops()), d.maxBufferBytes(), d.notes(), d.source());
    }
}
