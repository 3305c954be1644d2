package dev.heft.core.format.pickle;

import dev.heft.core.error.CorruptModelException;
import dev.heft.core.error.UnsupportedModelException;
import dev.heft.core.format.pickle.PickleValue.ClassRef;
import dev.heft.core.format.pickle.PickleValue.DtypeRef;
import dev.heft.core.format.pickle.PickleValue.GlobalRef;
import dev.heft.core.format.pickle.PickleValue.PyBool;
import dev.heft.core.format.pickle.PickleValue.PyBytes;
import dev.heft.core.format.pickle.PickleValue.PyDict;
import dev.heft.core.format.pickle.PickleValue.PyFloat;
import dev.heft.core.format.pickle.PickleValue.PyInt;
import dev.heft.core.format.pickle.PickleValue.PyList;
import dev.heft.core.format.pickle.PickleValue.PyNone;
import dev.heft.core.format.pickle.PickleValue.PyObject;
import dev.heft.core.format.pickle.PickleValue.PySet;
import dev.heft.core.format.pickle.PickleValue.PyStr;
import dev.heft.core.format.pickle.PickleValue.PyTuple;
import dev.heft.core.format.pickle.PickleValue.StorageTypeRef;
import dev.heft.core.format.pickle.PickleValue.TensorView;
import dev.heft.core.text.StrictUtf8;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A restricted pickle machine written for heft: it reads the opcodes of protocols 0-5 that torch writes and builds
 * {@link PickleValue}s. It never loads a class by name and never runs anything: a GLOBAL resolves only against
 * {@link AllowedGlobal}, {@link TorchDtype} and {@link TorchStorageType} (what {@code torch.load(weights_only=True)}
 * allows), a REDUCE/NEWOBJ only calls heft's own Java for those names ({@link TorchCalls}), and every other global
 * is refused with an error naming it. Every count a pickle can grow is capped by {@link PickleLimits}.
 *
 * <p>Opcode semantics follow CPython Lib/pickle.py ({@code _Unpickler.load_*}) and the descriptions in
 * Lib/pickletools.py. One instance reads one pickle.
 */
public final class PickleInterpreter {
    /** Longest GLOBAL module or name line heft accepts (Python identifiers are far shorter). */
    private static final int MAX_GLOBAL_LINE = 1024;
    /** Longest protocol-0 number line (INT, LONG, FLOAT, GET, PUT). */
    private static final int MAX_NUMBER_LINE = 256;
    /*
     * What {@link PickleLimits#maxBuiltBytes()} charges, as upper estimates of the heap taken (64-bit JVM, compressed
     * references): a value is a small record or object with its boxed contents (a BigInteger is 40 bytes) and its
     * stack slot; a slot is one element put into a list, dict, set or tuple, or copied off the stack by MARK-popping
     * opcodes (an ArrayList slot with growth slack, a LinkedHashMap entry); a memo entry is a HashMap node with its
     * boxed key; string and byte data cost their bytes plus a String's copy of them.
     */
    private static final int VALUE_BYTES = 48;
    /** A list, dict, set or object: the value and its empty collection (a LinkedHashMap is 56 bytes before a table). */
    private static final int CONTAINER_BYTES = 112;

    private static final int SLOT_BYTES = 40;
    private static final int MEMO_BYTES = 64;
    private static final int BYTES_PER_DATA_BYTE = 3;

    private final PickleLimits limits;
    private final GlobalPolicy policy;
    private final PersistentLoader persistentLoader;
    private final TorchCalls calls;

    private final List<PickleValue> stack = new ArrayList<>();
    private final List<Integer> marks = new ArrayList<>();
    private final Map<Long, PickleValue> memo = new HashMap<>();
    private long objects;
    private long built;
    private PickleInput in;
    private long opStart;

    /**
     * @param persistentLoader resolves BINPERSID/PERSID; null when the pickle is not expected to reference storages
     */
    public PickleInterpreter(PickleLimits limits, GlobalPolicy policy, PersistentLoader persistentLoader) {
        this.limits = limits;
        this.policy = policy;
        this.persistentLoader = persistentLoader;
        this.calls = new TorchCalls(this);
    }

