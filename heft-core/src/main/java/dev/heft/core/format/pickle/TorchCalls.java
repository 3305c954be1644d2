package dev.heft.core.format.pickle;

import dev.heft.core.format.pickle.PickleValue.ClassRef;
import dev.heft.core.format.pickle.PickleValue.Device;
import dev.heft.core.format.pickle.PickleValue.DtypeRef;
import dev.heft.core.format.pickle.PickleValue.GlobalRef;
import dev.heft.core.format.pickle.PickleValue.PyBool;
import dev.heft.core.format.pickle.PickleValue.PyBytes;
import dev.heft.core.format.pickle.PickleValue.PyComplex;
import dev.heft.core.format.pickle.PickleValue.PyDict;
import dev.heft.core.format.pickle.PickleValue.PyFloat;
import dev.heft.core.format.pickle.PickleValue.PyInt;
import dev.heft.core.format.pickle.PickleValue.PyList;
import dev.heft.core.format.pickle.PickleValue.PyNone;
import dev.heft.core.format.pickle.PickleValue.PyObject;
import dev.heft.core.format.pickle.PickleValue.PySet;
import dev.heft.core.format.pickle.PickleValue.PyStr;
import dev.heft.core.format.pickle.PickleValue.PyTuple;
import dev.heft.core.format.pickle.PickleValue.StorageRef;
import dev.heft.core.format.pickle.PickleValue.TensorView;
import dev.heft.core.tensor.DType;
import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;

/**
 * What heft does when a pickle calls (REDUCE), instantiates (NEWOBJ) or sets the state of (BUILD) an allowlisted
 * global. Each case is written out in Java from the signature of the torch function it stands for; nothing is looked
 * up by name and no Python runs. Signatures: torch/_utils.py (torch 2.x) and torch/_tensor.py.
 */
final class TorchCalls {
    /** Rank cap for a tensor view: torch's own limit is 64 dimensions (c10 kDimLimit is lower in practice). */
    private static final int MAX_RANK = 64;
    /** {@code _rebuild_from_type_v2} may wrap another rebuild call; cap how deep such wrapping goes. */
    private static final int MAX_WRAPPED_CALLS = 8;

    private final PickleInterpreter vm;
    private int wrapped;

    TorchCalls(PickleInterpreter vm) {
        this.vm = vm;
    }

