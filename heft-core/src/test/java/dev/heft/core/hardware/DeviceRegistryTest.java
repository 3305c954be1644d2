package dev.heft.core.hardware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.heft.core.error.InvalidInputException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DeviceRegistryTest {
    private static Device user(String id, long gib) {
        return new Device(
                id,
                "my " + id,
                DeviceCategory.CUSTOM,
                gib << 30,
                gib << 30,
                100e9,
                Map.of("bf16", 10.0),
                Optional.empty(),
                "",
                "test");
    }

    private static LocalDevice local() {
        Device d = new Device(
                DeviceRegistry.LOCAL_ID,
                "this machine",
                DeviceCategory.CPU,
                32L << 30,
                16L << 30,
                0,
                Map.of(),
                Optional.empty(),
                "",
                "detected on this machine");
        return new LocalDevice(d, List.of("RAM 32 GiB"), List.of("bandwidth unknown"));
    }

    @Test
    void registriesAreValuesThatDoNotSeeEachOther() {
        DeviceRegistry a = DeviceRegistry.builtIn().withUserDevices(List.of(user("lab-card", 40)));
        DeviceRegistry b = DeviceRegistry.builtIn();
        assertThat(a.find("lab-card").memoryBytes()).isEqualTo(40L << 30);
        assertThatThrownBy(() -> b.find("lab-card")).isInstanceOf(InvalidInputException.class);
        assertThat(DeviceCatalog.all()).noneMatch(d -> d.id().equals("lab-card"));
        assertThat(a.all()).first().extracting(Device::id).isEqualTo("lab-card");
    }

    @Test
    void aUserDeviceReplacesTheBuiltInOneWithItsId() {
        DeviceRegistry r = DeviceRegistry.builtIn().withUserDevices(List.of(user("rtx-4090", 48)));
        assertThat(r.find("rtx-4090").memoryBytes()).isEqualTo(48L << 30);
        assertThat(r.find("2xrtx-4090").memoryBytes()).isEqualTo(96L << 30);
        assertThat(r.all().stream().filter(d -> d.id().equals("rtx-4090"))).hasSize(1);
        assertThat(DeviceRegistry.builtIn().find("rtx-4090").memoryBytes()).isEqualTo(25_757_220_864L);
        // a later file wins over an earlier one
        DeviceRegistry later = r.withUserDevices(List.of(user("rtx-4090", 12)));
        assertThat(later.find("rtx-4090").memoryBytes()).isEqualTo(12L << 30);
    }

    @Test
    void localIsDetectedOnceAndOnlyWhenAskedFor() {
        AtomicInteger probes = new AtomicInteger();
        DeviceRegistry r = DeviceRegistry.builtIn().withLocal(() -> {
            probes.incrementAndGet();
            return local();
        });
        assertThat(r.find("h200").id()).isEqualTo("h200");
        assertThatThrownBy(() -> r.find("h2000")).hasMessageContaining("did you mean");
        assertThat(probes).hasValue(0);
        assertThat(r.find("local").usableBytes()).isEqualTo(16L << 30);
        assertThat(r.find("LOCAL").id()).isEqualTo("local");
        assertThat(r.all()).extracting(Device::id).contains("local", "h200");
        assertThat(probes).hasValue(1);
    }

    @Test
    void withoutDetectionLocalIsAClearError() {
        assertThatThrownBy(() -> DeviceRegistry.builtIn().find("local"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("not available here");
        assertThat(DeviceRegistry.builtIn().all()).noneMatch(d -> d.id().equals("local"));
    }

    @Test
    void countsAndCustomDevicesParseOrFailOnOneLine() {
        DeviceRegistry r = DeviceRegistry.builtIn();
        assertThat(r.find("8xh100-sxm").memoryBytes())
                .isEqualTo(8 * r.find("h100-sxm").memoryBytes());
        assertThat(r.find("custom:mem=24GB,bw=936,bf16=71").bandwidth()).isEqualTo(936e9);
        assertThatThrownBy(() -> r.find("99999999999999x h100-sxm"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("between 1 and 4096");
        assertThatThrownBy(() -> r.find("0xh100-sxm")).isInstanceOf(InvalidInputException.class);
    }
}
