package dev.heft.core.hardware.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heft.core.hardware.DeviceCatalog;
import dev.heft.core.hardware.DeviceCategory;
import dev.heft.core.hardware.LocalDevice;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Detection from recorded nvidia-smi, sysctl and /proc outputs (see the README beside the recordings). */
class LocalDetectorTest {
    /** Answers commands and files from recordings; anything not recorded is absent, as on a machine without it. */
    static final class Recorded implements Probe {
        private final String os;
        private final Map<String, String> commands = new HashMap<>();
        private final Map<String, String> files = new HashMap<>();

        Recorded(String os) {
            this.os = os;
        }

        Recorded nvidiaSmi(String recording) {
            commands.put(NvidiaSmi.COMMAND.getFirst(), load(recording));
            return this;
        }

        Recorded sysctl(String recording) {
            commands.put(Sysctl.COMMAND.getFirst(), load(recording));
            return this;
        }

        Recorded file(String path, String recording) {
            files.put(path, load(recording));
            return this;
        }

        @Override
        public String osName() {
            return os;
        }

        @Override
        public Optional<String> run(List<String> command) {
            return Optional.ofNullable(commands.get(command.getFirst()));
        }

        @Override
        public Optional<String> read(String path) {
            return Optional.ofNullable(files.get(path));
        }
    }