    PickleValue reduce(PickleValue func, PyTuple args) {
        if (func instanceof ClassRef c) {
            return new PyObject(c.qualifiedName(), args); // TorchScript: an opaque record, see GlobalPolicy
        }
        if (!(func instanceof GlobalRef g)) {
            throw vm.unsupported("REDUCE (a call) of " + func.describe() + " is not allowed: heft calls only "
                    + "the allowlisted torch rebuild functions");
        }
        return switch (g.global()) {
            case ORDERED_DICT, COUNTER -> dictFrom(g.global(), args);
            case REBUILD_TENSOR -> rebuildTensor(args, 4, "_rebuild_tensor", null);
            case REBUILD_TENSOR_V2 -> rebuildTensor(args, 6, "_rebuild_tensor_v2", null);
            case REBUILD_TENSOR_V3 -> {
                // _rebuild_tensor_v3(storage, storage_offset, size, stride, requires_grad, backward_hooks, dtype,
                // metadata=None): an untyped storage viewed as an explicit dtype (torch 2.1+, for new dtypes)
                arity(args, 7, "_rebuild_tensor_v3");
                yield rebuildTensor(args, 7, "_rebuild_tensor_v3", dtypeOf(args.get(6), "_rebuild_tensor_v3 dtype"));
            }
            case REBUILD_QTENSOR -> rebuildQuantized(args);
            case REBUILD_PARAMETER, REBUILD_PARAMETER_WITH_STATE -> {
                // _rebuild_parameter(data, requires_grad, backward_hooks[, state])
                arity(args, 3, g.global().qualifiedName());
                yield tensorArg(args.get(0), "Parameter data").asParameter(truth(args.get(1), "requires_grad"));
            }
            case REBUILD_FROM_TYPE_V2 -> rebuildFromType(args);
            case SIZE -> {
                arity(args, 1, "torch.Size");
                yield vm.asTuple(args.get(0), "torch.Size argument");
            }
            case DEVICE -> device(args);
            case CODECS_ENCODE -> codecsEncode(args);
            case BYTEARRAY -> bytearray(args);
            case SET -> set(args);
            case COMPLEX -> {
                arity(args, 2, "complex");
                yield new PyComplex(number(args.get(0), "complex real"), number(args.get(1), "complex imag"));
            }
            case GET_LAYOUT -> {
                arity(args, 1, "_get_layout");
                if (!(args.get(0) instanceof PyStr s) || !s.value().equals("torch.strided")) {
                    throw vm.unsupported(
                            "tensor layout " + args.get(0).describe() + " (heft reads strided tensors only)");
                }
                yield s;
            }
            case JIT_BUILD_INTLIST, JIT_BUILD_DOUBLELIST, JIT_BUILD_BOOLLIST, JIT_BUILD_TENSORLIST -> {
                // torch/jit/_pickle.py build_*list(data): returns the list it is given
                arity(args, 1, g.global().qualifiedName());
                if (!(args.get(0) instanceof PyList l)) {
                    throw vm.corrupt(g.global().qualifiedName() + " expects a list, got "
                            + args.get(0).describe());
                }
                yield l;
            }
            case JIT_RESTORE_TYPE_TAG -> {
                // restore_type_tag(value, type_str): the value with a TorchScript type annotation heft ignores
                arity(args, 2, "restore_type_tag");
                yield args.get(0);
            }
            case REBUILD_SPARSE_TENSOR,
                    REBUILD_META_TENSOR_NO_STORAGE,
                    REBUILD_WRAPPER_SUBCLASS,
                    REBUILD_DEVICE_TENSOR_FROM_NUMPY,
                    REBUILD_DEVICE_TENSOR_FROM_CPU_TENSOR,
                    JIT_BUILD_TENSOR_FROM_ID ->
                throw vm.unsupported("'" + g.global().qualifiedName() + "' tensors (sparse, meta, subclass or "
                        + "numpy-backed) are not read by heft");
            case PARAMETER,
                    TENSOR,
                    PER_TENSOR_AFFINE,
                    PER_TENSOR_SYMMETRIC,
                    PER_CHANNEL_AFFINE,
                    PER_CHANNEL_SYMMETRIC,
                    PER_CHANNEL_AFFINE_FLOAT_QPARAMS ->
                throw vm.unsupported("REDUCE (a call) of '" + g.global().qualifiedName() + "' is not allowed");
        };
    }

    PickleValue newObject(PickleValue cls, PyTuple args) {
        if (cls instanceof ClassRef c) {
            return new PyObject(c.qualifiedName(), args);
        }
        if (cls instanceof GlobalRef g) {
            switch (g.global()) {
                case PARAMETER -> {
                    // nn.Parameter.__new__(cls, data=None, requires_grad=True)
                    if (args.size() < 1 || args.size() > 2) {
                        throw vm.corrupt("torch.nn.Parameter expects 1 or 2 arguments, got " + args.size());
                    }
                    boolean grad = args.size() < 2 || truth(args.get(1), "requires_grad");
                    return tensorArg(args.get(0), "Parameter data").asParameter(grad);
                }
                case ORDERED_DICT, COUNTER -> {
                    return new PyDict(g.global().qualifiedName());
                }
                case SET -> {
                    return set(args);
                }
                default -> {}
            }
        }
        throw vm.unsupported("NEWOBJ (instantiation) of " + cls.describe() + " is not allowed");
    }

    /**
     * BUILD, as torch's weights-only unpickler restricts it: a dict (OrderedDict) takes its instance state as
     * attributes (state dicts keep {@code _metadata} there); a tensor's state (hooks, Python attributes) is ignored;
     * a TorchScript object keeps its state opaque. Anything else is refused.
     */
    void build(PickleValue target, PickleValue state) {
        switch (target) {
            case PyDict d -> {
                PickleValue attrs = state;
                if (state instanceof PyTuple t && t.size() == 2) {
                    attrs = t.get(0); // (dict state, slot state)
                }
                if (attrs instanceof PyDict a) {
                    a.entries().forEach(d::putAttribute);
                } else if (!(attrs instanceof PyNone)) {
                    throw vm.unsupported("BUILD of " + d.describe() + " with state " + attrs.describe());
                }
            }
            case TensorView t -> {
                // Tensor.__setstate__ restores hooks and Python attributes, not data: nothing for heft to count
            }
            case PyObject o -> o.setState(state);
            default -> throw vm.unsupported("BUILD (setting the state) of " + target.describe() + " is not allowed");
        }
    }

