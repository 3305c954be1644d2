package dev.heft.core.format.pickle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.heft.core.error.CorruptModelException;
import dev.heft.core.error.UnsupportedModelException;
import dev.heft.core.format.pickle.PickleValue.PyBytes;
import dev.heft.core.format.pickle.PickleValue.PyDict;
import dev.heft.core.format.pickle.PickleValue.PyFloat;
import dev.heft.core.format.pickle.PickleValue.PyInt;
import dev.heft.core.format.pickle.PickleValue.PyList;
import dev.heft.core.format.pickle.PickleValue.PySet;
import dev.heft.core.format.pickle.PickleValue.PyStr;
import dev.heft.core.format.pickle.PickleValue.PyTuple;
import dev.heft.core.format.pickle.PickleValue.StorageRef;
import dev.heft.core.format.pickle.PickleValue.TensorView;
import dev.heft.core.tensor.DType;
import dev.heft.core.testing.PickleWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The restricted unpickler on pickles written opcode by opcode. Expected values are what CPython's pickle.loads
 * gives for the same bytes (several byte strings below are pickle.dumps output, quoted in hex); the hostile half
 * checks that every unsafe construct is refused with an error naming it and that nothing runs.
 */
class PickleInterpreterTest {
    private static final Path FILE = Path.of("test.pkl");

    private static PickleValue load(byte[] bytes) {
        return load(bytes, PickleLimits.DEFAULT, GlobalPolicy.WEIGHTS_ONLY);
    }

    private static PickleValue load(byte[] bytes, PickleLimits limits, GlobalPolicy policy) {
        PersistentLoader storages = (pid, offset) -> StoragePersistentId.parse(pid, false, FILE, offset);
        return new PickleInterpreter(limits, policy, storages).load(PickleInput.of(bytes, FILE, "data.pkl"));
    }

    // ---- values (expected: CPython 3.11 pickle.loads of the same bytes) ----

    @Test
    void protocol2DictOfStringsNumbersAndContainers() {
        // pickle.dumps({'a': 1, 'b': [1.5, None, True], 'c': (-1, 2**40)}, protocol=2)
        byte[] b = HexFormat.of()
                .parseHex("80027d71002858010000006171014b0158010000006271025d710328473ff800000000"
                        + "00004e886558010000006371044affffffff8a06000000000001867105752e");
        PyDict d = (PyDict) load(b);
        assertThat(d.get("a")).isEqualTo(PyInt.of(1));
        PyList l = (PyList) d.get("b");
        assertThat(l.items())
                .containsExactly(new PyFloat(1.5), PickleValue.PyNone.INSTANCE, new PickleValue.PyBool(true));
        PyTuple t = (PyTuple) d.get("c");
        assertThat(t.items()).containsExactly(PyInt.of(-1), new PyInt(BigInteger.ONE.shiftLeft(40)));
    }

    @Test
    void protocol4FramesMemoizeAndFrozenset() {
        // pickle.dumps(['x', 'x', b'\x00\xff', frozenset()], protocol=4): FRAME, MEMOIZE, BINGET of the shared 'x'
        byte[] b = HexFormat.of().parseHex("80049513000000000000005d94288c0178946801430200ff94289194652e");
        PyList l = (PyList) load(b);
        assertThat(l.items()).hasSize(4);
        assertThat(l.items().subList(0, 3))
                .containsExactly(new PyStr("x"), new PyStr("x"), new PyBytes(new byte[] {0, (byte) 0xff}));
        assertThat(((PySet) l.items().get(3)).items()).isEmpty();
    }

    @Test
    void stringsAndBytesOfEveryWidth() {
        byte[] b = new PickleWriter()
                .proto(4)
                .mark()
                .str("binunicode")
                .shortStr("short")
                .op(0x8d)
                .le(3, 8)
                .raw("u8!".getBytes()) // BINUNICODE8
                .op('U')
                .op(2)
                .raw("py".getBytes()) // SHORT_BINSTRING
                .op('T')
                .le(2, 4)
                .raw("p2".getBytes()) // BINSTRING
                .op('C')
                .op(1)
                .raw((byte) 7) // SHORT_BINBYTES
                .op('B')
                .le(1, 4)
                .raw((byte) 8) // BINBYTES
                .op(0x8e)
                .le(1, 8)
                .raw((byte) 9) // BINBYTES8
                .op(0x96)
                .le(1, 8)
                .raw((byte) 10) // BYTEARRAY8
                .tuple()
                .stop()
                .toBytes();
        PyTuple t = (PyTuple) load(b);
        assertThat(t.items())
                .containsExactly(
                        new PyStr("binunicode"),
                        new PyStr("short"),
                        new PyStr("u8!"),
                        new PyStr("py"),
                        new PyStr("p2"),
                        new PyBytes(new byte[] {7}),
                        new PyBytes(new byte[] {8}),
                        new PyBytes(new byte[] {9}),
                        new PyBytes(new byte[] {10}));
    }

