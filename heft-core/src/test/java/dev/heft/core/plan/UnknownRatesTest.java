package dev.heft.core.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heft.core.hardware.Device;
import dev.heft.core.hardware.DeviceCategory;
import dev.heft.core.hardware.DeviceRegistry;
import dev.heft.core.hardware.SpeedResult;
import dev.heft.core.memory.InferenceOptions;
import dev.heft.core.model.ModelProfile;
import dev.heft.core.model.ModelResolver;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A detected machine the catalog does not know has memory but no rates: it is fitted, never timed. */
class UnknownRatesTest {
    private static final Device UNKNOWN_CPU = new Device(
            DeviceRegistry.LOCAL_ID,
            "Some CPU (this machine)",
            DeviceCategory.CPU,
            64L << 30,
            32L << 30,
            0,
            Map.of(),
            Optional.empty(),
            "",
            "detected on this machine");

    @Test
    void aFittingModelOnAMachineOfUnknownBandwidthHasNoSpeedWithTheReason() {
        ModelProfile m = ModelProfile.of(ModelResolver.catalog("llama-3.2-1b"));
        FitRow r = Deployment.fit(m, WeightPlan.of(m, "bf16"), UNKNOWN_CPU, InferenceOptions.defaults(1, 4096), 4096);
        assertThat(r.fits()).isTrue();
        assertThat(r.speed()).isEmpty();
        assertThat(r.speedResult())
                .isInstanceOfSatisfying(
                        SpeedResult.NoSpeed.class,
                        n -> assertThat(n.reason()).contains("bandwidth and throughput of local are unknown"));
    }
}
