package dev.heft.core.service;

import dev.heft.core.api.report.DevicesReport;
import dev.heft.core.api.request.DevicesRequest;
import dev.heft.core.hardware.Device;
import dev.heft.core.hardware.DeviceRegistry;
import dev.heft.core.hardware.LocalDevice;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@code heft devices}: the devices a caller may name (the built-in catalog, its user devices, and this machine when
 * the caller offers it) with the datasheet behind each number, and for this machine what was detected and assumed.
 */
public final class DevicesService {
    private DevicesService() {}

    public static DevicesReport run(DevicesRequest request, DeviceRegistry devices) {
        String category =
                request.category().map(s -> s.toLowerCase(Locale.ROOT)).orElse(null);
        Optional<LocalDevice> local = devices.local(); // detected now when offered: the listing ends with it
        return new DevicesReport(devices.all().stream()
                .filter(d -> category == null || d.category().id().equals(category))
                .map(d -> entry(d, d.id().equals(DeviceRegistry.LOCAL_ID) ? local : Optional.empty()))
                .toList());
    }

    private static DevicesReport.Entry entry(Device d, Optional<LocalDevice> local) {
        return new DevicesReport.Entry(
                d.id(),
                d.name(),
                d.category().id(),
                d.memoryBytes(),
                d.usableBytes(),
                d.bandwidth() > 0 ? Optional.of((long) d.bandwidth()) : Optional.empty(),
                new TreeMap<>(d.peakFlops()),
                d.maxBufferBytes(),
                d.notes(),
                d.source(),
                local.map(LocalDevice::detected),
                local.map(LocalDevice::assumed));
    }
}