    /** Reads one pickle from {@code input}'s position up to and including its STOP; the input is left after STOP. */
    public PickleValue load(PickleInput input) {
        this.in = input;
        stack.clear();
        marks.clear();
        memo.clear();
        built = 0;
        while (true) {
            opStart = in.position();
            int code = in.u8("opcode");
            Opcode op = Opcode.of(code);
            if (op == null) {
                throw corrupt(String.format("unknown pickle opcode 0x%02x", code));
            }
            if (op == Opcode.STOP) {
                if (stack.isEmpty()) {
                    throw corrupt("STOP with an empty stack");
                }
                return stack.remove(stack.size() - 1);
            }
            step(op);
        }
    }

    private void step(Opcode op) {
        switch (op) {
            case PROTO -> {
                int version = in.u8("PROTO version");
                if (version > 5) {
                    throw unsupported("pickle protocol " + version + " (heft reads protocols 0 to 5)");
                }
            }
            case FRAME -> {
                // protocol 4 FRAME: uint64 length of the frame that follows; a buffering hint only, checked for sense
                long len = in.u64("FRAME length");
                if (len > in.remaining()) {
                    throw corrupt("FRAME declares " + len + " bytes but " + in.remaining() + " remain");
                }
            }
            case MARK -> {
                if (marks.size() >= limits.maxMarkDepth()) {
                    throw corrupt("more than " + limits.maxMarkDepth() + " nested MARKs (heft's limit)");
                }
                marks.add(stack.size());
            }
            case POP -> {
                if (stack.size() > currentMarkBase()) {
                    pop("POP");
                } else {
                    popMark("POP");
                }
            }
            case POP_MARK -> popMark("POP_MARK");
            case DUP -> push(peek("DUP"));
            case NONE -> push(PyNone.INSTANCE);
            case NEWTRUE -> push(new PyBool(true));
            case NEWFALSE -> push(new PyBool(false));
            case BININT -> push(PyInt.of(in.i32("BININT")));
            case BININT1 -> push(PyInt.of(in.u8("BININT1")));
            case BININT2 -> push(PyInt.of(in.u16("BININT2")));
            case LONG1 -> push(longBytes(in.u8("LONG1 length")));
            case LONG4 -> {
                int n = in.i32("LONG4 length");
                if (n < 0) {
                    throw corrupt("LONG4 with negative length " + n);
                }
                push(longBytes(n));
            }
            case INT -> push(textInt(ascii(in.line(MAX_NUMBER_LINE, "INT"))));
            case LONG -> {
                String s = ascii(in.line(MAX_NUMBER_LINE, "LONG"));
                push(new PyInt(parseBig(s.endsWith("L") ? s.substring(0, s.length() - 1) : s, "LONG")));
            }
            case BINFLOAT -> push(new PyFloat(in.f64BigEndian("BINFLOAT")));
            case FLOAT -> {
                String s = ascii(in.line(MAX_NUMBER_LINE, "FLOAT"));
                try {
                    push(new PyFloat(Double.parseDouble(s)));
                } catch (NumberFormatException e) {
                    throw corrupt("FLOAT '" + s + "' is not a number");
                }
            }
            case BINUNICODE -> push(new PyStr(utf8(data(in.u32("BINUNICODE length"), "BINUNICODE string"))));
            case SHORT_BINUNICODE ->
                push(new PyStr(utf8(data(in.u8("SHORT_BINUNICODE length"), "SHORT_BINUNICODE string"))));
            case BINUNICODE8 -> push(new PyStr(utf8(data(in.u64("BINUNICODE8 length"), "BINUNICODE8 string"))));
            case BINSTRING -> {
                int n = in.i32("BINSTRING length");
                if (n < 0) {
                    throw corrupt("BINSTRING with negative length " + n);
                }
                push(legacyString(data(n, "BINSTRING string")));
            }
            case SHORT_BINSTRING -> push(legacyString(data(in.u8("SHORT_BINSTRING length"), "SHORT_BINSTRING string")));
            case BINBYTES -> push(new PyBytes(data(in.u32("BINBYTES length"), "BINBYTES data")));
            case SHORT_BINBYTES -> push(new PyBytes(data(in.u8("SHORT_BINBYTES length"), "SHORT_BINBYTES data")));
            case BINBYTES8 -> push(new PyBytes(data(in.u64("BINBYTES8 length"), "BINBYTES8 data")));
            case BYTEARRAY8 -> push(new PyBytes(data(in.u64("BYTEARRAY8 length"), "BYTEARRAY8 data")));
            case STRING, UNICODE ->
                throw unsupported("protocol-0 text string opcode " + op + " (torch writes protocol 2 or later)");
            case EMPTY_TUPLE -> push(tuple(List.of()));
            case TUPLE1 -> push(tuple(popN(1, "TUPLE1")));
            case TUPLE2 -> push(tuple(popN(2, "TUPLE2")));
            case TUPLE3 -> push(tuple(popN(3, "TUPLE3")));
            case TUPLE -> push(tuple(popMark("TUPLE")));
            case EMPTY_LIST -> push(new PyList());
            case LIST -> {
                PyList l = new PyList();
                popMark("LIST").forEach(l::add);
                push(l);
            }
            case EMPTY_DICT -> push(new PyDict("dict"));
            case DICT -> {
                PyDict d = new PyDict("dict");
                putPairs(d, popMark("DICT"));
                push(d);
            }
            case EMPTY_SET -> push(new PySet());
            case FROZENSET -> {
                PySet s = new PySet();
                for (PickleValue v : popMark("FROZENSET")) {
                    s.add(hashable(v, "frozenset item"));
                }
                push(s);
            }
            case APPEND -> {
                charge(SLOT_BYTES);
                PickleValue v = pop("APPEND");
                listTarget(peek("APPEND"), "APPEND").add(v);
            }
            case APPENDS -> {
                List<PickleValue> items = popMark("APPENDS");
                PyList l = listTarget(peek("APPENDS"), "APPENDS");
                items.forEach(l::add);
            }
            case SETITEM -> {
                charge(SLOT_BYTES);
                PickleValue v = pop("SETITEM");
                PickleValue k = pop("SETITEM");
                dictTarget(peek("SETITEM"), "SETITEM").put(hashable(k, "dict key"), v);
            }
            case SETITEMS -> {
                List<PickleValue> items = popMark("SETITEMS");
                putPairs(dictTarget(peek("SETITEMS"), "SETITEMS"), items);
            }
            case ADDITEMS -> {
                List<PickleValue> items = popMark("ADDITEMS");
                if (!(peek("ADDITEMS") instanceof PySet s)) {
                    throw unsupported("ADDITEMS to " + peek("ADDITEMS").describe() + " (only sets take ADDITEMS)");
                }
                for (PickleValue v : items) {
                    s.add(hashable(v, "set item"));
                }
            }
            case BINGET -> push(memoGet(in.u8("BINGET index")));
            case LONG_BINGET -> push(memoGet(in.u32("LONG_BINGET index")));
            case GET -> push(memoGet(parseIndex(ascii(in.line(MAX_NUMBER_LINE, "GET")), "GET")));
            case BINPUT -> memoPut(in.u8("BINPUT index"));
            case LONG_BINPUT -> memoPut(in.u32("LONG_BINPUT index"));
            case PUT -> memoPut(parseIndex(ascii(in.line(MAX_NUMBER_LINE, "PUT")), "PUT"));
            case MEMOIZE -> memoPut(memo.size());
            case GLOBAL -> {
                String module = globalLine("GLOBAL module");
                String name = globalLine("GLOBAL name");
                push(resolveGlobal(module, name));
            }
            case STACK_GLOBAL -> {
                PickleValue name = pop("STACK_GLOBAL");
                PickleValue module = pop("STACK_GLOBAL");
                if (!(module instanceof PyStr m) || !(name instanceof PyStr n)) {
                    throw corrupt(
                            "STACK_GLOBAL needs two strings, got " + module.describe() + " and " + name.describe());
                }
                push(resolveGlobal(m.value(), n.value()));
            }
            case REDUCE -> {
                PickleValue args = pop("REDUCE");
                PickleValue func = pop("REDUCE");
                push(calls.reduce(func, asTuple(args, "REDUCE arguments")));
            }
            case NEWOBJ -> {
                PickleValue args = pop("NEWOBJ");
                PickleValue cls = pop("NEWOBJ");
                push(calls.newObject(cls, asTuple(args, "NEWOBJ arguments")));
            }
            case NEWOBJ_EX -> {
                PickleValue kwargs = pop("NEWOBJ_EX");
                PickleValue args = pop("NEWOBJ_EX");
                PickleValue cls = pop("NEWOBJ_EX");
                if (!(kwargs instanceof PyDict kw) || !kw.entries().isEmpty()) {
                    throw unsupported("NEWOBJ_EX with keyword arguments for " + cls.describe());
                }
                push(calls.newObject(cls, asTuple(args, "NEWOBJ_EX arguments")));
            }
            case BUILD -> {
                PickleValue state = pop("BUILD");
                calls.build(peek("BUILD"), state);
            }
            case BINPERSID -> push(persistent(pop("BINPERSID")));
            case PERSID -> push(persistent(new PyStr(ascii(in.line(MAX_GLOBAL_LINE, "PERSID")))));
            case INST, OBJ -> {
                String what = op == Opcode.INST
                        ? "'" + globalLine("INST module") + "." + globalLine("INST name") + "'"
                        : "an object";
                throw unsupported(op + " (old-style class instantiation of " + what
                        + ") is not allowed: heft never creates Python objects");
            }
            case EXT1, EXT2, EXT4 -> throw unsupported(op + " (copyreg extension registry) is not allowed");
            case NEXT_BUFFER, READONLY_BUFFER ->
                throw unsupported(
                        op + " (out-of-band buffers) is not allowed: checkpoints keep their data in storages");
            case STOP -> throw new AssertionError("STOP is handled by load");
        }
    }

