package dev.heft.core.format.pickle;

import dev.heft.core.tensor.DType;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A value the restricted unpickler built. Only plain data exists here: Python scalars, strings, byte strings and
 * containers, references to the few globals torch's {@code weights_only} unpickler allows (never a loaded class), and
 * tensors described as views over named storages. Nothing in this family can run code.
 *
 * <p>Immutable Python values are records with value equality. Lists, dicts, sets and TorchScript objects are mutable
 * while the pickle is read (APPEND, SETITEM, BUILD change them after creation, exactly as in Python), so they are
 * final classes with identity equality: that is what makes a self-referencing list (legal in a pickle) safe to hash
 * and print. Their accessors return read-only views.
 */
public sealed interface PickleValue {

    /** A short description for error messages ("a list of 3", "global 'torch.Size'"); never recursive. */
    String describe();

    /** Python {@code None}. */
    record PyNone() implements PickleValue {
        public static final PyNone INSTANCE = new PyNone();

        @Override
        public String describe() {
            return "None";
        }
    }

    record PyBool(boolean value) implements PickleValue {
        @Override
        public String describe() {
            return value ? "True" : "False";
        }
    }

    /** A Python int (arbitrary precision in Python; LONG1/LONG4 may exceed 64 bits). */
    record PyInt(BigInteger value) implements PickleValue {
        public PyInt {
            if (value == null) {
                throw new IllegalArgumentException("int value is required");
            }
        }

        public static PyInt of(long v) {
            return new PyInt(BigInteger.valueOf(v));
        }

        /** The value when it fits a signed 64-bit long, else empty. */
        public java.util.OptionalLong asLong() {
            return value.bitLength() < 64
                    ? java.util.OptionalLong.of(value.longValue())
                    : java.util.OptionalLong.empty();
        }

        @Override
        public String describe() {
            return "int " + value;
        }
    }

    record PyFloat(double value) implements PickleValue {
        @Override
        public String describe() {
            return "float " + value;
        }
    }

    record PyStr(String value) implements PickleValue {
        public PyStr {
            if (value == null) {
                throw new IllegalArgumentException("string value is required");
            }
        }

        @Override
        public String describe() {
            return "string '" + (value.length() > 40 ? value.substring(0, 40) + "..." : value) + "'";
        }
    }

    /** A byte string ({@code bytes} or {@code bytearray}). */
    record PyBytes(byte[] value) implements PickleValue {
        public PyBytes {
            value = value.clone();
        }

        @Override
        public byte[] value() {
            return value.clone();
        }

        public int length() {
            return value.length;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof PyBytes b && Arrays.equals(value, b.value);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(value);
        }

        @Override
        public String toString() {
            return "PyBytes[" + value.length + " bytes]";
        }

        @Override
        public String describe() {
            return "bytes of length " + value.length;
        }
    }

    /**
     * An immutable tuple. {@code depth} is its nesting (1 for a tuple of scalars); the interpreter caps it so that the
     * recursive equals and hashCode stay shallow.
     */
    record PyTuple(List<PickleValue> items, int depth) implements PickleValue {
        public PyTuple {
            items = List.copyOf(items);
        }

        public static PyTuple of(List<PickleValue> items) {
            int d = 0;
            for (PickleValue v : items) {
                if (v instanceof PyTuple t) {
                    d = Math.max(d, t.depth);
                }
            }
            return new PyTuple(items, d + 1);
        }

        public int size() {
            return items.size();
        }

        public PickleValue get(int i) {
            return items.get(i);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof PyTuple t && items.equals(t.items);
        }

        @Override
        public int hashCode() {
            return items.hashCode();
        }

        @Override
        public String toString() {
            return "PyTuple[" + items.size() + " items]";
        }

        @Override
        public String describe() {
            return "a tuple of " + items.size();
        }
    }

    /** A Python list; mutable while unpickling, read-only to callers. */
    final class PyList implements PickleValue {
        private final List<PickleValue> items = new ArrayList<>();

        PyList() {}

        void add(PickleValue v) {
            items.add(v);
        }

        public List<PickleValue> items() {
            return Collections.unmodifiableList(items);
        }

        @Override
        public String toString() {
            return "PyList[" + items.size() + " items]";
        }

        @Override
        public String describe() {
            return "a list of " + items.size();
        }
    }

    /**
     * A Python dict (or {@code OrderedDict}/{@code Counter}: they pickle the same way). {@code attributes} holds the
     * instance state a BUILD gave it: torch state dicts carry their {@code _metadata} there.
     */
    final class PyDict implements PickleValue {
        private final Map<PickleValue, PickleValue> entries = new LinkedHashMap<>();
        private final Map<PickleValue, PickleValue> attributes = new LinkedHashMap<>();
        private final String pythonClass;

        PyDict(String pythonClass) {
            this.pythonClass = pythonClass;
        }

        void put(PickleValue key, PickleValue value) {
            entries.put(key, value);
        }

        void putAttribute(PickleValue key, PickleValue value) {
            attributes.put(key, value);
        }

        public Map<PickleValue, PickleValue> entries() {
            return Collections.unmodifiableMap(entries);
        }

        public Map<PickleValue, PickleValue> attributes() {
            return Collections.unmodifiableMap(attributes);
        }

        /** "dict", "collections.OrderedDict" or "collections.Counter". */
        public String pythonClass() {
            return pythonClass;
        }

        public PickleValue get(String key) {
            return entries.get(new PyStr(key));
        }

        @Override
        public String toString() {
            return "PyDict[" + entries.size() + " entries]";
        }

        @Override
        public String describe() {
            return "a dict of " + entries.size();
        }
    }

    /** A Python set or frozenset. */
    final class PySet implements PickleValue {
        private final Set<PickleValue> items = new LinkedHashSet<>();