    static String load(String name) {
        try (InputStream in = LocalDetectorTest.class.getResourceAsStream("/dev/heft/core/hardware/local/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing recording " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static LocalDevice detect(Recorded probe) {
        return new LocalDetector(probe, DeviceCatalog.builtIn()).detect();
    }

    static Recorded linux() {
        return new Recorded("linux")
                .file("/proc/meminfo", "proc-meminfo-linux.txt")
                .file("/proc/cpuinfo", "proc-cpuinfo-epyc-2cpu.txt");
    }

    @Test
    void anRtx4090IsMatchedToTheCatalogWithTheMemoryNvidiaSmiReports() {
        LocalDevice l = detect(linux().nvidiaSmi("nvidia-smi-rtx-4090.csv"));
        var rtx = DeviceCatalog.find("rtx-4090");
        assertThat(l.device().id()).isEqualTo("local");
        assertThat(l.device().memoryBytes()).isEqualTo(24_564L << 20);
        assertThat(l.device().usableBytes()).isEqualTo(24_564L << 20);
        assertThat(l.device().bandwidth()).isEqualTo(rtx.bandwidth());
        assertThat(l.device().peakFlops()).isEqualTo(rtx.peakFlops());
        assertThat(l.device().category()).isEqualTo(DeviceCategory.CONSUMER_GPU);
        assertThat(l.detected())
                .anySatisfy(d -> assertThat(d)
                        .contains("NVIDIA GeForce RTX 4090")
                        .contains("24,564 MiB")
                        .contains("23,922 MiB free")
                        .contains("driver 550.54.14"));
        assertThat(l.assumed()).anySatisfy(a -> assertThat(a).contains("catalog entry rtx-4090"));
    }

    @Test
    void eightIdenticalH100sAreOneTensorParallelDevice() {
        LocalDevice l = detect(linux().nvidiaSmi("nvidia-smi-8x-h100-sxm.csv"));
        var h100 = DeviceCatalog.find("h100-sxm");
        assertThat(l.device().memoryBytes()).isEqualTo(8 * (81_559L << 20));
        assertThat(l.device().bandwidth()).isEqualTo(8 * h100.bandwidth());
        assertThat(l.device().peakFlopsFor("bf16")).isEqualTo(8 * h100.peakFlopsFor("bf16"));
        assertThat(l.detected()).hasSize(8);
        assertThat(l.assumed())
                .anySatisfy(a -> assertThat(a).contains("8 GPUs together").contains("8xh100-sxm"));
    }

    @Test
    void differentGpusUseTheFirstAndSaySo() {
        LocalDevice l = detect(linux().nvidiaSmi("nvidia-smi-mixed.csv"));
        assertThat(l.device().memoryBytes()).isEqualTo(24_564L << 20);
        assertThat(l.device().bandwidth())
                .isEqualTo(DeviceCatalog.find("rtx-4090").bandwidth());
        assertThat(l.assumed()).anySatisfy(a -> assertThat(a).contains("the GPUs differ"));
    }

    @Test
    void aGpuTheCatalogDoesNotKnowHasUnknownRates() {
        LocalDevice l = detect(linux().nvidiaSmi("nvidia-smi-not-in-catalog.csv"));
        assertThat(l.device().memoryBytes()).isEqualTo(11_264L << 20);
        assertThat(l.device().ratesKnown()).isFalse();
        assertThat(l.assumed())
                .anySatisfy(a -> assertThat(a).contains("not in the catalog").contains("unknown"));
    }

    @Test
    void memoryDecidesTheVariantAndNotAvailableFieldsAreSkipped() {
        LocalDevice l = detect(linux().nvidiaSmi("nvidia-smi-4060-ti-16gb-and-na.csv"));
        assertThat(l.device().bandwidth())
                .isEqualTo(DeviceCatalog.find("rtx-4060-ti-16gb").bandwidth());
        assertThat(l.detected().getFirst()).doesNotContain("free");
        LocalDevice t4 = detect(linux().nvidiaSmi("nvidia-smi-tesla-t4.csv"));
        assertThat(t4.device().peakFlops()).isEqualTo(DeviceCatalog.find("t4").peakFlops());
        assertThat(t4.device().executesAs("bf16")).isEqualTo("fp16");
    }

    @Test
    void appleSiliconIsReadFromSysctlWithMacOsWorkingSetLimit() {
        LocalDevice small = detect(new Recorded("mac os x").sysctl("sysctl-apple-m3-max-36gb.txt"));
        assertThat(small.device().category()).isEqualTo(DeviceCategory.APPLE_SILICON);
        assertThat(small.device().memoryBytes()).isEqualTo(36L << 30);
        assertThat(small.device().usableBytes()).isEqualTo((long) Math.floor((36L << 30) * 0.6667));
        // the 36 GB M3 Max has the 30-core GPU and 300 GB/s, not the 40-core part's 400 GB/s
        assertThat(small.device().bandwidth()).isEqualTo(300e9);
        LocalDevice big = detect(new Recorded("mac os x").sysctl("sysctl-apple-m4-max-128gb.txt"));
        assertThat(big.device().usableBytes()).isEqualTo((long) Math.floor((128L << 30) * 0.75));
        assertThat(big.device().bandwidth())
                .isEqualTo(DeviceCatalog.find("m4-max").bandwidth());
        // no 64 GB M2 Ultra entry: the chip's entry gives the rates, the detected memory stands
        LocalDevice ultra = detect(new Recorded("mac os x").sysctl("sysctl-apple-m2-ultra-64gb.txt"));
        assertThat(ultra.device().memoryBytes()).isEqualTo(64L << 30);
        assertThat(ultra.device().bandwidth())
                .isEqualTo(DeviceCatalog.find("m2-ultra").bandwidth());
        assertThat(ultra.detected().getFirst())
                .contains("Apple M2 Ultra")
                .contains("64.00 GiB")
                .contains("24 CPUs");
    }

    @Test
    void anIntelMacFallsBackToTheCpu() {
        LocalDevice l = detect(new Recorded("mac os x").sysctl("sysctl-intel-mac.txt"));
        assertThat(l.device().category()).isEqualTo(DeviceCategory.CPU);
        assertThat(l.device().memoryBytes()).isPositive();
    }

    @Test
    void aLinuxCpuReportsTotalAndAvailableRamAndUnknownBandwidth() {
        LocalDevice l = detect(linux());
        // /proc/meminfo recorded: MemTotal 24683748 kB, MemAvailable 17847956 kB
        assertThat(l.device().memoryBytes()).isEqualTo(24_683_748L * 1024);
        assertThat(l.device().usableBytes()).isEqualTo(17_847_956L * 1024);
        assertThat(l.device().category()).isEqualTo(DeviceCategory.CPU);
        assertThat(l.device().ratesKnown()).isFalse();
        assertThat(l.device().name()).startsWith("AMD EPYC");
        assertThat(l.detected()).anySatisfy(d -> assertThat(d).contains("2 logical CPUs"));
        assertThat(l.assumed()).anySatisfy(a -> assertThat(a).contains("bandwidth and throughput unknown"));
    }

    @Test
    void aCatalogCpuGivesItsBandwidth() {
        LocalDevice l = detect(new Recorded("linux")
                .file("/proc/meminfo", "proc-meminfo-linux.txt")
                .file("/proc/cpuinfo", "proc-cpuinfo-epyc-9654.txt"));
        assertThat(l.device().bandwidth())
                .isEqualTo(DeviceCatalog.find("epyc-genoa").bandwidth());
        assertThat(l.assumed()).anySatisfy(a -> assertThat(a).contains("epyc-genoa"));
    }

    @Test
    void anArmBoardWithoutModelNameCountsItsCpus() {
        ProcInfo.Cpu cpu = ProcInfo.cpu(load("proc-cpuinfo-aarch64-rpi5.txt"));
        assertThat(cpu.model()).isEmpty();
        assertThat(cpu.logicalCpus()).isEqualTo(4);
        LocalDevice l = detect(new Recorded("linux")
                .file("/proc/meminfo", "proc-meminfo-linux.txt")
                .file("/proc/cpuinfo", "proc-cpuinfo-aarch64-rpi5.txt"));
        assertThat(l.detected())
                .anySatisfy(
                        d -> assertThat(d).contains("CPU model not reported").contains("4 logical"));
    }

    @Test
    void nothingReadableStillGivesADeviceFromTheJvm() {
        LocalDevice l = detect(new Recorded("linux"));
        assertThat(l.device().memoryBytes()).isPositive();
        assertThat(l.device().usableBytes()).isBetween(1L, l.device().memoryBytes());
    }

    @Test
    void garbledOutputsAreIgnored() {
        assertThat(NvidiaSmi.parse("")).isEmpty();
        assertThat(NvidiaSmi.parse("NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver."))
                .isEmpty();
        assertThat(NvidiaSmi.parse("name, memory.total [MiB]\nX, [N/A]\nY, -5 MiB\nZ, 99999999999999999999 MiB"))
                .isEmpty();
        assertThat(Sysctl.parse("hw.memsize: lots\nnonsense").memoryBytes()).isEmpty();
        assertThat(ProcInfo.memory("MemTotal: 12 MB\nMemAvailable: x kB").totalBytes())
                .isEmpty();
    }
}
