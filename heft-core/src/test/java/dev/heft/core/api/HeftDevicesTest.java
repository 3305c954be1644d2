package dev.heft.core.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.heft.core.api.report.DevicesReport;
import dev.heft.core.api.report.FitReport;
import dev.heft.core.api.request.DevicesRequest;
import dev.heft.core.api.request.FitRequest;
import dev.heft.core.api.request.MemoryRequest;
import dev.heft.core.api.request.SpeedRequest;
import dev.heft.core.error.InvalidInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each Heft carries its own devices: a devices file and 'local' belong to the instance that was built with them. */
class HeftDevicesTest {
    private static Path devicesFile(Path dir) throws Exception {
        Path file = dir.resolve("devices.json");
        Files.writeString(
                file,
                "{\"devices\": [{\"id\": \"lab-box\", \"name\": \"Lab box\", \"category\": "
                        + "\"custom\", \"memory_bytes\": 2000000000, \"bandwidth_gbps\": 100, \"tflops\": {\"bf16\": 10}, "
                        + "\"source\": \"me\"}]}");
        return file;
    }

    @Test
    void userDevicesBelongToTheirInstance(@TempDir Path dir) throws Exception {
        Heft mine = Heft.builder().devicesFile(devicesFile(dir)).build();
        Heft plain = Heft.create();
        FitReport fit = mine.open("gpt2")
                .fit(FitRequest.defaults().withDevices(List.of("lab-box")).withDtypes(List.of("bf16")));
        assertThat(fit.rows()).singleElement().satisfies(r -> {
            assertThat(r.device()).isEqualTo("lab-box");
            assertThat(r.usableBytes()).isEqualTo(2_000_000_000L);
        });
        assertThat(mine.open("gpt2")
                        .memory(MemoryRequest.defaults().withBudget("lab-box"))
                        .budgetBytes())
                .hasValue(2_000_000_000L);
        assertThatThrownBy(() -> plain.open("gpt2").speed(SpeedRequest.on("lab-box")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("unknown device 'lab-box'");
        assertThat(mine.devices(DevicesRequest.defaults()).devices())
                .first()
                .extracting(DevicesReport.Entry::id)
                .isEqualTo("lab-box");
        assertThat(plain.devices(DevicesRequest.defaults()).devices()).noneMatch(e -> e.id().equals("lab-box"));
    }

    @Test
    void aDeviceWithoutBf16UnitsIsFittedAtFp16AndTheNotesSaySo() {
        FitReport fit = Heft.create()
                .open("llama-3.2-1b")
                .fit(FitRequest.defaults().withDevices(List.of("t4", "l4")).withDtypes(List.of("bf16")));
        assertThat(fit.notes())
                .filteredOn(n -> n.contains("bf16 runs as fp16"))
                .singleElement()
                .satisfies(n -> assertThat(n).contains("T4"));
    }

    @Test
    void localIsOfferedOnlyWhenAskedFor() {
        Heft plain = Heft.create();
        assertThat(plain.devices(DevicesRequest.defaults()).devices())
                .noneMatch(e -> e.id().equals("local"))
                .allSatisfy(e -> {
                    assertThat(e.detected()).isEmpty();
                    assertThat(e.bandwidthBytesPerS()).isPresent();
                });
        assertThatThrownBy(() -> plain.open("gpt2").fit(FitRequest.defaults().withDevices(List.of("local"))))
                .hasMessageContaining("not available here");
        // This machine, whatever it is: memory detected, and the facts listed as detected and assumed.
        DevicesReport withLocal = Heft.builder().localDevice().build().devices(DevicesRequest.defaults());
        DevicesReport.Entry local = withLocal.devices().getLast();
        assertThat(local.id()).isEqualTo("local");
        assertThat(local.memoryBytes()).isPositive();
        assertThat(local.detected()).hasValueSatisfying(d -> assertThat(d).isNotEmpty());
        assertThat(local.assumed()).isPresent();
        assertThat(withLocal.devices())
                .filteredOn(e -> !e.id().equals("local"))
                .allSatisfy(e -> assertThat(e.detected()).isEmpty());
    }
}
