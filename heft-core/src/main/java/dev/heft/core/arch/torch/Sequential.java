package dev.heft.core.arch.torch;

import dev.heft.core.classify.LayerKind;
import java.util.Map;

/**
 * {@code torch.nn.Sequential}: children named "0", "1", ... (or given names), applied in order. torchvision's
 * Sequential subclasses (Conv2dNormActivation, MLP) use their own class name and own no tensors themselves.
 */
public class Sequential extends Module {
    private int next;

    public Sequential() {
        this("Sequential");
    }

    public Sequential(String torchClass) {
        super(torchClass, LayerKind.OTHER);
    }

    /** Appends a child under the next index, like {@code nn.Sequential(*layers)}. */
    public final Sequential append(Module m) {
        add(Integer.toString(next++), m);
        return this;
    }

    public final Sequential append(String name, Module m) {
        add(name, m);
        next++;
        return this;
    }

    @Override
    public Shape forward(Shape input, FlopCounter flops) {
        // for module in self: input = module(input) -- rebinding drops the previous intermediate
        Shape x = input;
        for (Map.Entry<String, Module> c : children().entrySet()) {
            Shape y = c.getValue().call(c.getKey(), x, flops);
            flops.release(x);
            x = y;
        }
        return x;
    }
}