    @ParameterizedTest
    @CsvSource({
        "80024bff2e, 255",
        "80024affffffff2e, -1",
        "80024b002e, 0",
        "80024a80ffffff2e, -128",
        "80024a00ffffff2e, -256",
        "80028a090000000000000080002e, 9223372036854775808",
        "80028a090000000000000000c02e, -1180591620717411303424"
    })
    void integersAsCPythonPicklesThem(String hex, String expected) {
        // hex: pickle.dumps(value, protocol=2); LONG1 holds a two's-complement little-endian integer
        assertThat(load(HexFormat.of().parseHex(hex))).isEqualTo(new PyInt(new BigInteger(expected)));
    }

    @Test
    void bytesViaCodecsEncodeAsProtocol2WritesThem() {
        // pickle.dumps(b'\x01\xff', protocol=2): GLOBAL _codecs.encode, ('\x01\xff', 'latin1'), REDUCE
        byte[] b = HexFormat.of()
                .parseHex("8002635f636f646563730a656e636f64650a7100580300000001c3bf7101580600"
                        + "00006c6174696e3171028671035271042e");
        assertThat(load(b)).isEqualTo(new PyBytes(new byte[] {1, (byte) 0xff}));
    }

    @Test
    void setAndOrderedDictAndTorchSize() {
        byte[] b = new PickleWriter()
                .proto(2)
                .mark()
                .global("builtins", "set")
                .emptyList()
                .mark()
                .integer(3)
                .integer(4)
                .appends()
                .op(0x85)
                .reduce()
                .global("collections", "OrderedDict")
                .emptyList()
                .mark()
                .str("k")
                .integer(1)
                .tuple2()
                .appends()
                .op(0x85)
                .reduce()
                .global("torch", "Size")
                .ints(2, 3)
                .op(0x85)
                .reduce()
                .tuple()
                .stop()
                .toBytes();
        PyTuple t = (PyTuple) load(b);
        assertThat(((PySet) t.get(0)).items()).containsExactly(PyInt.of(3), PyInt.of(4));
        assertThat(((PyDict) t.get(1)).get("k")).isEqualTo(PyInt.of(1));
        assertThat(((PyDict) t.get(1)).pythonClass()).isEqualTo("collections.OrderedDict");
        assertThat(t.get(2)).isEqualTo(PyTuple.of(java.util.List.of(PyInt.of(2), PyInt.of(3))));
    }

    @Test
    void python2OrderedDictOfTwoElementListsIsADict() {
        // Python 2.7 Lib/collections.py OrderedDict.__reduce__: items = [[k, self[k]] for k in self];
        // return (self.__class__, (items,)). torch.load accepts it; so must heft.
        byte[] b = new PickleWriter()
                .proto(2)
                .global("collections", "OrderedDict")
                .emptyList()
                .mark()
                .emptyList()
                .mark()
                .str("a")
                .integer(1)
                .appends()
                .emptyList()
                .mark()
                .str("b")
                .integer(2)
                .appends()
                .appends()
                .op(0x85)
                .reduce()
                .stop()
                .toBytes();
        PyDict d = (PyDict) load(b);
        assertThat(d.get("a")).isEqualTo(PyInt.of(1));
        assertThat(d.get("b")).isEqualTo(PyInt.of(2));
        byte[] three = new PickleWriter()
                .proto(2)
                .global("collections", "OrderedDict")
                .emptyList()
                .mark()
                .emptyList()
                .mark()
                .str("a")
                .integer(1)
                .integer(2)
                .appends()
                .appends()
                .op(0x85)
                .reduce()
                .stop()
                .toBytes();
        assertThatThrownBy(() -> load(three))
                .isInstanceOf(dev.heft.core.error.CorruptModelException.class)
                .hasMessageContaining("two-element (key, value) sequences");
    }

