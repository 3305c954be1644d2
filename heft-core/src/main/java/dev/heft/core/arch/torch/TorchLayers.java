package dev.heft.core.arch.torch;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The torch.nn classes a layer spec may name, each with its constructor's keyword arguments (torch 2.11 signatures)
 * and a builder applying torch's defaults. Keys a constructor accepts but that change no shape (eps, momentum,
 * dropout, device, dtype) are accepted and ignored.
 */
public final class TorchLayers {
    /** One constructible torch.nn class: its name, accepted keyword arguments and builder. */
    public record LayerType(String name, List<String> keys, Function<LayerArgs, Module> build) {
        public LayerType {
            keys = List.copyOf(keys);
        }
    }

    private static final List<String> FACTORY = List.of("device", "dtype");
    private static final Map<String, LayerType> TYPES = new TreeMap<>();

    static {
        type(
                "Linear",
                List.of("in_features", "out_features", "bias"),
                a -> new Linear(a.size("in_features"), a.size("out_features"), a.bool("bias", true)));
        type(
                "Bilinear",
                List.of("in1_features", "in2_features", "out_features", "bias"),
                a -> new Bilinear(
                        a.size("in1_features"), a.size("in2_features"), a.size("out_features"), a.bool("bias", true)));
        for (int d = 1; d <= 3; d++) {
            int dims = d;
            type(
                    "Conv" + d + "d",
                    List.of(
                            "in_channels",
                            "out_channels",
                            "kernel_size",
                            "stride",
                            "padding",
                            "dilation",
                            "groups",
                            "bias",
                            "padding_mode"),
                    a -> conv(a, dims, false));
            type(
                    "ConvTranspose" + d + "d",
                    List.of(
                            "in_channels",
                            "out_channels",
                            "kernel_size",
                            "stride",
                            "padding",
                            "output_padding",
                            "groups",
                            "bias",
                            "dilation",
                            "padding_mode"),
                    a -> conv(a, dims, true));
            type(
                    "BatchNorm" + d + "d",
                    List.of("num_features", "eps", "momentum", "affine", "track_running_stats"),
                    a -> Norm.batchOrInstance(
                            "BatchNorm" + dims + "d",
                            a.size("num_features"),
                            a.bool("affine", true),
                            a.bool("track_running_stats", true)));
            type(
                    "InstanceNorm" + d + "d",
                    List.of("num_features", "eps", "momentum", "affine", "track_running_stats"),
                    a -> Norm.batchOrInstance(
                            "InstanceNorm" + dims + "d",
                            a.size("num_features"),
                            a.bool("affine", false),
                            a.bool("track_running_stats", false)));
            type(
                    "MaxPool" + d + "d",
                    List.of("kernel_size", "stride", "padding", "dilation", "return_indices", "ceil_mode"),
                    a -> pool(a, "MaxPool" + dims + "d", dims, true));
            type(
                    "AvgPool" + d + "d",
                    d == 1
                            ? List.of("kernel_size", "stride", "padding", "ceil_mode", "count_include_pad")
                            : List.of(
                                    "kernel_size",
                                    "stride",
                                    "padding",
                                    "ceil_mode",
                                    "count_include_pad",
                                    "divisor_override"),
                    a -> pool(a, "AvgPool" + dims + "d", dims, false));
            type(
                    "AdaptiveAvgPool" + d + "d",
                    List.of("output_size"),
                    a -> Pool.adaptive("AdaptiveAvgPool" + dims + "d", a.tuple("output_size", dims, 0, 1)));
            type(
                    "AdaptiveMaxPool" + d + "d",
                    List.of("output_size", "return_indices"),
                    a -> Pool.adaptive("AdaptiveMaxPool" + dims + "d", a.tuple("output_size", dims, 0, 1)));
        }
        type(
                "Embedding",
                List.of(
                        "num_embeddings",
                        "embedding_dim",
                        "padding_idx",
                        "max_norm",
                        "norm_type",
                        "scale_grad_by_freq",
                        "sparse",
                        "_freeze"),
                a -> new Embedding(a.size("num_embeddings"), a.size("embedding_dim"), false));
        type(
                "EmbeddingBag",
                List.of(
                        "num_embeddings",
                        "embedding_dim",
                        "max_norm",
                        "norm_type",
                        "scale_grad_by_freq",
                        "mode",
                        "sparse",
                        "include_last_offset",
                        "padding_idx"),
                a -> {
                    a.choice("mode", "mean", List.of("sum", "mean", "max"));
                    return new Embedding(a.size("num_embeddings"), a.size("embedding_dim"), true);
                });
        type(
                "LayerNorm",
                List.of("normalized_shape", "eps", "elementwise_affine", "bias"),
                a -> Norm.layerNorm(
                        "LayerNorm",
                        a.shape("normalized_shape"),
                        a.bool("elementwise_affine", true),
                        a.bool("bias", true)));
        type(
                "RMSNorm",
                List.of("normalized_shape", "eps", "elementwise_affine"),
                a -> Norm.rmsNorm(a.shape("normalized_shape"), a.bool("elementwise_affine", true)));
        type("GroupNorm", List.of("num_groups", "num_channels", "eps", "affine"), a -> {
            long groups = a.size("num_groups");
            long channels = a.size("num_channels");
            if (channels % groups != 0) {
                throw a.error("num_channels (" + channels + ") must be divisible by num_groups (" + groups + ")");
            }
            return Norm.groupNorm(channels, a.bool("affine", true));
        });
        type(
                "MultiheadAttention",
                List.of(
                        "embed_dim",
                        "num_heads",
                        "dropout",
                        "bias",
                        "add_bias_kv",
                        "add_zero_attn",
                        "kdim",
                        "vdim",
                        "batch_first"),
                a -> {
                    long e = a.size("embed_dim");
                    return new MultiheadAttention(
                            e,
                            a.size("num_heads"),
                            a.bool("bias", true),
                            a.bool("add_bias_kv", false),
                            a.bool("add_zero_attn", false),
                            a.size("kdim", e),
                            a.size("vdim", e),
                            a.bool("batch_first", false));
                });
        for (String name : List.of("TransformerEncoderLayer", "TransformerDecoderLayer")) {
            type(
                    name,
                    List.of(
                            "d_model",
                            "nhead",
                            "dim_feedforward",
                            "dropout",
                            "activation",
                            "layer_norm_eps",
                            "batch_first",
                            "norm_first",
                            "bias"),
                    a -> {
                        a.bool("norm_first", false);
                        String act = a.choice("activation", "relu", List.of("relu", "gelu"));
                        return new TransformerLayer(
                                name.contains("Decoder"),
                                a.size("d_model"),
                                a.size("nhead"),
                                a.size("dim_feedforward", 2048),
                                a.bool("batch_first", false),
                                a.bool("bias", true),
                                act.equals("relu") || act.equals("gelu"));
                    });
        }
        List<String> rnn =
                List.of("input_size", "hidden_size", "num_layers", "bias", "batch_first", "dropout", "bidirectional");
        type("RNN", concat(rnn, List.of("nonlinearity")), a -> {
            a.choice("nonlinearity", "tanh", List.of("tanh", "relu"));
            return recurrent(a, Recurrent.Mode.RNN);
        });
        type("LSTM", concat(rnn, List.of("proj_size")), a -> recurrent(a, Recurrent.Mode.LSTM));
        type("GRU", rnn, a -> recurrent(a, Recurrent.Mode.GRU));
        type("PReLU", List.of("num_parameters", "init"), a -> Elementwise.prelu(a.size("num_parameters", 1)));
        type(
                "Flatten",
                List.of("start_dim", "end_dim"),
                a -> new Flatten(
                        Math.toIntExact(a.integer("start_dim", 1)), Math.toIntExact(a.integer("end_dim", -1))));
        List<String> inplace = List.of("inplace");
        for (String name : List.of("ReLU", "ReLU6", "SiLU", "Hardswish", "Hardsigmoid", "Mish", "SELU", "CELU")) {
            elementwise(name, name.equals("CELU") ? List.of("alpha", "inplace") : inplace);
        }
        for (String name : List.of("Sigmoid", "Tanh", "Tanhshrink", "Softsign", "LogSigmoid")) {
            elementwise(name, List.of());
        }
        elementwise("GELU", List.of("approximate"));
        elementwise("LeakyReLU", List.of("negative_slope", "inplace"));
        elementwise("ELU", List.of("alpha", "inplace"));
        elementwise("Hardtanh", List.of("min_val", "max_val", "inplace"));
        elementwise("Softplus", List.of("beta", "threshold"));
        for (String name : List.of("Softmax", "LogSoftmax", "Softmin")) {
            elementwise(name, List.of("dim"));
        }
        for (String name : List.of("Dropout", "Dropout1d", "Dropout2d", "Dropout3d", "AlphaDropout")) {
            elementwise(name, List.of("p", "inplace"));
        }
    }