    // ---- tensors ----

    /**
     * {@code _rebuild_tensor(storage, storage_offset, size, stride)} and {@code _rebuild_tensor_v2(storage,
     * storage_offset, size, stride, requires_grad, backward_hooks, metadata=None)}.
     */
    private TensorView rebuildTensor(PyTuple args, int minArgs, String fn, DType explicitDtype) {
        arity(args, minArgs, fn);
        StorageRef storage = storageArg(args.get(0), fn);
        long offset = nonNegative(args.get(1), fn + " storage_offset");
        long[] size = longs(args.get(2), fn + " size");
        long[] stride = longs(args.get(3), fn + " stride");
        if (size.length != stride.length) {
            throw vm.corrupt(fn + ": size has " + size.length + " dimensions but stride has " + stride.length);
        }
        boolean grad = args.size() > 4 && truth(args.get(4), "requires_grad");
        DType dtype = explicitDtype != null ? explicitDtype : storage.dtype();
        return new TensorView(storage, dtype, offset, size, stride, grad, false);
    }

    /**
     * {@code _rebuild_qtensor(storage, storage_offset, size, stride, quantizer_params, requires_grad,
     * backward_hooks)}: the integer values are the view; scales and zero points sit in quantizer_params.
     */
    private TensorView rebuildQuantized(PyTuple args) {
        arity(args, 7, "_rebuild_qtensor");
        StorageRef storage = storageArg(args.get(0), "_rebuild_qtensor");
        long offset = nonNegative(args.get(1), "_rebuild_qtensor storage_offset");
        long[] size = longs(args.get(2), "_rebuild_qtensor size");
        long[] stride = longs(args.get(3), "_rebuild_qtensor stride");
        if (size.length != stride.length) {
            throw vm.corrupt("_rebuild_qtensor: size and stride differ in rank");
        }
        return new TensorView(
                storage, storage.dtype(), offset, size, stride, truth(args.get(5), "requires_grad"), false);
    }

    /** {@code _rebuild_from_type_v2(func, new_type, args, state)}: {@code func(*args)} re-typed; heft keeps the value. */
    private PickleValue rebuildFromType(PyTuple args) {
        arity(args, 4, "_rebuild_from_type_v2");
        if (++wrapped > MAX_WRAPPED_CALLS) {
            throw vm.corrupt("_rebuild_from_type_v2 nested more than " + MAX_WRAPPED_CALLS + " deep");
        }
        try {
            PickleValue type = args.get(1);
            if (!(type instanceof GlobalRef g)
                    || (g.global() != AllowedGlobal.TENSOR && g.global() != AllowedGlobal.PARAMETER)) {
                throw vm.unsupported("tensor subclass " + type.describe() + " is not allowed");
            }
            PickleValue inner = reduce(args.get(0), vm.asTuple(args.get(2), "_rebuild_from_type_v2 args"));
            if (g.global() == AllowedGlobal.PARAMETER && inner instanceof TensorView t) {
                return t.asParameter(t.requiresGrad());
            }
            return inner;
        } finally {
            wrapped--;
        }
    }

    private StorageRef storageArg(PickleValue v, String fn) {
        if (v instanceof StorageRef s) {
            return s;
        }
        throw vm.corrupt(fn + " expects a storage (a persistent id), got " + v.describe());
    }

    private TensorView tensorArg(PickleValue v, String what) {
        if (v instanceof TensorView t) {
            return t;
        }
        throw vm.corrupt(what + " must be a tensor, got " + v.describe());
    }

    private DType dtypeOf(PickleValue v, String what) {
        if (v instanceof DtypeRef d) {
            return d.dtype()
                    .dtype()
                    .orElseThrow(() ->
                            vm.unsupported("torch." + d.dtype().torchName() + " tensors are not counted by heft"));
        }
        throw vm.corrupt(what + " must be a torch dtype, got " + v.describe());
    }

    private long[] longs(PickleValue v, String what) {
        PyTuple t = vm.asTuple(v, what);
        if (t.size() > MAX_RANK) {
            throw vm.corrupt(what + " has " + t.size() + " dimensions (more than " + MAX_RANK + ")");
        }
        long[] out = new long[t.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = nonNegative(t.get(i), what + "[" + i + "]");
        }
        return out;
    }