    // ---- globals ----

    private PickleValue resolveGlobal(String module, String name) {
        // torch's weights-only unpickler applies Python 2 -> 3 renames (torch._utils IMPORT_MAPPING) first
        if (module.equals("__builtin__")) {
            module = "builtins";
        } else if (module.equals("copy_reg")) {
            module = "copyreg";
        }
        Optional<AllowedGlobal> allowed = AllowedGlobal.lookup(module, name, policy);
        if (allowed.isPresent()) {
            return new GlobalRef(allowed.get());
        }
        if (module.equals("torch")) {
            Optional<TorchDtype> dtype = TorchDtype.byName(name);
            if (dtype.isPresent()) {
                return new DtypeRef(dtype.get());
            }
        }
        Optional<TorchStorageType> storage = TorchStorageType.byGlobal(module, name);
        if (storage.isPresent()) {
            return new StorageTypeRef(storage.get());
        }
        if (policy == GlobalPolicy.TORCHSCRIPT && (module.equals("__torch__") || module.startsWith("__torch__."))) {
            // TorchScript's own classes: an opaque name, never looked up (see GlobalPolicy.TORCHSCRIPT)
            return new ClassRef(module + "." + name);
        }
        throw unsupported("global '" + module + "." + name + "' is not allowed: heft reads only the globals "
                + "torch.load(weights_only=True) allows (tensors, storages, dtypes, OrderedDict, ...); this file "
                + "pickles other Python objects and is never executed");
    }