    @Test
    void tensorIsAViewOverItsStorage() {
        byte[] b = new PickleWriter()
                .proto(2)
                .tensor("HalfStorage", "7", 60, 12, new long[] {3, 6}, new long[] {6, 1})
                .stop()
                .toBytes();
        TensorView t = (TensorView) load(b);
        assertThat(t.storage()).isEqualTo(new StorageRef("7", DType.F16, "cpu", 60, 0));
        assertThat(t.dtype()).isEqualTo(DType.F16);
        assertThat(t.storageOffset()).isEqualTo(12);
        assertThat(t.shape()).containsExactly(3, 6);
        assertThat(t.stride()).containsExactly(6, 1);
        assertThat(t.requiresGrad()).isFalse();
        assertThat(t.parameter()).isFalse();
    }

    @Test
    void parameterAndTensorV3WithExplicitDtype() {
        byte[] b = new PickleWriter()
                .proto(2)
                .mark()
                // _rebuild_parameter(tensor, True, OrderedDict())
                .global("torch._utils", "_rebuild_parameter")
                .mark()
                .tensor("FloatStorage", "0", 4, 0, new long[] {4}, new long[] {1})
                .bool(true)
                .global("collections", "OrderedDict")
                .emptyTuple()
                .reduce()
                .tuple()
                .reduce()
                // _rebuild_tensor_v3(untyped storage of 8 bytes, 0, (8,), (1,), False, OrderedDict(),
                // torch.float8_e4m3fn)
                .global("torch._utils", "_rebuild_tensor_v3")
                .mark()
                .mark()
                .str("storage")
                .global("torch", "UntypedStorage")
                .str("1")
                .str("cpu")
                .integer(8)
                .tuple()
                .binpersid()
                .integer(0)
                .ints(8)
                .ints(1)
                .bool(false)
                .global("collections", "OrderedDict")
                .emptyTuple()
                .reduce()
                .global("torch", "float8_e4m3fn")
                .tuple()
                .reduce()
                .tuple()
                .stop()
                .toBytes();
        PyTuple t = (PyTuple) load(b);
        TensorView p = (TensorView) t.get(0);
        assertThat(p.parameter()).isTrue();
        assertThat(p.requiresGrad()).isTrue();
        TensorView f8 = (TensorView) t.get(1);
        assertThat(f8.dtype()).isEqualTo(DType.F8_E4M3);
        assertThat(f8.storage().dtype()).isEqualTo(DType.U8);
    }

    // ---- hostile pickles: refused by name, nothing executed ----

    @ParameterizedTest
    @CsvSource({
        "os, system",
        "builtins, eval",
        "subprocess, Popen",
        "posix, system",
        "builtins, exec",
        "__builtin__, eval",
        "torch, load",
        "numpy.core.multiarray, _reconstruct",
        "__main__, Net",
        "__torch__, Net"
    })
    void disallowedGlobalsAreRefusedByName(String module, String name, @TempDir Path dir) {
        Path marker = dir.resolve("pwned");
        // the classic __reduce__ payload: GLOBAL, its arguments, REDUCE
        byte[] viaGlobal = new PickleWriter()
                .proto(2)
                .global(module, name)
                .str("touch " + marker)
                .op(0x85)
                .reduce()
                .stop()
                .toBytes();
        byte[] viaStackGlobal = new PickleWriter()
                .proto(4)
                .stackGlobal(module, name)
                .str("touch " + marker)
                .op(0x85)
                .reduce()
                .stop()
                .toBytes();
        String shown = module.equals("__builtin__") ? "builtins" : module;
        for (byte[] b : new byte[][] {viaGlobal, viaStackGlobal}) {
            assertThatThrownBy(() -> load(b))
                    .isInstanceOf(UnsupportedModelException.class)
                    .hasMessageContaining("global '" + shown + "." + name + "' is not allowed")
                    .satisfies(e ->
                            assertThat(((UnsupportedModelException) e).key()).isEqualTo("data.pkl"));
        }
        assertThat(Files.exists(marker)).isFalse();
    }

    @Test
    void torchScriptModeStillRefusesEverythingElse(@TempDir Path dir) {
        byte[] b = new PickleWriter()
                .proto(2)
                .global("os", "system")
                .str("touch " + dir.resolve("x"))
                .op(0x85)
                .reduce()
                .stop()
                .toBytes();
        assertThatThrownBy(() -> load(b, PickleLimits.DEFAULT, GlobalPolicy.TORCHSCRIPT))
                .isInstanceOf(UnsupportedModelException.class)
                .hasMessageContaining("global 'os.system'");
        assertThat(dir.resolve("x")).doesNotExist();
    }

