package dev.heft.core.arch.torch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Random layer configurations, built through the spec reader, against closed forms written out here independently
 * of heft's layer classes (the torch.nn documentation's shape formulas and FlopCounterMode's formulas).
 */
class LayerFormulaProperties {

    private static CustomNetwork one(String layerJson) {
        return LayerSpec.parse("{\"layers\": [" + layerJson + "]}", LayerSpec.Format.JSON);
    }

    private static String list(long[] a) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < a.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(a[i]);
        }
        return sb.append(']').toString();
    }

    @Property(tries = 300)
    void convolutionParametersShapesAndFlops(
            @ForAll @IntRange(min = 1, max = 3) int dims,
            @ForAll boolean transposed,
            @ForAll @IntRange(min = 1, max = 4) int groups,
            @ForAll @IntRange(min = 1, max = 6) int inPerGroup,
            @ForAll @IntRange(min = 1, max = 6) int outPerGroup,
            @ForAll @IntRange(min = 1, max = 5) int k0,
            @ForAll @IntRange(min = 1, max = 3) int stride,
            @ForAll @IntRange(min = 0, max = 2) int padding,
            @ForAll @IntRange(min = 1, max = 2) int dilation,
            @ForAll @IntRange(min = 5, max = 20) int size,
            @ForAll @IntRange(min = 1, max = 3) int batch,
            @ForAll boolean bias) {
        long in = (long) groups * inPerGroup;
        long out = (long) groups * outPerGroup;
        long[] kernel = new long[dims];
        for (int i = 0; i < dims; i++) {
            kernel[i] = 1 + (k0 + i) % 5; // differing kernel sizes per dimension
        }
        int outputPadding = transposed && stride > 1 ? 1 : 0;
        String type = (transposed ? "ConvTranspose" : "Conv") + dims + "d";
        CustomNetwork net = one("{\"type\": \"" + type + "\", \"in_channels\": " + in + ", \"out_channels\": " + out
                + ", \"kernel_size\": " + list(kernel) + ", \"stride\": " + stride + ", \"padding\": " + padding
                + ", \"dilation\": " + dilation + ", \"groups\": " + groups + ", \"bias\": " + bias
                + (transposed ? ", \"output_padding\": " + outputPadding : "") + "}");

        long kprod = 1;
        for (long k : kernel) {
            kprod *= k;
        }
        long expectedParams = in * out / groups * kprod + (bias ? out : 0);
        assertThat(net.counts().parameters()).isEqualTo(expectedParams);

        long[] inShape = new long[dims + 2];
        inShape[0] = batch;
        inShape[1] = in;
        long[] expectedOut = new long[dims + 2];
        expectedOut[0] = batch;
        expectedOut[1] = out;
        long outSpatial = 1;
        long inSpatial = 1;
        for (int i = 0; i < dims; i++) {
            inShape[2 + i] = size;
            inSpatial *= size;
            long o = transposed
                    ? (size - 1L) * stride - 2L * padding + dilation * (kernel[i] - 1) + outputPadding + 1
                    : Math.floorDiv(size + 2L * padding - dilation * (kernel[i] - 1) - 1, stride) + 1;
            Assume.that(o > 0);
            expectedOut[2 + i] = o;
            outSpatial *= o;
        }
        FlopReport r = net.flops(Shape.of(inShape));
        assertThat(r.output()).isEqualTo(Shape.of(expectedOut));
        // FlopCounterMode: 2 * batch * spatial * prod(kernel) * weight[0] * weight[1]
        long expectedFlops = transposed
                ? 2L * batch * inSpatial * kprod * in * (out / groups)
                : 2L * batch * outSpatial * kprod * out * (in / groups);
        assertThat(r.flops()).isEqualTo(expectedFlops);
        assertThat(r.macs() * 2).isEqualTo(expectedFlops);
    }

    @Property(tries = 200)
    void recurrentParameterCounts(
            @ForAll @IntRange(min = 0, max = 2) int modeIndex,
            @ForAll @IntRange(min = 1, max = 64) int input,
            @ForAll @IntRange(min = 2, max = 64) int hidden,
            @ForAll @IntRange(min = 1, max = 4) int layers,
            @ForAll boolean bias,
            @ForAll boolean bidirectional,
            @ForAll @IntRange(min = 0, max = 63) int projWish) {
        String mode = List.of("RNN", "LSTM", "GRU").get(modeIndex);
        long gates = List.of(1L, 4L, 3L).get(modeIndex);
        long proj = mode.equals("LSTM") ? projWish % hidden : 0;
        CustomNetwork net = one("{\"type\": \"" + mode + "\", \"input_size\": " + input + ", \"hidden_size\": "
                + hidden + ", \"num_layers\": " + layers + ", \"bias\": " + bias + ", \"bidirectional\": "
                + bidirectional + (mode.equals("LSTM") ? ", \"proj_size\": " + proj : "") + "}");
        long dirs = bidirectional ? 2 : 1;
        long hOut = proj > 0 ? proj : hidden;
        long total = 0;
        long macsPerToken = 0;
        for (int l = 0; l < layers; l++) {
            long in = l == 0 ? input : dirs * hOut;
            long perDirection =
                    gates * hidden * in + gates * hidden * hOut + (bias ? 2 * gates * hidden : 0) + proj * hidden;
            total += dirs * perDirection;
            macsPerToken += dirs * (gates * hidden * (in + hOut) + proj * hidden);
        }
        assertThat(net.counts().parameters()).isEqualTo(total);
        assertThat(net.tensors()).hasSize((int) (layers * dirs * (2 + (bias ? 2 : 0) + (proj > 0 ? 1 : 0))));
        FlopReport r = net.flops(Shape.of(7, 2, input));
        assertThat(r.output()).isEqualTo(Shape.of(7, 2, dirs * hOut));
        if (mode.equals("LSTM") && proj == 0) {
            // fp32 CPU LSTM without projections is one aten.mkldnn_rnn call: FlopCounterMode sees no matmul
            assertThat(r.flops()).isZero();
            String insideFlops = Long.toString(2 * 7 * 2 * macsPerToken);
            assertThat(r.notes()).anyMatch(n -> n.contains("mkldnn_rnn") && n.contains(insideFlops));
        } else {
            assertThat(r.flops()).isEqualTo(2L * 7 * 2 * macsPerToken); // T=7, N=2, one mm per projection
        }
    }

    @Property(tries = 200)
    void multiheadAttentionParameters(
            @ForAll @IntRange(min = 1, max = 8) int heads,
            @ForAll @IntRange(min = 1, max = 16) int headDim,
            @ForAll @IntRange(min = 0, max = 40) int kdimWish,
            @ForAll @IntRange(min = 0, max = 40) int vdimWish,
            @ForAll boolean bias,
            @ForAll boolean biasKv) {
        long e = (long) heads * headDim;
        long kdim = kdimWish == 0 ? e : kdimWish;
        long vdim = vdimWish == 0 ? e : vdimWish;
        CustomNetwork net = one("{\"type\": \"MultiheadAttention\", \"embed_dim\": " + e + ", \"num_heads\": " + heads
                + ", \"bias\": " + bias + ", \"add_bias_kv\": " + biasKv + ", \"kdim\": " + kdim + ", \"vdim\": "
                + vdim + "}");
        long expected = e * e
                + e * kdim
                + e * vdim // q, k, v projections (packed or not)
                + e * e // out_proj.weight
                + (bias ? 3 * e + e : 0) // in_proj_bias, out_proj.bias
                + (biasKv ? 2 * e : 0); // bias_k, bias_v
        assertThat(net.counts().parameters()).isEqualTo(expected);
        List<String> names = new ArrayList<>();
        net.tensors().forEach(t -> names.add(t.name()));
        if (kdim == e && vdim == e) {
            assertThat(names).contains("0.in_proj_weight").doesNotContain("0.q_proj_weight");
        } else {
            assertThat(names)
                    .contains("0.q_proj_weight", "0.k_proj_weight", "0.v_proj_weight")
                    .doesNotContain("0.in_proj_weight");
        }
    }

    @Property(tries = 200)
    void linearFlopsOverLeadingDimensions(
            @ForAll @IntRange(min = 1, max = 5) int a,
            @ForAll @IntRange(min = 1, max = 50) int b,
            @ForAll @IntRange(min = 1, max = 300) int in,
            @ForAll @IntRange(min = 1, max = 300) int out,
            @ForAll boolean bias) {
        CustomNetwork net = one("{\"type\": \"Linear\", \"in_features\": " + in + ", \"out_features\": " + out
                + ", \"bias\": " + bias + "}");
        assertThat(net.counts().parameters()).isEqualTo((long) in * out + (bias ? out : 0));
        FlopReport r = net.flops(Shape.of(a, b, in));
        assertThat(r.flops()).isEqualTo(2L * a * b * in * out);
        assertThat(r.output()).isEqualTo(Shape.of(a, b, out));
    }

    /** Floor-mode pooling against counting window positions one by one. */
    @Property(tries = 300)
    void maxPoolOutputCountsWindows(
            @ForAll @IntRange(min = 1, max = 6) int kernel,
            @ForAll @IntRange(min = 1, max = 4) int stride,
            @ForAll @IntRange(min = 0, max = 3) int padding,
            @ForAll @IntRange(min = 1, max = 3) int dilation,
            @ForAll @IntRange(min = 1, max = 40) int size) {
        Assume.that(2 * padding <= kernel);
        long windows = 0;
        for (long start = 0; start + (long) dilation * (kernel - 1) <= size + 2L * padding - 1; start += stride) {
            windows++;
        }
        Assume.that(windows > 0);
        CustomNetwork net = one("{\"type\": \"MaxPool2d\", \"kernel_size\": " + kernel + ", \"stride\": " + stride
                + ", \"padding\": " + padding + ", \"dilation\": " + dilation + "}");
        FlopReport r = net.flops(Shape.of(1, 3, size, size));
        assertThat(r.output()).isEqualTo(Shape.of(1, 3, windows, windows));
        assertThat(r.flops()).isZero();
    }

    @Property(tries = 100)
    void normalisationBuffersAndParameters(
            @ForAll @IntRange(min = 1, max = 3) int dims,
            @ForAll @IntRange(min = 1, max = 4096) int channels,
            @ForAll boolean affine,
            @ForAll boolean track,
            @ForAll boolean instance) {
        String type = (instance ? "InstanceNorm" : "BatchNorm") + dims + "d";
        CustomNetwork net = one("{\"type\": \"" + type + "\", \"num_features\": " + channels + ", \"affine\": " + affine
                + ", \"track_running_stats\": " + track + "}");
        assertThat(net.counts().parameters()).isEqualTo(affine ? 2L * channels : 0);
        // running_mean, running_var and the 0-d num_batches_tracked
        assertThat(net.counts().buffers()).isEqualTo(track ? 2L * channels + 1 : 0);
    }
}