    private TorchLayers() {}

    private static void type(String name, List<String> keys, Function<LayerArgs, Module> build) {
        TYPES.put(name, new LayerType(name, concat(keys, FACTORY), build));
    }

    /** A parameter-free layer; {@code inplace: true} makes it write into its input (no new activation). */
    private static void elementwise(String name, List<String> keys) {
        TYPES.put(
                name,
                new LayerType(
                        name, keys, a -> new Elementwise(name, keys.contains("inplace") && a.bool("inplace", false))));
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> l = new ArrayList<>(a);
        l.addAll(b);
        return l;
    }

    /** Every type a spec may name (plus {@code Sequential} and {@code Identity}, which the spec reader handles). */
    public static Map<String, LayerType> types() {
        return Collections.unmodifiableMap(TYPES);
    }

    private static Module conv(LayerArgs a, int dims, boolean transposed) {
        a.choice(
                "padding_mode",
                "zeros",
                transposed ? List.of("zeros") : List.of("zeros", "reflect", "replicate", "circular"));
        long[] kernel = a.tuple("kernel_size", dims, 0, 1);
        long[] stride = a.tuple("stride", dims, 1, 1);
        long[] dilation = a.tuple("dilation", dims, 1, 1);
        boolean same = false;
        long[] padding;
        if (!transposed
                && a.present("padding")
                && a.members().get("padding") instanceof dev.heft.core.json.JsonValue.JsonString) {
            String p = a.choice("padding", "valid", List.of("valid", "same"));
            same = p.equals("same");
            if (same && java.util.Arrays.stream(stride).anyMatch(s -> s != 1)) {
                throw a.error("padding='same' is not supported for strided convolutions");
            }
            padding = new long[dims];
        } else {
            padding = a.tuple("padding", dims, 0, 0);
        }
        long[] outputPadding = transposed ? a.tuple("output_padding", dims, 0, 0) : new long[dims];
        for (int i = 0; i < dims; i++) {
            if (outputPadding[i] >= stride[i] && outputPadding[i] >= dilation[i]) {
                throw a.error("output_padding must be smaller than either stride or dilation");
            }
        }
        long groups = a.size("groups", 1);
        long in = a.size("in_channels");
        long out = a.size("out_channels");
        if (in % groups != 0 || out % groups != 0) {
            throw a.error("in_channels (" + in + ") and out_channels (" + out + ") must be divisible by groups ("
                    + groups + ")");
        }
        return new Conv(
                dims,
                transposed,
                in,
                out,
                new Conv.Geometry(kernel, stride, padding, dilation, outputPadding, same),
                groups,
                a.bool("bias", true));
    }

