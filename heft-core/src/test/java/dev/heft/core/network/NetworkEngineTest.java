package dev.heft.core.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.heft.core.arch.torch.Conv;
import dev.heft.core.arch.torch.LayerTrace;
import dev.heft.core.arch.torch.Linear;
import dev.heft.core.arch.torch.Module;
import dev.heft.core.arch.torch.ModuleTree;
import dev.heft.core.arch.torch.Sequential;
import dev.heft.core.arch.torch.Shape;
import dev.heft.core.arch.vision.VisionCatalog;
import dev.heft.core.error.InvalidInputException;
import dev.heft.core.hardware.Device;
import dev.heft.core.hardware.DeviceCatalog;
import dev.heft.core.hardware.DeviceCategory;
import dev.heft.core.hardware.Efficiency;
import dev.heft.core.memory.MemoryPart;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NetworkEngineTest {
    /** Conv2d(3, 8, 3, padding=1) then Linear over the last dim: every byte and FLOP follows from the shapes. */
    private static Module tiny() {
        Sequential s = new Sequential();
        s.append(Conv.conv2d(3, 8, 3, 1, 1, 1, true));
        s.append(new Linear(16, 4, true));
        return s;
    }

    @Test
    void precisionsAreTheVisionDefaultsAndLlmFormatsAreRefused() {
        assertThat(NetworkPrecision.DEFAULTS)
                .extracting(NetworkPrecision::key)
                .containsExactly("fp32", "fp16", "bf16", "int8", "fp8");
        assertThat(NetworkPrecision.parse("half")).isEqualTo(NetworkPrecision.FP16);
        assertThat(NetworkPrecision.parseList("fp16,bf16,fp16")).hasSize(2);
        assertThatThrownBy(() -> NetworkPrecision.parse("Q4_K_M"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("fp32, fp16, bf16, int8 or fp8");
    }

    @Test
    void memoryPartsFollowFromShapesAndPrecision() {
        Shape in = Shape.of(2, 3, 16, 16);
        NetworkMemory m = NetworkMemory.estimate(tiny(), in, NetworkPrecision.FP16, null);
        long params = 8 * 3 * 3 * 3 + 8 + 16 * 4 + 4;
        assertThat(m.weightBytes()).isEqualTo(params * 2);
        // conv output [2, 8, 16, 16] and linear output [2, 8, 16, 4] are alive together while the linear runs
        long conv = 2L * 8 * 16 * 16 * 2;
        long lin = 2L * 8 * 16 * 4 * 2;
        assertThat(m.parts())
                .filteredOn(p -> p.formula().startsWith("peak"))
                .singleElement()
                .extracting(MemoryPart::bytes)
                .isEqualTo(conv + lin);
        assertThat(m.activationPerImage()).isEqualTo((conv + lin) / 2);
        assertThat(m.total()).isEqualTo(params * 2 + 2L * 3 * 16 * 16 * 2 + conv + lin);
        NetworkMemory gpu = NetworkMemory.estimate(tiny(), in, NetworkPrecision.FP16, DeviceCatalog.find("l4"));
        assertThat(gpu.total() - m.total()).isEqualTo(NetworkMemory.CUDA_CONTEXT_BYTES);
    }

    @Test
    void maxBatchLeavesWeightsFixedAndScalesActivations() {
        Shape in = Shape.of(1, 3, 16, 16);
        NetworkMemory m = NetworkMemory.estimate(tiny(), in, NetworkPrecision.FP32, null);
        long fixed = m.weightBytes();
        long perImage = m.activationPerImage() + 3L * 16 * 16 * 4;
        assertThat(m.maxBatch(fixed + 10 * perImage)).isEqualTo(10);
        assertThat(m.maxBatch(fixed + 10 * perImage - 1)).isEqualTo(9);
        assertThat(m.maxBatch(fixed)).isZero();
    }

    @Test
    void resnet50ActivationsGrowLinearlyWithTheBatch() {
        Module r = VisionCatalog.get("resnet50").module();
        NetworkMemory one = NetworkMemory.estimate(r, Shape.of(1, 3, 224, 224), NetworkPrecision.FP32, null);
        NetworkMemory eight = NetworkMemory.estimate(r, Shape.of(8, 3, 224, 224), NetworkPrecision.FP32, null);
        // 10,436,608 B at batch 1: measured by scripts/vision_layers_ground_truth.py (torchvision-layers.json)
        assertThat(one.activationPerImage()).isEqualTo(10_436_608L);
        assertThat(eight.weightBytes()).isEqualTo(one.weightBytes());
        assertThat(eight.total() - one.total()).isEqualTo(7 * (10_436_608L + 3L * 224 * 224 * 4));
    }

    @Test
    void speedIsAPerLayerRooflineWithTheStatedFactors() {
        Shape in = Shape.of(1, 3, 16, 16);
        Module net = tiny();
        LayerTrace t = ModuleTree.trace(net, in, 2);
        // a device with huge compute: both layers are memory-bound, so time = bytes / (bw x STREAM) + 2 kernels
        Device fast = new Device(
                "x",
                "x",
                DeviceCategory.CUSTOM,
                1L << 34,
                1L << 34,
                100e9,
                Map.of("fp16", 1e6),
                Optional.empty(),
                "",
                "test");
        NetworkSpeed s = NetworkSpeed.estimate(t, NetworkPrecision.FP16, fast, 1);
        long convBytes = 3L * 16 * 16 * 2 + 8L * 16 * 16 * 2 + (8 * 27 + 8) * 2;
        long linBytes = 8L * 16 * 16 * 2 + 8L * 16 * 4 * 2 + (16 * 4 + 4) * 2;
        assertThat(s.bytesMoved()).isEqualTo(convBytes + linBytes);
        double expected = (convBytes + linBytes) / (100e9 * Efficiency.STREAM) + 2 * Efficiency.KERNEL_SECONDS;
        assertThat(s.seconds()).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(s.computeBoundShare()).isZero();
        assertThat(s.flops()).isEqualTo(2L * 8 * 27 * 16 * 16 + 2L * 8 * 16 * 16 * 4);
        // a device with tiny compute: compute-bound, time = FLOPs / (peak x MATMUL) + kernels
        Device slow = new Device(
                "y",
                "y",
                DeviceCategory.CUSTOM,
                1L << 34,
                1L << 34,
                1e15,
                Map.of("fp16", 1e-3),
                Optional.empty(),
                "",
                "test");
        NetworkSpeed c = NetworkSpeed.estimate(t, NetworkPrecision.FP16, slow, 1);
        assertThat(c.seconds())
                .isCloseTo(
                        c.flops() / (1e9 * Efficiency.MATMUL) + 2 * Efficiency.KERNEL_SECONDS,
                        org.assertj.core.data.Offset.offset(1e-9));
        assertThat(c.computeBoundShare()).isGreaterThan(0.99);
        assertThat(c.imagesPerSecond()).isEqualTo(1 / c.seconds());
    }

    @Test
    void aDeviceWithUnknownRatesGivesNoSpeed() {
        Device unknown = new Device(
                "local",
                "this machine",
                DeviceCategory.CPU,
                1L << 34,
                1L << 33,
                0,
                Map.of(),
                Optional.empty(),
                "",
                "detected");
        LayerTrace t = ModuleTree.trace(tiny(), Shape.of(1, 3, 16, 16), 4);
        assertThatThrownBy(() -> NetworkSpeed.estimate(t, NetworkPrecision.FP32, unknown, 1))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("unknown");
    }
}
