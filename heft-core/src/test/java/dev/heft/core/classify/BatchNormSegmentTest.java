package dev.heft.core.classify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.StringLength;

/** The hand-written {@code bn} segment check finds exactly what the regex it replaced finds. */
class BatchNormSegmentTest {
    private static final Pattern REGEX = Pattern.compile(".*(^|[./])bn\\d*[./].*");

    @Property(tries = 3000)
    void agreesWithTheRegex(
            @ForAll @Chars({'b', 'n', '.', '/', 'x', '_'}) @CharRange(from = '0', to = '3') @StringLength(max = 14)
                    String name) {
        assertThat(TensorClassifier.hasBatchNormSegment(name))
                .isEqualTo(REGEX.matcher(name).matches());
    }

    @Example
    void torchvisionNames() {
        assertThat(TensorClassifier.hasBatchNormSegment("layer1.0.bn1.weight")).isTrue();
        assertThat(TensorClassifier.hasBatchNormSegment("bn.running_mean")).isTrue();
        assertThat(TensorClassifier.hasBatchNormSegment("features/bn23/gamma")).isTrue();
        assertThat(TensorClassifier.hasBatchNormSegment("layer1.0.bn1")).isFalse();
        assertThat(TensorClassifier.hasBatchNormSegment("model.abn1.weight")).isFalse();
        assertThat(TensorClassifier.hasBatchNormSegment("bn1x.weight")).isFalse();
    }
}
