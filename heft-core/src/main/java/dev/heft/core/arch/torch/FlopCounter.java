package dev.heft.core.arch.torch;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Counts floating-point operations the way {@code torch.utils.flop_counter.FlopCounterMode} (torch 2.x) does: only the
 * aten ops it has formulas for ({@code mm}, {@code addmm}, {@code bmm}, {@code baddbmm}, {@code convolution},
 * {@code _scaled_dot_product_*_attention}), 2 FLOPs per multiply-accumulate, nothing for norms, activations,
 * pooling, element-wise ops or bias adds.
 * <p>The reference run is an eval-mode, no-grad, fp32 forward on CPU (the vision ground truth is such a run: its ViT
 * MultiheadAttention takes the fused fast path and counts 0). Ops torch runs there as one fused kernel without a
 * formula (the MultiheadAttention and TransformerEncoderLayer fast paths, {@code _trilinear},
 * {@code mkldnn_rnn}, {@code _scaled_dot_product_flash_attention_for_cpu}) count 0 here too, and leave a note
 * saying what they hide.
 */
public final class FlopCounter {
    /** The op families FlopCounterMode reports apart (its per-op table, with addmm folded into mm). */
    public enum Op {
        CONVOLUTION,
        MM,
        BMM
    }

    private long flops;
    private final Map<Op, Long> byOp = new LinkedHashMap<>();
    private final Set<String> notes = new LinkedHashSet<>();
    /** Per-layer rows and live tensor bytes, when a caller asked for them; null for a plain FLOP count. */
    private final LayerTrace trace;

    public FlopCounter() {
        this(null);
    }

    /** A counter that also records each module call and the tensors alive at each moment into {@code trace}. */
    public FlopCounter(LayerTrace trace) {
        this.trace = trace;
    }

    /** A module call begins (see {@link Module#call}). */
    void enter(String name, Module m, Shape input) {
        if (trace != null) {
            trace.enter(name, m, input, flops);
        }
    }

    /** A module call returns {@code output}; the result is the shape object that stands for the returned tensor. */
    Shape exit(Module m, Shape input, Shape output) {
        return trace == null ? output : trace.exit(m, input, output, flops);
    }

    /**
     * A functional op inside a forward (torch.cat, F.adaptive_avg_pool2d, x + y) wrote a new tensor of this shape;
     * returns the object that stands for it.
     */
    public Shape allocate(Shape shape) {
        return trace == null ? shape : trace.allocate(shape);
    }

    /** A view or in-place functional op ({@code torch.flatten}, {@code x.permute}, {@code F.relu(x, inplace=True)}). */
    public Shape alias(Shape view, Shape of) {
        return trace == null ? view : trace.alias(view, of);
    }

    /** The running forward drops its reference to {@code tensor} (Python rebinding {@code x = f(x)}). */
    public void release(Shape tensor) {
        if (trace != null) {
            trace.release(tensor);
        }
    }

    /**
     * While an op runs, its output of shape {@code output} and {@code extraBytes} of tensors it returns beside it and
     * the caller drops at once (max pooling's int64 indices) are alive together.
     */
    public void scratch(Shape output, long extraBytes) {
        if (trace != null) {
            trace.scratch(output, extraBytes);
        }
    }

    /** {@code aten.mm} / {@code aten.addmm}: {@code [m,k] @ [k,n]} is {@code 2*m*k*n} (flop_counter.mm_flop). */
    public void mm(long m, long k, long n) {
        add(Op.MM, Math.multiplyExact(Math.multiplyExact(Math.multiplyExact(m, n), 2L), k));
    }

    /** {@code aten.bmm} / {@code aten.baddbmm}: {@code b*m*n*2*k} (flop_counter.bmm_flop). */
    public void bmm(long b, long m, long k, long n) {
        add(Op.BMM, Math.multiplyExact(b, Math.multiplyExact(Math.multiplyExact(Math.multiplyExact(m, n), 2L), k)));
    }

    /**
     * {@code aten.convolution} (flop_counter.conv_flop_count): {@code prod(conv_shape) * prod(kernel) * batch * c_out *
     * c_in * 2}, where {@code c_out, c_in} are the weight's first two dimensions (so groups are already divided out)
     * and {@code conv_shape} is the output's spatial size, or the input's for a transposed convolution.
     */
    public void convolution(Shape input, Shape weight, Shape output, boolean transposed) {
        Shape spatial = transposed ? input : output;
        long n = Math.multiplyExact(spatial.product(2, spatial.rank()), weight.product(2, weight.rank()));
        n = Math.multiplyExact(n, input.dim(0));
        n = Math.multiplyExact(n, Math.multiplyExact(weight.dim(0), weight.dim(1)));
        add(Op.CONVOLUTION, Math.multiplyExact(n, 2L));
    }

    /**
     * {@code aten._scaled_dot_product_{flash,efficient,cudnn}_attention} (flop_counter.sdpa_flop_count): two batched
     * products, {@code q @ k^T} and {@code scores @ v}. The CPU kernel ({@code _scaled_dot_product_flash_attention_for_cpu})
     * has no formula in torch 2.11, so on CPU FlopCounterMode reports 0 for it; heft counts it as on CUDA.
     */
    public void attention(long batchTimesHeads, long queryLength, long keyLength, long headDim, long valueDim) {
        bmm(batchTimesHeads, queryLength, headDim, keyLength);
        bmm(batchTimesHeads, queryLength, keyLength, valueDim);
    }

    /** An op that does work FlopCounterMode does not count (a fused kernel without a formula). */
    public void uncounted(String why) {
        notes.add(why);
    }

    /** Adds what a sub-counter counted (a layer that decides afterwards whether torch would see its work). */
    void addAll(FlopCounter other) {
        other.byOp.forEach(this::add);
    }

    private void add(Op op, long n) {
        flops = Math.addExact(flops, n);
        byOp.merge(op, n, Math::addExact);
    }

    /** FLOPs per op family, in first-seen order. */
    public Map<Op, Long> byOp() {
        return Map.copyOf(byOp);
    }

    public long flops() {
        return flops;
    }

    public List<String> notes() {
        return List.copyOf(notes);
    }
}