    private long nonNegative(PickleValue v, String what) {
        if (v instanceof PyInt i) {
            OptionalLong l = i.asLong();
            if (l.isPresent() && l.getAsLong() >= 0) {
                return l.getAsLong();
            }
        }
        throw vm.corrupt(what + " must be a non-negative integer, got " + v.describe());
    }

    private boolean truth(PickleValue v, String what) {
        return switch (v) {
            case PyBool b -> b.value();
            case PyInt i -> i.value().signum() != 0;
            case PyNone n -> false;
            default -> throw vm.corrupt(what + " must be a bool, got " + v.describe());
        };
    }

    private double number(PickleValue v, String what) {
        return switch (v) {
            case PyFloat f -> f.value();
            case PyInt i -> i.value().doubleValue();
            default -> throw vm.corrupt(what + " must be a number, got " + v.describe());
        };
    }

    private void arity(PyTuple args, int min, String fn) {
        if (args.size() < min) {
            throw vm.corrupt(fn + " expects at least " + min + " arguments, got " + args.size());
        }
    }

    // ---- plain Python values ----

    /**
     * {@code OrderedDict()} or {@code OrderedDict(iterable)} of two-element items: {@code (k, v)} tuples, or
     * {@code [k, v]} lists as Python-2-era checkpoints build them; like {@code dict()}, any two-element sequence is a
     * pair (what {@code torch.load} accepts).
     */
    private PyDict dictFrom(AllowedGlobal g, PyTuple args) {
        PyDict d = new PyDict(g.qualifiedName());
        if (args.size() == 0) {
            return d;
        }
        if (args.size() == 1 && (args.get(0) instanceof PyList || args.get(0) instanceof PyTuple)) {
            java.util.List<PickleValue> items =
                    args.get(0) instanceof PyList l ? l.items() : ((PyTuple) args.get(0)).items();
            for (PickleValue pair : items) {
                java.util.List<PickleValue> kv =
                        pair instanceof PyTuple p ? p.items() : pair instanceof PyList pl ? pl.items() : null;
                if (kv == null || kv.size() != 2) {
                    throw vm.corrupt(g.qualifiedName() + " items must be two-element (key, value) sequences, got "
                            + pair.describe());
                }
                d.put(vm.hashable(kv.get(0), "dict key"), kv.get(1));
            }
            return d;
        }
        throw vm.unsupported(g.qualifiedName() + " called with " + args.describe() + " arguments");
    }

    private Device device(PyTuple args) {
        // torch.device("cuda:0") or torch.device("cuda", 0)
        if (args.size() >= 1 && args.get(0) instanceof PyStr s) {
            if (args.size() == 2 && args.get(1) instanceof PyInt i) {
                return new Device(s.value() + ":" + i.value());
            }
            if (args.size() == 1) {
                return new Device(s.value());
            }
        }
        throw vm.corrupt("torch.device expects a device string, got " + args.describe());
    }

    /** Protocol 2 pickles {@code bytes} as {@code _codecs.encode(text, 'latin1')} (pickle.py save_bytes). */
    private PyBytes codecsEncode(PyTuple args) {
        arity(args, 2, "_codecs.encode");
        if (!(args.get(0) instanceof PyStr text) || !(args.get(1) instanceof PyStr enc)) {
            throw vm.corrupt("_codecs.encode expects (str, encoding), got " + args.describe());
        }
        String e = enc.value().toLowerCase(java.util.Locale.ROOT);
        if (!e.equals("latin1") && !e.equals("latin-1") && !e.equals("iso-8859-1")) {
            throw vm.unsupported("_codecs.encode with encoding '" + enc.value() + "' (only latin1 is read)");
        }
        String s = text.value();
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 0xff) {
                throw vm.corrupt("_codecs.encode: text is not latin1");
            }
        }
        return new PyBytes(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    private PyBytes bytearray(PyTuple args) {
        if (args.size() == 0) {
            return new PyBytes(new byte[0]);
        }
        if (args.size() == 1 && args.get(0) instanceof PyBytes b) {
            return b;
        }
        throw vm.unsupported("bytearray called with " + args.describe() + " arguments");
    }

    private PySet set(PyTuple args) {
        PySet s = new PySet();
        if (args.size() == 0) {
            return s;
        }
        if (args.size() == 1 && args.get(0) instanceof PyList l) {
            for (PickleValue v : l.items()) {
                s.add(vm.hashable(v, "set item"));
            }
            return s;
        }
        throw vm.unsupported("builtins.set called with " + args.describe() + " arguments");
    }
}