        PySet() {}

        void add(PickleValue v) {
            items.add(v);
        }

        public Set<PickleValue> items() {
            return Collections.unmodifiableSet(items);
        }

        @Override
        public String toString() {
            return "PySet[" + items.size() + " items]";
        }

        @Override
        public String describe() {
            return "a set of " + items.size();
        }
    }

    /** A complex number ({@code builtins.complex(real, imag)}). */
    record PyComplex(double real, double imag) implements PickleValue {
        @Override
        public String describe() {
            return "complex " + real + "+" + imag + "j";
        }
    }

    /** A reference to an allowlisted callable or class, by name only: nothing is loaded. */
    record GlobalRef(AllowedGlobal global) implements PickleValue {
        @Override
        public String describe() {
            return "global '" + global.qualifiedName() + "'";
        }
    }

    /** A torch dtype such as {@code torch.float32}. */
    record DtypeRef(TorchDtype dtype) implements PickleValue {
        @Override
        public String describe() {
            return "dtype 'torch." + dtype.torchName() + "'";
        }
    }

    /** A torch storage class such as {@code torch.FloatStorage}, as named in a storage's persistent id. */
    record StorageTypeRef(TorchStorageType type) implements PickleValue {
        @Override
        public String describe() {
            return "storage class '" + type.qualifiedName() + "'";
        }
    }

    /** A {@code torch.device}, kept as its string ("cpu", "cuda:0"). */
    record Device(String name) implements PickleValue {
        @Override
        public String describe() {
            return "device '" + name + "'";
        }
    }

    /**
     * A storage a tensor points at: the persistent id torch writes ({@code ('storage', storage_type, key, location,
     * numel)}) resolved to its element type.
     *
     * @param key          the storage's key: its entry name under {@code data/} (zip) or its root key (legacy)
     * @param dtype        element type of the storage: the typed storage's dtype, or U8 for {@code UntypedStorage}
     * @param location     where it was saved from ("cpu", "cuda:0")
     * @param numel        elements of {@code dtype} in the storage (bytes for an untyped storage)
     * @param elementBase  first element of this storage within the keyed one (legacy views of a storage; else 0)
     */
    record StorageRef(String key, DType dtype, String location, long numel, long elementBase) implements PickleValue {
        public StorageRef {
            if (key == null || dtype == null || location == null) {
                throw new IllegalArgumentException("storage key, dtype and location are required");
            }
            if (numel < 0 || elementBase < 0) {
                throw new IllegalArgumentException("negative storage size or base");
            }
        }

        @Override
        public String describe() {
            return "storage '" + key + "' (" + numel + " x " + dtype + ")";
        }
    }

    /**
     * A tensor as torch describes it: a strided view over (part of) a storage. Nothing of its data is read.
     *
     * @param storage       the storage viewed
     * @param dtype         element type of the view (the storage's type, or the explicit dtype of
     *                      {@code _rebuild_tensor_v3} over an untyped storage)
     * @param storageOffset first element of the view, counted in {@code dtype} elements from the storage start
     * @param shape         sizes, outermost first
     * @param stride        strides in elements, one per dimension
     * @param requiresGrad  the saved {@code requires_grad}
     * @param parameter     whether it was saved as an {@code nn.Parameter}
     */
    record TensorView(
            StorageRef storage,
            DType dtype,
            long storageOffset,
            long[] shape,
            long[] stride,
            boolean requiresGrad,
            boolean parameter)
            implements PickleValue {
        public TensorView {
            shape = shape.clone();
            stride = stride.clone();
            if (shape.length != stride.length) {
                throw new IllegalArgumentException("shape and stride differ in rank");
            }
        }

        @Override
        public long[] shape() {
            return shape.clone();
        }

        @Override
        public long[] stride() {
            return stride.clone();
        }

        public TensorView asParameter(boolean grad) {
            return new TensorView(storage, dtype, storageOffset, shape, stride, grad, true);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof TensorView t
                    && storage.equals(t.storage)
                    && dtype == t.dtype
                    && storageOffset == t.storageOffset
                    && Arrays.equals(shape, t.shape)
                    && Arrays.equals(stride, t.stride)
                    && requiresGrad == t.requiresGrad
                    && parameter == t.parameter;
        }

        @Override
        public int hashCode() {
            return storage.hashCode() * 31 + Arrays.hashCode(shape);
        }

        @Override
        public String toString() {
            return "TensorView[" + storage.key() + " " + Arrays.toString(shape) + " " + dtype + " @" + storageOffset
                    + "]";
        }

        @Override
        public String describe() {
            return "tensor " + Arrays.toString(shape) + " " + dtype;
        }
    }

    /** A TorchScript class reference ({@code __torch__.Net}): a name, never looked up or loaded. */
    record ClassRef(String qualifiedName) implements PickleValue {
        @Override
        public String describe() {
            return "TorchScript class '" + qualifiedName + "'";
        }
    }

    /**
     * An instance of a TorchScript class, kept opaque: its class name, the arguments it was created with and the state
     * a BUILD gave it (a module's attribute dict). No method of it is ever run.
     */
    final class PyObject implements PickleValue {
        private final String className;
        private final PyTuple args;
        private PickleValue state;

        PyObject(String className, PyTuple args) {
            this.className = className;
            this.args = args;
        }

        void setState(PickleValue s) {
            this.state = s;
        }

        public String className() {
            return className;
        }

        public PyTuple args() {
            return args;
        }

        /** The BUILD state, or null when none was given. */
        public PickleValue state() {
            return state;
        }

        @Override
        public String toString() {
            return "PyObject[" + className + "]";
        }

        @Override
        public String describe() {
            return "object of TorchScript class '" + className + "'";
        }
    }
}
