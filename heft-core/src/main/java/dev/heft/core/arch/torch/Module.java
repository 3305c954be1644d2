package dev.heft.core.arch.torch;

import dev.heft.core.classify.LayerKind;
import dev.heft.core.error.InvalidInputException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The analytic twin of a {@code torch.nn.Module}: the tensors it registers directly (in registration order, which is
 * the order of {@code named_parameters()}), its named children, and a forward pass over shapes that counts FLOPs.
 * Nothing is materialised; a 70-billion-parameter network costs a few objects.
 */
public abstract class Module {
    private final String torchClass;
    private final LayerKind kind;
    private final List<TensorDecl> tensors = new ArrayList<>();
    private final Map<String, Module> children = new LinkedHashMap<>();

    protected Module(String torchClass, LayerKind kind) {
        this.torchClass = torchClass;
        this.kind = kind;
    }

    /** The class name torch reports ({@code type(m).__name__}), which is what {@code by_class} is keyed by. */
    public final String torchClass() {
        return torchClass;
    }

    public final LayerKind kind() {
        return kind;
    }

    public final List<TensorDecl> tensors() {
        return Collections.unmodifiableList(tensors);
    }

    public final Map<String, Module> children() {
        return Collections.unmodifiableMap(children);
    }

    public final Module child(String name) {
        Module m = children.get(name);
        if (m == null) {
            throw new IllegalStateException(torchClass + " has no child " + name);
        }
        return m;
    }

    protected final void parameter(String name, long... shape) {
        tensors.add(new TensorDecl(name, Shape.of(shape), false));
    }

    protected final void buffer(String name, long... shape) {
        tensors.add(new TensorDecl(name, Shape.of(shape), true));
    }

    /** Registers a child under {@code name} (torch's {@code add_module}); returns it for chaining. */
    public final <M extends Module> M add(String name, M child) {
        if (children.putIfAbsent(name, child) != null) {
            throw new IllegalStateException(torchClass + " already has a child " + name);
        }
        return child;
    }

    /** Runs the module over an input shape, counting FLOPs into {@code flops}; returns the output shape. */
    public abstract Shape forward(Shape input, FlopCounter flops);

    /**
     * Calls this module as its parent does ({@code self.name(x)}): runs {@link #forward} between the enter and exit
     * events a {@link LayerTrace} records (one torchinfo row per call). Parents call children through here;
     * {@link #forward} directly is for code that reuses a module's shape rule without a module call.
     */
    public final Shape call(String name, Shape input, FlopCounter flops) {
        flops.enter(name, this, input);
        Shape out = forward(input, flops);
        return flops.exit(this, input, out);
    }

    /**
     * Whether this module's output is its input's storage (an in-place activation, eval-mode dropout, a view such
     * as Permute or Flatten) rather than a new tensor. Only leaves are asked; the default, a new tensor, is what
     * convolutions, linears, norms and pools write.
     */
    public boolean outputAliasesInput() {
        return false;
    }

    /** Parameters this module owns directly (not its children's). */
    public final long ownParameters() {
        long n = 0;
        for (TensorDecl t : tensors) {
            if (!t.buffer()) {
                n = Math.addExact(n, t.shape().numel());
            }
        }
        return n;
    }

    /** Fails with a message naming this module when an input shape does not fit it. */
    protected final void require(boolean ok, Shape input, String expected) {
        if (!ok) {
            throw new InvalidInputException(
                    torchClass + " cannot take input of shape " + input + ": expected " + expected);
        }
    }

    @Override
    public String toString() {
        return torchClass;
    }
}
