package dev.heft.core.classify;

/**
 * Where a parameter sits in a network. Files (through the tensor classifier) and architecture descriptions (through
 * the analytic layer models) both report in these kinds, so a file and its config can be compared line by line.
 * Biases stay in their layer's kind and are also totalled apart.
 */
public enum LayerKind {
    /** Token, position and token-type embedding tables. */
    EMBEDDING("embedding"),
    /** q/k/v/o projections, fused qkv, MLA down/up projections, relative attention bias. */
    ATTENTION("attention"),
    /** Dense feed-forward: gate/up/down, fc1/fc2, shared experts of an MoE layer. */
    MLP("mlp"),
    /** Routed MoE expert weights. */
    EXPERTS("experts"),
    /** MoE routers / gates. */
    ROUTER("router"),
    /** LayerNorm, RMSNorm, BatchNorm and group norms. */
    NORM("norm"),
    /** Convolutions (vision backbones, Whisper's front end, patch embeddings). */
    CONV("conv"),
    /** State-space blocks (Mamba in/out/x/dt projections, conv1d, A_log, D). */
    SSM("ssm"),
    /** Recurrent layers: LSTM/GRU/RNN input and hidden weights and their biases (torch, ONNX ops, Keras, TFLite). */
    RECURRENT("recurrent"),
    /** Output heads: lm_head/output, classifiers, poolers. */
    HEAD("head"),
    /** Anything the classifier could not place; reports list what landed here. */
    OTHER("other");

    private final String displayName;

    LayerKind(String displayName) {
        this.displayName = displayName;
    }

    public String displayName() {
        return displayName;
    }

    @Override
    public String toString() {
        return displayName;
    }
}
