package dev.heft.core.hardware;

import java.util.List;

/**
 * This machine as a device ({@code --device local}): the {@link Device} heft plans with, and what of it was detected
 * and what was assumed, so that every report can say both.
 *
 * @param device   id {@code local}; memory, bandwidth and throughput as detected or taken from the catalog entry it
 *                 matched; a bandwidth of 0 and no throughput mean unknown ({@link Device#ratesKnown()})
 * @param detected facts read from this machine ("NVIDIA GeForce RTX 4090, 24,564 MiB (nvidia-smi)")
 * @param assumed  what heft filled in and from where ("bandwidth and throughput of catalog entry rtx-4090")
 */
public record LocalDevice(Device device, List<String> detected, List<String> assumed) {
    public LocalDevice {
        detected = List.copyOf(detected);
        assumed = List.copyOf(assumed);
        if (!device.id().equals(DeviceRegistry.LOCAL_ID)) {
            throw new IllegalArgumentException("a local device has id 'local', got " + device.id());
        }
    }
}
