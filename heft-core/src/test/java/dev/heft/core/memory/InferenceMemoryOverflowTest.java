package dev.heft.core.memory;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.heft.core.api.Heft;
import dev.heft.core.api.Operations;
import dev.heft.core.api.ParamValues;
import dev.heft.core.api.Progress;
import dev.heft.core.error.InvalidInputException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A context heft accepts (up to 2^40 tokens) can make prefill's masks, batch x context x context, overflow 64 bits:
 * that is a typed refusal naming the batch and context, not an ArithmeticException (found by the http fuzz target:
 * {@code fit} of llama-3-8b with {@code context=15881588k}, crash-a7cadc...).
 */
class InferenceMemoryOverflowTest {
    @Test
    void aContextWhoseMasksOverflowIsATypedRefusal() {
        Heft heft = Heft.create();
        // fit sizes a prefill of the whole context; memory does when asked for one
        Map<String, Map<String, String>> requests = Map.of(
                "fit", Map.of("context", "15881588k"), "memory", Map.of("context", "15881588k", "phase", "prefill"));
        for (String op : requests.keySet()) {
            var operation = Operations.named(op).orElseThrow();
            ParamValues values = ParamValues.parse(operation.params(), requests.get(op));
            assertThatThrownBy(
                            () -> operation.run(heft, List.of(heft.catalogModel("llama-3-8b")), values, Progress.NONE))
                    .as(op)
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("context 16262746112 tokens")
                    .hasMessageContaining("64-bit");
        }
    }
}