    @Test
    void oldStyleInstAndObjAreRefused() {
        byte[] inst = new PickleWriter()
                .proto(2)
                .mark()
                .str("id")
                .op('i')
                .raw("os\nsystem\n".getBytes())
                .stop()
                .toBytes();
        assertThatThrownBy(() -> load(inst))
                .isInstanceOf(UnsupportedModelException.class)
                .hasMessageContaining("INST")
                .hasMessageContaining("'os.system'");
        byte[] obj = new PickleWriter()
                .proto(2)
                .mark()
                .global("collections", "OrderedDict")
                .op('o')
                .stop()
                .toBytes();
        assertThatThrownBy(() -> load(obj))
                .isInstanceOf(UnsupportedModelException.class)
                .hasMessageContaining("OBJ");
    }

    @Test
    void allowedNamesCannotBeMisused() {
        // torch.Tensor is allowed as a name (a type tag) but calling it is not
        byte[] callTensor = new PickleWriter()
                .proto(2)
                .global("torch", "Tensor")
                .emptyTuple()
                .reduce()
                .stop()
                .toBytes();
        assertThatThrownBy(() -> load(callTensor))
                .isInstanceOf(UnsupportedModelException.class)
                .hasMessageContaining("torch.Tensor");
        // REDUCE of a non-global (a string) is refused
        byte[] callString = new PickleWriter()
                .proto(2)
                .str("os.system")
                .emptyTuple()
                .reduce()
                .stop()
                .toBytes();
        assertThatThrownBy(() -> load(callString))
                .isInstanceOf(UnsupportedModelException.class)
                .hasMessageContaining("REDUCE");
        // BUILD on a string (setting attributes of arbitrary objects) is refused
        byte[] build =
                new PickleWriter().proto(2).str("x").emptyDict().build().stop().toBytes();
        assertThatThrownBy(() -> load(build))
                .isInstanceOf(UnsupportedModelException.class)
                .hasMessageContaining("BUILD");
        // NEWOBJ of an allowed function is refused
        byte[] newobj = new PickleWriter()
                .proto(2)
                .global("torch._utils", "_rebuild_tensor_v2")
                .emptyTuple()
                .newobj()
                .stop()
                .toBytes();
        assertThatThrownBy(() -> load(newobj))
                .isInstanceOf(UnsupportedModelException.class)
                .hasMessageContaining("NEWOBJ");
        // extension registry and out-of-band buffers
        assertThatThrownBy(() ->
                        load(new PickleWriter().proto(2).op(0x82).op(1).stop().toBytes()))
                .isInstanceOf(UnsupportedModelException.class)
                .hasMessageContaining("EXT1");
        assertThatThrownBy(
                        () -> load(new PickleWriter().proto(5).op(0x97).stop().toBytes()))
                .isInstanceOf(UnsupportedModelException.class)
                .hasMessageContaining("NEXT_BUFFER");
    }

    @Test
    void memoBombIsCapped() {
        PickleLimits small = new PickleLimits(1 << 20, 100, 1000, 1_000_000, 1 << 20, 64, 100, 1L << 30);
        PickleWriter w = new PickleWriter().proto(2).none();
        for (int i = 0; i < 2000; i++) {
            w.op('r').le(0x7fff0000L + i, 4); // LONG_BINPUT to ever new, far-apart slots
        }
        byte[] b = w.stop().toBytes();
        assertThatThrownBy(() -> load(b, small, GlobalPolicy.WEIGHTS_ONLY))
                .isInstanceOf(CorruptModelException.class)
                .hasMessageContaining("memo exceeds 1000 entries");
        assertThatThrownBy(() -> load(new PickleWriter().proto(2).get(5).stop().toBytes()))
                .isInstanceOf(CorruptModelException.class)
                .hasMessageContaining("memo slot 5 was never set");
    }

    @Test
    void stackAndObjectCountsAreCapped() {
        PickleLimits small = new PickleLimits(1000, 100, 1000, 5_000, 1 << 20, 64, 100, 1L << 30);
        PickleWriter deep = new PickleWriter().proto(2);
        for (int i = 0; i < 2000; i++) {
            deep.none();
        }
        assertThatThrownBy(() -> load(deep.stop().toBytes(), small, GlobalPolicy.WEIGHTS_ONLY))
                .isInstanceOf(CorruptModelException.class)
                .hasMessageContaining("stack exceeds 1000");
        // DUP/POP forever: each push is counted, so a long pickle cannot spin without bound
        PickleWriter churn = new PickleWriter().proto(2).none();
        for (int i = 0; i < 6000; i++) {
            churn.op('2').op('0');
        }
        assertThatThrownBy(() -> load(churn.stop().toBytes(), small, GlobalPolicy.WEIGHTS_ONLY))
                .isInstanceOf(CorruptModelException.class)
                .hasMessageContaining("more than 5000 values");
    }

