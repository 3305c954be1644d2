package dev.heft.core.format.pickle;

/** Which globals a pickle may name. */
public enum GlobalPolicy {
    /** What {@code torch.load(weights_only=True)} allows: state dicts and training checkpoints. */
    WEIGHTS_ONLY,
    /**
     * {@link #WEIGHTS_ONLY} plus TorchScript's own names: {@code __torch__.*} class references, kept as opaque
     * {@link PickleValue.ClassRef}/{@link PickleValue.PyObject} records (never looked up, never run), and the
     * {@code torch.jit._pickle} list helpers.
     */
    TORCHSCRIPT
}
