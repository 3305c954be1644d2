package dev.heft.core.hub;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@link NetworkSettings#readsInFlight(Optional, int)}: header reads at once by the server's round trip. */
class NetworkSettingsTest {
    private static final NetworkSettings DEFAULTS = NetworkSettings.defaults();

    private static int reads(double roundTripMillis, int cores) {
        return DEFAULTS.readsInFlight(Optional.of(Duration.ofNanos((long) (roundTripMillis * 1e6))), cores);
    }

    @Test
    void withoutAnAnswerYetEveryReadGoesAtOnce() {
        assertThat(DEFAULTS.readsInFlight(Optional.empty(), 2))
                .isEqualTo(DEFAULTS.readsInFlight())
                .isEqualTo(32);
    }

    @Test
    void aDistantServerGetsEveryReadAndAFastOneEnoughToKeepTheCoresBusy() {
        // Little's law at 1 ms of CPU a read: cores * (1 + round trip / 1 ms), between 2 a core and 32.
        assertThat(reads(30, 2)).isEqualTo(32);
        assertThat(reads(15, 2)).isEqualTo(32);
        assertThat(reads(5, 2)).isEqualTo(12);
        assertThat(reads(1, 2)).isEqualTo(4);
        assertThat(reads(0.2, 2)).isEqualTo(4);
        assertThat(reads(0.2, 16)).isEqualTo(32);
        assertThat(reads(0.2, 8)).isEqualTo(16);
        assertThat(reads(0.2, 1)).isEqualTo(2);
    }

    @Test
    void neverMoreThanTheSettingsAllow() {
        NetworkSettings two = new NetworkSettings(
                Duration.ofSeconds(1),
                Duration.ofSeconds(1),
                Duration.ofSeconds(1),
                2,
                1,
                Duration.ofMillis(1),
                Duration.ofMillis(1),
                1);
        assertThat(two.readsInFlight(Optional.of(Duration.ZERO), 64)).isEqualTo(4);
        assertThat(two.readsInFlight(Optional.of(Duration.ofSeconds(1)), 1)).isEqualTo(4);
    }
}