    private String globalLine(String what) {
        byte[] raw = in.line(MAX_GLOBAL_LINE, what);
        return StrictUtf8.decode(raw).orElseThrow(() -> corrupt(what + " is not valid UTF-8"));
    }

    private PickleValue persistent(PickleValue pid) {
        if (persistentLoader == null) {
            throw unsupported("persistent id " + pid.describe() + " in a pickle that references no storages");
        }
        return persistentLoader.load(pid, opStartFileOffset());
    }

    // ---- stack, marks, memo ----

    private void push(PickleValue v) {
        if (stack.size() >= limits.maxStackDepth()) {
            throw corrupt("pickle stack exceeds " + limits.maxStackDepth() + " values (heft's limit)");
        }
        stack.add(v);
        countObject();
        if (v instanceof PyList || v instanceof PyDict || v instanceof PySet || v instanceof PyObject) {
            charge(CONTAINER_BYTES - VALUE_BYTES);
        }
    }

    private void countObject() {
        if (++objects > limits.maxObjects()) {
            throw corrupt("pickle creates more than " + limits.maxObjects() + " values (heft's limit)");
        }
        charge(VALUE_BYTES);
    }

    /** Counts {@code bytes} against {@link PickleLimits#maxBuiltBytes()}: what building the values costs in total. */
    private void charge(long bytes) {
        built += bytes;
        if (built > limits.maxBuiltBytes()) {
            throw corrupt("building this pickle's values takes more than " + (limits.maxBuiltBytes() >> 20)
                    + " MiB (heft's limit; a real checkpoint's pickle takes a few MiB)");
        }
    }

