package dev.heft.core.format.safetensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.heft.core.tensor.DType;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/**
 * heft's {@link DType} against the reference's dtype list and {@code Dtype::bitsize()} table
 * ({@link SafetensorsWriter#REFERENCE_BITS}), exhaustively: same names, nothing extra, same sizes for every element
 * count that the reference accepts, and the same refusals (a bit count that is not whole bytes).
 */
class SafetensorsDtypeTableTest {

    @Test
    void heftKnowsExactlyTheReferenceDtypes() {
        assertThat(Arrays.stream(DType.values()).map(DType::safetensorsName).filter(Objects::nonNull))
                .containsExactlyInAnyOrderElementsOf(SafetensorsWriter.REFERENCE_BITS.keySet());
    }

    @Test
    void bytesForEveryElementCountMatchTheReferenceRule() {
        for (Map.Entry<String, Integer> e : SafetensorsWriter.REFERENCE_BITS.entrySet()) {
            DType t = DType.fromSafetensors(e.getKey()).orElseThrow();
            int bits = e.getValue();
            assertThat(t.bitsPerElement()).as(e.getKey()).isEqualTo(bits);
            for (long elements = 0; elements <= 64; elements++) {
                long totalBits = elements * bits;
                if (totalBits % 8 == 0) {
                    assertThat(t.bytesFor(elements))
                            .as("%s x %d", e.getKey(), elements)
                            .isEqualTo(totalBits / 8);
                } else {
                    long n = elements;
                    assertThatThrownBy(() -> t.bytesFor(n))
                            .as("%s x %d", e.getKey(), n)
                            .isInstanceOf(IllegalArgumentException.class);
                }
            }
        }
    }

    @Test
    void unknownNamesAreAbsent() {
        for (String name : new String[] {"F3", "f32", "FLOAT", "Q4_K", "C128", "I4", ""}) {
            assertThat(DType.fromSafetensors(name)).as(name).isEmpty();
        }
    }
}
