package dev.heft.core.arch.torch;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One eval-mode forward pass, recorded two ways: a row per module call, in call order, as torchinfo's forward hooks
 * see them; and the bytes of activation tensors alive at each moment, as eager PyTorch holds them under
 * {@code torch.no_grad()}.
 *
 * <p>The memory model follows Python's reference counting, because that is what frees tensors in eager PyTorch
 * without autograd: a tensor lives while some frame holds it. A module call is a frame that holds its argument and
 * every tensor its children returned to it, and releases them all when it returns, handing its output to the caller.
 * Rebinding ({@code x = layer(x)} in {@code nn.Sequential.forward} and torchvision's forwards) releases the old value
 * at once. A leaf writes a new tensor unless it is in-place or a view ({@link Module#outputAliasesInput}). The
 * input is the caller's and not counted; the output is. Not modelled: memory a kernel allocates and frees inside one
 * op (workspaces, im2col buffers), and the allocator's rounding and caching. Each tensor is counted as
 * {@code elements x bytesPerElement} bytes.
 */
public final class LayerTrace {
    /**
     * One module call.
     *
     * @param depth        0 for the root, 1 for its children, ...
     * @param name         the attribute name the parent calls it by ({@code conv1}, {@code 0}); the class for the root
     * @param torchClass   {@code type(module).__name__}
     * @param leaf         no child modules
     * @param repeated     the module was called before (torchinfo's "(recursive)"): its parameters are not counted
     *                     again
     * @param output       the output shape
     * @param parameters   parameters in the module's subtree (torchinfo's {@code num_params}), on repeated calls too
     * @param ownParameters parameters the module registers itself ({@code parameters(recurse=False)})
     * @param flops        FLOPs of the call, children included (FlopCounterMode's per-module count)
     * @param inputBytes   bytes of the input tensor
     * @param outputBytes  bytes of the output tensor (torchinfo's {@code output_bytes})
     * @param multAdds     torchinfo's Mult-Adds for the call (its {@code LayerInfo.calculate_macs}: a convolution's
     *                     weight and bias elements x batch x output positions; any other layer's weight and bias x
     *                     batch; RNN-style weights x batch x sequence). Its totals sum leaf rows only.
     * @param liveBytesAfter activation bytes alive when the call returned
     */
    public record Row(
            int depth,
            String name,
            String torchClass,
            boolean leaf,
            boolean repeated,
            Shape output,
            long parameters,
            long ownParameters,
            long flops,
            long inputBytes,
            long outputBytes,
            long multAdds,
            long liveBytesAfter) {}

    private static final class Tensor {
        final long bytes;
        final boolean external;
        int refs;
        boolean freed;

        Tensor(long bytes, boolean external) {
            this.bytes = bytes;
            this.external = external;
        }
    }

    private static final class Frame {
        final Module module;
        final int row;
        final long flopsAtEntry;
        final List<Tensor> held = new ArrayList<>();

        Frame(Module module, int row, long flopsAtEntry) {
            this.module = module;
            this.row = row;
            this.flopsAtEntry = flopsAtEntry;
        }
    }

    private final int bytesPerElement;
    private final Map<Shape, Tensor> tensors = new IdentityHashMap<>();
    private final Deque<Frame> frames = new ArrayDeque<>();
    private final Set<Module> called = Collections.newSetFromMap(new IdentityHashMap<>());
    private final List<Row> rows = new ArrayList<>();
    private final List<Object[]> pending = new ArrayList<>();
    private long live;
    private long peak;
    private long flops;
    private Shape output;

    LayerTrace(int bytesPerElement) {
        if (bytesPerElement <= 0) {
            throw new IllegalArgumentException("bytes per element must be positive");
        }
        this.bytesPerElement = bytesPerElement;
    }

    /** Registers the caller's input: held outside the pass, never counted. */
    Shape input(Shape shape) {
        Shape s = new Shape(shape.dims());
        Tensor t = new Tensor(0, true);
        t.refs = 1;
        tensors.put(s, t);
        return s;
    }

    void enter(String name, Module m, Shape input, long flopsNow) {
        boolean repeated = !called.add(m);
        int row = rows.size();
        rows.add(null);
        pending.add(new Object[] {frames.size(), name, m, repeated});
        Frame f = new Frame(m, row, flopsNow);
        frames.push(f);
        hold(f, tensorOf(input));
    }

    Shape exit(Module m, Shape input, Shape out, long flopsNow) {
        Frame f = frames.pop();
        if (f.module != m) {
            throw new IllegalStateException("module calls interleave: " + m + " returned inside " + f.module);
        }
        Shape result = out;
        Tensor t;
        if (m.children().isEmpty()) {
            if (m.outputAliasesInput()) {
                t = tensorOf(input);
                if (out != input) {
                    tensors.put(out, t);
                }
            } else {
                result = new Shape(out.dims()); // a leaf writes its output into new storage
                t = newTensor(result);
            }
        } else {
            t = tensors.get(out);
            if (t == null) {
                // a composite returning a value computed by code, not by a child call
                t = newTensor(out);
            }
        }
        Frame parent = frames.peek();
        if (parent != null) {
            hold(parent, t);
        } else {
            hold(new Frame(m, -1, 0), t); // the caller of the whole model keeps the output
            output = result;
        }
        for (Tensor h : f.held) {
            drop(h);
        }
        Object[] p = pending.get(f.row);
        long params = ModuleTree.counts(m).parameters();
        rows.set(
                f.row,
                new Row(
                        (int) p[0],
                        (String) p[1],
                        m.torchClass(),
                        m.children().isEmpty(),
                        (boolean) p[3],
                        result,
                        params,
                        m.ownParameters(),
                        flopsNow - f.flopsAtEntry,
                        Math.multiplyExact(input.numel(), (long) bytesPerElement),
                        Math.multiplyExact(result.numel(), (long) bytesPerElement),
                        multAdds(m, result),
                        live));
        return result;
    }

    /** torchinfo 1.8's {@code calculate_macs} over the module's own tensors, for one call with this output. */
    static long multAdds(Module m, Shape out) {
        long macs = 0;
        boolean conv = m.torchClass().contains("Conv");
        for (TensorDecl t : m.tensors()) {
            if (t.buffer() || out.rank() == 0) {
                continue;
            }
            long n = t.shape().numel();
            if (t.name().equals("weight") || t.name().equals("bias")) {
                long positions = conv ? Math.multiplyExact(out.dim(0), out.product(2, out.rank())) : out.dim(0);
                macs = Math.addExact(macs, Math.multiplyExact(n, positions));
            } else if (t.name().contains("weight") || t.name().contains("bias")) {
                long positions = out.rank() >= 2 ? Math.multiplyExact(out.dim(0), out.dim(1)) : out.dim(0);
                macs = Math.addExact(macs, Math.multiplyExact(n, positions));
            }
        }
        return macs;
    }

    Shape allocate(Shape shape) {
        Shape s = new Shape(shape.dims());
        Tensor t = newTensor(s);
        Frame f = frames.peek();
        if (f != null) {
            hold(f, t);
        }
        return s;
    }

    Shape alias(Shape view, Shape of) {
        Shape s = new Shape(view.dims());
        Tensor t = tensorOf(of);
        tensors.put(s, t);
        Frame f = frames.peek();
        if (f != null) {
            hold(f, t);
        }
        return s;
    }

    void release(Shape shape) {
        Tensor t = tensors.get(shape);
        Frame f = frames.peek();
        if (t != null && f != null && f.held.remove(t)) {
            drop(t);
        }
    }

    void scratch(Shape output, long extraBytes) {
        long bytes = Math.addExact(Math.multiplyExact(output.numel(), (long) bytesPerElement), extraBytes);
        peak = Math.max(peak, Math.addExact(live, bytes));
    }

    void finish(FlopCounter counter) {
        this.flops = counter.flops();
        if (!frames.isEmpty()) {
            throw new IllegalStateException("unbalanced module calls");
        }
    }

    private Tensor tensorOf(Shape s) {
        Tensor t = tensors.get(s);
        if (t == null) {
            // a shape no op registered (code that builds a shape without calling allocate): a new tensor
            t = newTensor(s);
        }
        return t;
    }

    private Tensor newTensor(Shape s) {
        Tensor t = new Tensor(Math.multiplyExact(s.numel(), (long) bytesPerElement), false);
        tensors.put(s, t);
        live = Math.addExact(live, t.bytes);
        peak = Math.max(peak, live);
        return t;
    }

    private void hold(Frame f, Tensor t) {
        if (t.refs == 0 && !t.external && t.freed) {
            // used again after the model dropped its last reference: in Python something still held it, so it
            // counts as alive again (conservative) rather than going negative
            live = Math.addExact(live, t.bytes);
            peak = Math.max(peak, live);
            t.freed = false;
        }
        t.refs++;
        f.held.add(t);
    }

    private void drop(Tensor t) {
        t.refs--;
        if (t.refs == 0 && !t.external) {
            live -= t.bytes;
            t.freed = true;
        }
    }

    /** Every module call in call order (pre-order: a parent's row before its children's). */
    public List<Row> rows() {
        return List.copyOf(rows);
    }

    /** The most activation bytes alive at once during the pass (the output included, the input not). */
    public long peakBytes() {
        return peak;
    }

    /** Activation bytes still alive after the pass: the output. */
    public long retainedBytes() {
        return live;
    }

    public Shape output() {
        return output;
    }

    public long flops() {
        return flops;
    }

    public int bytesPerElement() {
        return bytesPerElement;
    }
}