    /** A declared-length string or byte string, at most the string limit, charged as it is built. */
    private byte[] data(long n, String what) {
        byte[] raw = in.bytes(n, limits.maxStringBytes(), what);
        charge((long) BYTES_PER_DATA_BYTE * raw.length);
        return raw;
    }

    private int currentMarkBase() {
        return marks.isEmpty() ? 0 : marks.get(marks.size() - 1);
    }

    private PickleValue pop(String op) {
        if (stack.size() <= currentMarkBase()) {
            throw corrupt(op + " on an empty stack" + (marks.isEmpty() ? "" : " (above the last MARK)"));
        }
        return stack.remove(stack.size() - 1);
    }

    private PickleValue peek(String op) {
        if (stack.size() <= currentMarkBase()) {
            throw corrupt(op + " on an empty stack" + (marks.isEmpty() ? "" : " (above the last MARK)"));
        }
        return stack.get(stack.size() - 1);
    }

    private List<PickleValue> popN(int n, String op) {
        if (stack.size() - currentMarkBase() < n) {
            throw corrupt(op + " needs " + n + " values on the stack");
        }
        List<PickleValue> sub = stack.subList(stack.size() - n, stack.size());
        charge((long) SLOT_BYTES * n);
        List<PickleValue> out = new ArrayList<>(sub);
        sub.clear();
        return out;
    }

    private List<PickleValue> popMark(String op) {
        if (marks.isEmpty()) {
            throw corrupt(op + " without a MARK");
        }
        int base = marks.remove(marks.size() - 1);
        List<PickleValue> sub = stack.subList(base, stack.size());
        charge((long) SLOT_BYTES * sub.size());
        List<PickleValue> out = new ArrayList<>(sub);
        sub.clear();
        return out;
    }

    private PickleValue memoGet(long index) {
        PickleValue v = memo.get(index);
        if (v == null) {
            throw corrupt("memo slot " + index + " was never set");
        }
        return v;
    }

    private void memoPut(long index) {
        PickleValue v = peek("PUT");
        if (!memo.containsKey(index)) {
            if (memo.size() >= limits.maxMemoEntries()) {
                throw corrupt("pickle memo exceeds " + limits.maxMemoEntries() + " entries (heft's limit)");
            }
            charge(MEMO_BYTES);
        }
        memo.put(index, v);
    }

    // ---- values ----

    private PyTuple tuple(List<PickleValue> items) {
        PyTuple t = PyTuple.of(items);
        if (t.depth() > limits.maxTupleDepth()) {
            throw corrupt("tuples nested more than " + limits.maxTupleDepth() + " deep (heft's limit)");
        }
        return t;
    }

