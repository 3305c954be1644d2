package dev.heft.core.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** getLong on untrusted JSON: a huge exponent must be refused by its size, not expanded first. */
class JsonNumberHostileTest {
    @Test
    void hugeExponentIsRefusedQuickly() {
        JsonValue.JsonObject o = Json.parse("{\"n\": 1e99999999, \"m\": 1e-99999999, \"k\": 4.0e3}")
                .asObject("t");
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            assertThatThrownBy(() -> o.getLong("n", 0))
                    .isInstanceOf(JsonException.class)
                    .hasMessageContaining("fits in 64 bits");
            assertThatThrownBy(() -> o.getLong("m", 0)).isInstanceOf(JsonException.class);
        });
        assertThat(o.getLong("k", 0)).isEqualTo(4000);
    }
}
