package dev.heft.core.format.pickle;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The callables and classes (other than dtypes and storage classes) a checkpoint may name, mirroring
 * torch/_weights_only_unpickler.py {@code _get_allowed_globals} (torch 2.x) plus, for TorchScript archives only, the
 * list/type-tag helpers of torch/jit/_pickle.py that TorchScript's C++ pickler writes. A name here is only a name:
 * {@link TorchCalls} implements what heft does when one is called, and refuses the ones heft does not read.
 */
public enum AllowedGlobal {
    ORDERED_DICT("collections", "OrderedDict", Scope.WEIGHTS_ONLY),
    COUNTER("collections", "Counter", Scope.WEIGHTS_ONLY),
    PARAMETER("torch.nn.parameter", "Parameter", Scope.WEIGHTS_ONLY),
    GET_LAYOUT("torch.serialization", "_get_layout", Scope.WEIGHTS_ONLY),
    SIZE("torch", "Size", Scope.WEIGHTS_ONLY),
    TENSOR("torch", "Tensor", Scope.WEIGHTS_ONLY),
    DEVICE("torch", "device", Scope.WEIGHTS_ONLY),
    CODECS_ENCODE("_codecs", "encode", Scope.WEIGHTS_ONLY),
    BYTEARRAY("builtins", "bytearray", Scope.WEIGHTS_ONLY),
    SET("builtins", "set", Scope.WEIGHTS_ONLY),
    COMPLEX("builtins", "complex", Scope.WEIGHTS_ONLY),
    // quantization schemes (torch.per_tensor_affine ...): named in quantizer parameters
    PER_TENSOR_AFFINE("torch", "per_tensor_affine", Scope.WEIGHTS_ONLY),
    PER_TENSOR_SYMMETRIC("torch", "per_tensor_symmetric", Scope.WEIGHTS_ONLY),
    PER_CHANNEL_AFFINE("torch", "per_channel_affine", Scope.WEIGHTS_ONLY),
    PER_CHANNEL_SYMMETRIC("torch", "per_channel_symmetric", Scope.WEIGHTS_ONLY),
    PER_CHANNEL_AFFINE_FLOAT_QPARAMS("torch", "per_channel_affine_float_qparams", Scope.WEIGHTS_ONLY),
    // torch/_utils.py rebuild functions (torch/_tensor.py __reduce_ex__ writes them)
    REBUILD_TENSOR("torch._utils", "_rebuild_tensor", Scope.WEIGHTS_ONLY),
    REBUILD_TENSOR_V2("torch._utils", "_rebuild_tensor_v2", Scope.WEIGHTS_ONLY),
    REBUILD_TENSOR_V3("torch._utils", "_rebuild_tensor_v3", Scope.WEIGHTS_ONLY),
    REBUILD_PARAMETER("torch._utils", "_rebuild_parameter", Scope.WEIGHTS_ONLY),
    REBUILD_PARAMETER_WITH_STATE("torch._utils", "_rebuild_parameter_with_state", Scope.WEIGHTS_ONLY),
    REBUILD_QTENSOR("torch._utils", "_rebuild_qtensor", Scope.WEIGHTS_ONLY),
    REBUILD_SPARSE_TENSOR("torch._utils", "_rebuild_sparse_tensor", Scope.WEIGHTS_ONLY),
    REBUILD_META_TENSOR_NO_STORAGE("torch._utils", "_rebuild_meta_tensor_no_storage", Scope.WEIGHTS_ONLY),
    REBUILD_WRAPPER_SUBCLASS("torch._utils", "_rebuild_wrapper_subclass", Scope.WEIGHTS_ONLY),
    REBUILD_DEVICE_TENSOR_FROM_NUMPY("torch._utils", "_rebuild_device_tensor_from_numpy", Scope.WEIGHTS_ONLY),
    REBUILD_DEVICE_TENSOR_FROM_CPU_TENSOR("torch._utils", "_rebuild_device_tensor_from_cpu_tensor", Scope.WEIGHTS_ONLY),
    REBUILD_FROM_TYPE_V2("torch._tensor", "_rebuild_from_type_v2", Scope.WEIGHTS_ONLY),
    // torch/jit/_pickle.py: what TorchScript's pickler (torch/csrc/jit/serialization/pickler.cpp) writes for typed
    // lists and dict/list type tags
    JIT_BUILD_INTLIST("torch.jit._pickle", "build_intlist", Scope.TORCHSCRIPT),
    JIT_BUILD_DOUBLELIST("torch.jit._pickle", "build_doublelist", Scope.TORCHSCRIPT),
    JIT_BUILD_BOOLLIST("torch.jit._pickle", "build_boollist", Scope.TORCHSCRIPT),
    JIT_BUILD_TENSORLIST("torch.jit._pickle", "build_tensorlist", Scope.TORCHSCRIPT),
    JIT_BUILD_TENSOR_FROM_ID("torch.jit._pickle", "build_tensor_from_id", Scope.TORCHSCRIPT),
    JIT_RESTORE_TYPE_TAG("torch.jit._pickle", "restore_type_tag", Scope.TORCHSCRIPT);

    /** Which unpickling mode allows a global. */
    public enum Scope {
        WEIGHTS_ONLY,
        TORCHSCRIPT
    }

    private static final Map<String, AllowedGlobal> BY_NAME = new HashMap<>();

    static {
        for (AllowedGlobal g : values()) {
            BY_NAME.put(g.qualifiedName(), g);
        }
    }

    private final String module;
    private final String name;
    private final Scope scope;

    AllowedGlobal(String module, String name, Scope scope) {
        this.module = module;
        this.name = name;
        this.scope = scope;
    }

    /** The global {@code module.name} if {@code policy} allows it. */
    public static Optional<AllowedGlobal> lookup(String module, String name, GlobalPolicy policy) {
        AllowedGlobal g = BY_NAME.get(module + "." + name);
        if (g == null || (g.scope == Scope.TORCHSCRIPT && policy != GlobalPolicy.TORCHSCRIPT)) {
            return Optional.empty();
        }
        return Optional.of(g);
    }

    public String qualifiedName() {
        return module + "." + name;
    }

    public Scope scope() {
        return scope;
    }
}