    private PyInt longBytes(int n) {
        if (n > limits.maxIntBytes()) {
            throw corrupt("integer of " + n + " bytes is larger than heft's limit of " + limits.maxIntBytes());
        }
        byte[] le = in.bytes(n, limits.maxIntBytes(), "LONG bytes");
        if (n == 0) {
            return PyInt.of(0);
        }
        byte[] be = new byte[n];
        for (int i = 0; i < n; i++) {
            be[i] = le[n - 1 - i];
        }
        return new PyInt(new BigInteger(be)); // two's complement, as pickle's decode_long
    }

    private PickleValue textInt(String s) {
        // protocol 0 INT: "00" and "01" are False and True (pickle.py load_int)
        if (s.equals("00")) {
            return new PyBool(false);
        }
        if (s.equals("01")) {
            return new PyBool(true);
        }
        return new PyInt(parseBig(s, "INT"));
    }

    private BigInteger parseBig(String s, String op) {
        if (s.isEmpty() || s.length() > MAX_NUMBER_LINE) {
            throw corrupt(op + " '" + s + "' is not an integer");
        }
        try {
            return new BigInteger(s.trim());
        } catch (NumberFormatException e) {
            throw corrupt(op + " '" + s + "' is not an integer");
        }
    }

    private long parseIndex(String s, String op) {
        try {
            long v = Long.parseLong(s.trim());
            if (v < 0) {
                throw corrupt(op + " memo index " + v + " is negative");
            }
            return v;
        } catch (NumberFormatException e) {
            throw corrupt(op + " memo index '" + s + "' is not a number");
        }
    }

    private static String ascii(byte[] raw) {
        return new String(raw, StandardCharsets.ISO_8859_1);
    }

    private String utf8(byte[] raw) {
        return StrictUtf8.decode(raw).orElseThrow(() -> corrupt("string is not valid UTF-8"));
    }

    /** Python 2 {@code str} (BINSTRING): text when it is UTF-8, else the raw bytes (torch's encoding="bytes"). */
    private PickleValue legacyString(byte[] raw) {
        return StrictUtf8.decode(raw).<PickleValue>map(PyStr::new).orElseGet(() -> new PyBytes(raw));
    }

    private void putPairs(PyDict d, List<PickleValue> items) {
        if (items.size() % 2 != 0) {
            throw corrupt("odd number of values (" + items.size() + ") for dict keys and values");
        }
        for (int i = 0; i < items.size(); i += 2) {
            d.put(hashable(items.get(i), "dict key"), items.get(i + 1));
        }
    }

    /** Python refuses unhashable keys (lists, dicts, sets); so does heft, which also keeps hashing shallow. */
    PickleValue hashable(PickleValue v, String what) {
        if (v instanceof PyList
                || v instanceof PyDict
                || v instanceof PySet
                || v instanceof PyObject
                || v instanceof TensorView) {
            throw corrupt(what + " " + v.describe() + " is unhashable");
        }
        if (v instanceof PyTuple t) {
            for (PickleValue item : t.items()) {
                hashable(item, what);
            }
        }
        return v;
    }

    private PyList listTarget(PickleValue v, String op) {
        if (v instanceof PyList l) {
            return l;
        }
        throw unsupported(op + " to " + v.describe() + " is not allowed (only lists take " + op + ")");
    }

    private PyDict dictTarget(PickleValue v, String op) {
        if (v instanceof PyDict d) {
            return d;
        }
        throw unsupported(op + " on " + v.describe() + " is not allowed (only dicts take " + op + ")");
    }

    PyTuple asTuple(PickleValue v, String what) {
        if (v instanceof PyTuple t) {
            return t;
        }
        throw corrupt(what + " must be a tuple, got " + v.describe());
    }

    // ---- errors ----

    private long opStartFileOffset() {
        return in.fileOffset() - (in.position() - opStart);
    }

    CorruptModelException corrupt(String problem) {
        return in.corrupt(opStart, problem);
    }

    UnsupportedModelException unsupported(String problem) {
        return new UnsupportedModelException(in.file(), opStartFileOffset(), in.name(), problem);
    }

    PickleLimits limits() {
        return limits;
    }

    GlobalPolicy policy() {
        return policy;
    }
}