    private static Module pool(LayerArgs a, String name, int dims, boolean max) {
        long[] kernel = a.tuple("kernel_size", dims, 0, 1);
        long[] stride = a.present("stride") ? a.tuple("stride", dims, 1, 1) : kernel;
        long[] padding = a.tuple("padding", dims, 0, 0);
        long[] dilation = max ? a.tuple("dilation", dims, 1, 1) : Conv.Geometry.fill(dims, 1);
        for (int i = 0; i < dims; i++) {
            if (padding[i] * 2 > kernel[i]) {
                throw a.error("padding should be at most half of the kernel size, got " + padding[i]);
            }
        }
        return Pool.window(name, kernel, stride, padding, dilation, a.bool("ceil_mode", false));
    }

    private static Module recurrent(LayerArgs a, Recurrent.Mode mode) {
        long proj = mode == Recurrent.Mode.LSTM ? a.integer("proj_size", 0) : 0;
        long hidden = a.size("hidden_size");
        if (proj < 0 || proj >= hidden && proj != 0) {
            throw a.error("proj_size must be from 0 to hidden_size - 1 (" + (hidden - 1) + "), got " + proj);
        }
        return new Recurrent(
                mode,
                a.size("input_size"),
                hidden,
                a.size("num_layers", 1),
                a.bool("bias", true),
                a.bool("batch_first", false),
                a.bool("bidirectional", false),
                proj);
    }
}