    @Test
    void nestingIsCapped() {
        PickleWriter marks = new PickleWriter().proto(2);
        for (int i = 0; i < 5000; i++) {
            marks.mark();
        }
        assertThatThrownBy(() -> load(marks.stop().toBytes()))
                .isInstanceOf(CorruptModelException.class)
                .hasMessageContaining("nested MARKs");
        PickleWriter tuples = new PickleWriter().proto(2).none();
        for (int i = 0; i < 5000; i++) {
            tuples.op(0x85); // TUPLE1 around the previous tuple
        }
        assertThatThrownBy(() -> load(tuples.stop().toBytes()))
                .isInstanceOf(CorruptModelException.class)
                .hasMessageContaining("tuples nested more than 100");
    }

    @Test
    void selfReferencingListIsSafeButUnhashable() {
        // l = []; l.append(l)
        byte[] cyc = new PickleWriter()
                .proto(2)
                .emptyList()
                .put(0)
                .get(0)
                .append()
                .stop()
                .toBytes();
        PyList l = (PyList) load(cyc);
        assertThat(l.items()).hasSize(1).first().isSameAs(l);
        assertThat(l.toString()).isEqualTo("PyList[1 items]");
        byte[] asKey = new PickleWriter()
                .proto(2)
                .emptyDict()
                .emptyList()
                .integer(1)
                .setItem()
                .stop()
                .toBytes();
        assertThatThrownBy(() -> load(asKey))
                .isInstanceOf(CorruptModelException.class)
                .hasMessageContaining("unhashable");
    }

    @Test
    void hugeDeclaredLengthsFailBeforeAllocating() {
        byte[][] cases = {
            new PickleWriter().proto(2).op('X').le(0xfffffff0L, 4).stop().toBytes(),
            new PickleWriter().proto(4).op(0x8d).le(1L << 62, 8).stop().toBytes(),
            new PickleWriter().proto(4).op(0x8e).le(-1L, 8).stop().toBytes(),
            new PickleWriter().proto(3).op('B').le(0x7fffffffL, 4).stop().toBytes(),
            new PickleWriter().proto(2).op(0x8b).le(0x7fffffffL, 4).stop().toBytes(),
            new PickleWriter().proto(4).op(0x95).le(1L << 40, 8).none().stop().toBytes(),
            new PickleWriter().proto(2).op('T').le(-5, 4).stop().toBytes(),
        };
        for (byte[] b : cases) {
            assertThatThrownBy(() -> load(b))
                    .isInstanceOf(CorruptModelException.class)
                    .satisfies(e ->
                            assertThat(((CorruptModelException) e).offset()).isBetween(0L, (long) b.length));
        }
    }

    @Test
    void malformedStructureIsCorrupt() {
        assertThatThrownBy(() -> load(new byte[0]))
                .isInstanceOf(CorruptModelException.class)
                .hasMessageContaining("truncated");
        assertThatThrownBy(() -> load(new PickleWriter().proto(2).op(0xff).toBytes()))
                .isInstanceOf(CorruptModelException.class)
                .hasMessageContaining("unknown pickle opcode 0xff");
        assertThatThrownBy(
                        () -> load(new PickleWriter().proto(2).append().stop().toBytes()))
                .isInstanceOf(CorruptModelException.class)
                .hasMessageContaining("empty stack");
        assertThatThrownBy(() -> load(new PickleWriter().proto(2).tuple().stop().toBytes()))
                .isInstanceOf(CorruptModelException.class)
                .hasMessageContaining("without a MARK");
        assertThatThrownBy(() -> load(new PickleWriter().proto(2).stop().toBytes()))
                .isInstanceOf(CorruptModelException.class)
                .hasMessageContaining("STOP with an empty stack");
        assertThatThrownBy(() -> load(new PickleWriter().proto(9).none().stop().toBytes()))
                .isInstanceOf(UnsupportedModelException.class)
                .hasMessageContaining("protocol 9");
        // a tensor whose persistent id is not a storage
        assertThatThrownBy(() -> load(
                        new PickleWriter().proto(2).str("x").binpersid().stop().toBytes()))
                .isInstanceOf(CorruptModelException.class)
                .hasMessageContaining("persistent id");
    }
}
