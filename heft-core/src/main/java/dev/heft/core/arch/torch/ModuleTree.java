package dev.heft.core.arch.torch;

import dev.heft.core.arch.ArchitectureCounts;
import dev.heft.core.arch.ParameterTally;
import dev.heft.core.tensor.TensorRole;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Walks a module tree the way {@code named_modules()} does: pre-order, children in registration order, and a module
 * reached twice (a shared block) only the first time, so shared weights count once like torch's parameter dedup.
 */
public final class ModuleTree {
    private ModuleTree() {}

    /** Every parameter then every buffer, fully qualified, in torch's order. */
    public static List<NamedTensor> tensors(Module root) {
        List<NamedTensor> params = new ArrayList<>();
        List<NamedTensor> buffers = new ArrayList<>();
        visit(root, "", Collections.newSetFromMap(new IdentityHashMap<>()), (prefix, m) -> {
            for (TensorDecl t : m.tensors()) {
                NamedTensor nt = new NamedTensor(
                        prefix + t.name(),
                        t.shape(),
                        t.buffer() ? TensorRole.BUFFER : TensorRole.WEIGHT,
                        m.torchClass(),
                        m.kind());
                (t.buffer() ? buffers : params).add(nt);
            }
        });
        params.addAll(buffers);
        return List.copyOf(params);
    }

    /** Parameters, buffers, by kind and by owning module class. */
    public static ArchitectureCounts counts(Module root) {
        ParameterTally tally = new ParameterTally();
        for (NamedTensor t : tensors(root)) {
            if (t.role() == TensorRole.BUFFER) {
                tally.buffer(t.elements());
            } else {
                tally.add(
                        t.kind(),
                        t.moduleClass(),
                        t.elements(),
                        t.name().substring(t.name().lastIndexOf('.') + 1).contains("bias"));
            }
        }
        return tally.build();
    }

    /** Runs a forward pass over {@code input} and reports FLOPs like FlopCounterMode. */
    public static FlopReport flops(Module root, Shape input) {
        FlopCounter counter = new FlopCounter();
        Shape out = root.forward(input, counter);
        return new FlopReport(input, out, counter.flops(), counter.byOp(), counter.notes());
    }

    /**
     * Runs a forward pass over {@code input} recording every module call (torchinfo's rows) and the tensors alive
     * at each moment, with activations of {@code bytesPerElement} bytes.
     */
    public static LayerTrace trace(Module root, Shape input, int bytesPerElement) {
        LayerTrace trace = new LayerTrace(bytesPerElement);
        FlopCounter counter = new FlopCounter(trace);
        Shape in = trace.input(input);
        root.call(root.torchClass(), in, counter);
        trace.finish(counter);
        return trace;
    }

    private interface Visitor {
        void accept(String prefix, Module m);
    }

    private static void visit(Module m, String prefix, Set<Module> seen, Visitor v) {
        if (!seen.add(m)) {
            return;
        }
        v.accept(prefix, m);
        for (Map.Entry<String, Module> c : m.children().entrySet()) {
            visit(c.getValue(), prefix + c.getKey() + ".", seen, v);
        }
    }
}
