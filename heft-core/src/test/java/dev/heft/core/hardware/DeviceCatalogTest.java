package dev.heft.core.hardware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.heft.core.error.InvalidInputException;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeviceCatalogTest {
    @Test
    void everyDeviceTheFirstIssueNamesIsPresent() {
        List<String> required = List.of(
                "h200",
                "h100-sxm",
                "h100-pcie",
                "a100-40gb",
                "a100-80gb",
                "l40s",
                "l4",
                "a10",
                "t4",
                "v100",
                "rtx-5090",
                "rtx-4090",
                "rtx-4080",
                "rtx-4070",
                "rtx-3090",
                "rtx-3060",
                "mi300x",
                "mi250",
                "m1",
                "m1-pro",
                "m1-max",
                "m1-ultra",
                "m2",
                "m2-pro",
                "m2-max",
                "m2-ultra",
                "m3",
                "m3-pro",
                "m3-max",
                "m3-ultra",
                "m4",
                "m4-pro",
                "m4-max",
                "gaudi3",
                "cpu-ddr4",
                "cpu-ddr5",
                "jetson-orin",
                "rpi5",
                "snapdragon-8g3",
                "a17-pro",
                "tensor-g3",
                "webgpu",
                "wasm32");
        // issue 14 item 9's devices, and uniqueness and sources of every entry: DeviceTableTest
        assertThat(DeviceCatalog.all().stream().map(Device::id)).containsAll(required);
    }

    @Test
    void theH200CapacityIsWhatTorchReportedOnTheMeasuredCard() {
        // ../shared/ground-truth/gpu-measurements.json device.total_memory
        assertThat(DeviceCatalog.find("h200").memoryBytes()).isEqualTo(150_109_880_320L);
    }

    @Test
    void wasmIsCappedAtFourGibibytesAndPhonesAtWhatAnAppMayUse() {
        assertThat(DeviceCatalog.find("wasm32").usableBytes()).isEqualTo(65_536L * 65_536L);
        Device phone = DeviceCatalog.find("a17-pro");
        assertThat(phone.usableBytes()).isLessThan(phone.memoryBytes());
        assertThat(DeviceCatalog.find("webgpu").maxBufferBytes()).isPresent();
    }

    @Test
    void multiDeviceSplitMultipliesMemoryBandwidthAndCompute() {
        Device one = DeviceCatalog.find("h100-sxm");
        Device eight = DeviceCatalog.find("8xh100-sxm");
        assertThat(eight.memoryBytes()).isEqualTo(8 * one.memoryBytes());
        assertThat(eight.bandwidth()).isEqualTo(8 * one.bandwidth());
        assertThat(eight.peakFlopsFor("bf16")).isEqualTo(8 * one.peakFlopsFor("bf16"));
    }

    @Test
    void customDevicesFromOneLine() {
        Device d = DeviceCatalog.custom("mem=24GiB,bw=936,bf16=71,name=my card");
        assertThat(d.memoryBytes()).isEqualTo(24L << 30);
        assertThat(d.bandwidth()).isEqualTo(936e9);
        assertThat(d.peakFlopsFor("bf16")).isEqualTo(71e12);
        assertThat(d.name()).isEqualTo("my card");
        assertThatThrownBy(() -> DeviceCatalog.custom("mem=24,bw=1,bf16=1")).hasMessageContaining("unit");
        assertThatThrownBy(() -> DeviceCatalog.custom("mem=24GB,bw=1,tops=5"))
                .hasMessageContaining("unknown key 'tops'");
    }

    @Test
    void unknownIdSuggestsTheNearestOne() {
        assertThatThrownBy(() -> DeviceCatalog.find("rtx4090"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("did you mean 'rtx-4090'");
    }

    @Test
    void missingUnitsFallBackToTheNextSlowerPath() {
        // issue 14: T4 and V100 have no bf16 units; a bf16 model runs as fp16 there (same bytes, fp16 rate)
        for (String id : List.of("t4", "v100")) {
            Device d = DeviceCatalog.find(id);
            assertThat(d.executesAs("bf16")).isEqualTo("fp16");
            assertThat(d.peakFlopsFor("bf16")).isEqualTo(d.peakFlops().get("fp16") * 1e12);
            assertThat(d.substitutionNote("bf16"))
                    .hasValueSatisfying(
                            n -> assertThat(n).contains("no bf16 units").contains("runs as fp16"));
        }
        Device a100 = DeviceCatalog.find("a100-80gb");
        assertThat(a100.peakFlopsFor("fp8")).isEqualTo(a100.peakFlops().get("bf16") * 1e12);
        assertThat(a100.substitutionNote("bf16")).isEmpty();
        // a TPU publishes no fp32 matrix rate: fp32 work is planned at the bf16 rate, never at 0
        Device tpu = DeviceCatalog.find("tpu-v6e");
        assertThat(tpu.peakFlopsFor("fp32")).isEqualTo(918e12);
        assertThat(tpu.peakFlopsFor("fp16")).isEqualTo(918e12);
    }
}
