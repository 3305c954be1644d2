package dev.heft.core.format.pytorch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.heft.core.error.CorruptModelException;
import dev.heft.core.error.ModelFormatException;
import dev.heft.core.error.UnsupportedModelException;
import dev.heft.core.format.Formats;
import dev.heft.core.tensor.ModelFormat;
import dev.heft.core.tensor.TensorInventory;
import dev.heft.core.tensor.TensorRole;
import dev.heft.core.testing.PickleWriter;
import dev.heft.core.testing.SharedFixtures;
import dev.heft.core.testing.TestZipWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole files built by test code (a torch-shaped zip around a hand-written data.pkl) that a hostile or broken
 * checkpoint could be: each is refused with the right typed error, and nothing is executed.
 */
class PyTorchHostileTest {
    @TempDir
    Path dir;

    private Path torchZip(String name, byte[] dataPkl, byte[]... storages) throws IOException {
        TestZipWriter z = new TestZipWriter().stored("archive/data.pkl", dataPkl);
        for (int i = 0; i < storages.length; i++) {
            z.stored("archive/data/" + i, storages[i]);
        }
        z.stored("archive/byteorder", "little".getBytes()).stored("archive/version", "3\n".getBytes());
        return Files.write(dir.resolve(name), z.finish());
    }

    private static TorchCheckpoint read(Path p) throws IOException {
        return new PyTorchCheckpointReader().read(p);
    }

    @Test
    void reducePayloadInDataPklIsRefusedAndNothingRuns() throws IOException {
        Path marker = dir.resolve("marker");
        byte[] pkl = new PickleWriter()
                .proto(2)
                .emptyDict()
                .str("w")
                .global("posix", "system")
                .str("touch " + marker)
                .op(0x85)
                .reduce()
                .setItem()
                .stop()
                .toBytes();
        Path p = torchZip("evil.pt", pkl);
        assertThat(Formats.require(p).format()).isEqualTo(ModelFormat.PYTORCH);
        assertThatThrownBy(() -> Formats.require(p).read(p))
                .isInstanceOf(UnsupportedModelException.class)
                .hasMessageContaining("global 'posix.system' is not allowed")
                .hasMessageContaining("archive/data.pkl");
        assertThat(marker).doesNotExist();
    }

    @Test
    void wholePickledModulesAreRefused() throws IOException {
        // torch.save(model) pickles the model's class: GLOBAL '__main__ Net', NEWOBJ, BUILD
        byte[] pkl = new PickleWriter()
                .proto(2)
                .global("__main__", "Net")
                .emptyTuple()
                .newobj()
                .emptyDict()
                .build()
                .stop()
                .toBytes();
        assertThatThrownBy(() -> read(torchZip("model.pt", pkl)))
                .isInstanceOf(UnsupportedModelException.class)
                .hasMessageContaining("global '__main__.Net' is not allowed");
    }

    @Test
    void compressedStoragesAreRefusedNotInflated() throws IOException {
        byte[] pkl = new PickleWriter()
                .proto(2)
                .emptyDict()
                .str("w")
                .tensor("FloatStorage", "0", 4, 0, new long[] {4}, new long[] {1})
                .setItem()
                .stop()
                .toBytes();
        byte[] zip = new TestZipWriter()
                .stored("archive/data.pkl", pkl)
                .deflated("archive/data/0", new byte[16])
                .finish();
        Path p = Files.write(dir.resolve("deflated.pt"), zip);
        assertThatThrownBy(() -> read(p))
                .isInstanceOf(UnsupportedModelException.class)
                .hasMessageContaining("storage is compressed")
                .hasMessageContaining("archive/data/0");
    }

    @Test
    void deflatedDataPklIsInflatedWithinBounds() throws IOException {
        byte[] pkl = new PickleWriter()
                .proto(2)
                .emptyDict()
                .str("w")
                .tensor("FloatStorage", "0", 4, 0, new long[] {2, 2}, new long[] {2, 1})
                .setItem()
                .stop()
                .toBytes();
        byte[] zip = new TestZipWriter()
                .deflated("archive/data.pkl", pkl)
                .stored("archive/data/0", new byte[16])
                .finish();
        TorchCheckpoint c = read(Files.write(dir.resolve("deflated-pkl.pt"), zip));
        assertThat(c.tensor("w").orElseThrow().view().shape()).containsExactly(2, 2);
    }

    @Test
    void deflatedPickleBombsAreRefusedBeforeInflating() throws IOException {
        byte[] pkl = new PickleWriter().proto(2).emptyDict().stop().toBytes();
        byte[] zip = new TestZipWriter().deflated("archive/data.pkl", pkl).finish();
        // central directory (APPNOTE 4.3.12): uncompressed size at offset 24 of the header; claim 1 GiB
        int cd = indexOf(zip, new byte[] {'P', 'K', 1, 2});
        zip[cd + 24] = 0;
        zip[cd + 25] = 0;
        zip[cd + 26] = 0;
        zip[cd + 27] = 0x40;
        Path p = Files.write(dir.resolve("bomb.pt"), zip);
        assertThatThrownBy(() -> read(p))
                .isInstanceOf(UnsupportedModelException.class)
                .hasMessageContaining("larger than heft's limit");
    }

    @Test
    void persistentIdsOtherThanStoragesAreRefused() throws IOException {
        // legacy torch.save(model) wrote ('module', class, source file, source) persistent ids
        byte[] pkl = new PickleWriter()
                .proto(2)
                .mark()
                .str("module")
                .str("Net")
                .str("net.py")
                .str("import os")
                .tuple()
                .binpersid()
                .stop()
                .toBytes();
        assertThatThrownBy(() -> read(torchZip("module.pt", pkl)))
                .isInstanceOf(UnsupportedModelException.class)
                .hasMessageContaining("persistent id 'module'");
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }

    @Test
    void viewsOutsideTheirStorageAreCorrupt() throws IOException {
        // 3 x 6 floats starting at element 50 of a 60-element storage would read 68 elements
        byte[] pkl = new PickleWriter()
                .proto(2)
                .emptyDict()
                .str("w")
                .tensor("FloatStorage", "0", 60, 50, new long[] {3, 6}, new long[] {6, 1})
                .setItem()
                .stop()
                .toBytes();
        assertThatThrownBy(() -> read(torchZip("oob.pt", pkl, new byte[240])))
                .isInstanceOf(CorruptModelException.class)
                .hasMessageContaining("reaches byte 272")
                .satisfies(e -> assertThat(((CorruptModelException) e).key()).isEqualTo("w"));
        // a huge stride overflows 64 bits
        byte[] pkl2 = new PickleWriter()
                .proto(2)
                .emptyDict()
                .str("w")
                .tensor("FloatStorage", "0", 60, 0, new long[] {3, 3}, new long[] {Long.MAX_VALUE / 2, 1})
                .setItem()
                .stop()
                .toBytes();
        assertThatThrownBy(() -> read(torchZip("overflow.pt", pkl2, new byte[240])))
                .isInstanceOf(CorruptModelException.class);
    }

    @Test
    void storageSizesMustMatchTheirEntries() throws IOException {
        byte[] pkl = new PickleWriter()
                .proto(2)
                .emptyDict()
                .str("w")
                .tensor("FloatStorage", "0", 1_000_000_000, 0, new long[] {4}, new long[] {1})
                .setItem()
                .stop()
                .toBytes();
        assertThatThrownBy(() -> read(torchZip("lie.pt", pkl, new byte[16])))
                .isInstanceOf(CorruptModelException.class)
                .hasMessageContaining("entry holds 16");
        byte[] missing = new PickleWriter()
                .proto(2)
                .emptyDict()
                .str("w")
                .tensor("FloatStorage", "7", 4, 0, new long[] {4}, new long[] {1})
                .setItem()
                .stop()
                .toBytes();
        assertThatThrownBy(() -> read(torchZip("missing.pt", missing, new byte[16])))
                .isInstanceOf(CorruptModelException.class)
                .hasMessageContaining("no entry archive/data/7");
    }

    @Test
    void traversalEntriesInACheckpointAreRefused() throws IOException {
        byte[] pkl = new PickleWriter().proto(2).emptyDict().stop().toBytes();
        byte[] zip = new TestZipWriter()
                .stored("archive/data.pkl", pkl)
                .stored("../../.bashrc", "evil".getBytes())
                .finish();
        Path p = Files.write(dir.resolve("traversal.pt"), zip);
        // data.pkl comes first, so the file reaches the PyTorch reader, which names the offending entry
        assertThat(Formats.require(p).format()).isEqualTo(ModelFormat.PYTORCH);
        assertThatThrownBy(() -> Formats.require(p).read(p))
                .isInstanceOf(CorruptModelException.class)
                .hasMessageContaining("'..'")
                .hasMessageContaining("../../.bashrc");
        assertThat(dir.getParent().getParent().resolve(".bashrc"))
                .satisfiesAnyOf(
                        x -> assertThat(x).doesNotExist(),
                        x -> assertThat(Files.readString(x)).isNotEqualTo("evil"));
    }

    @Test
    void deeplyNestedAndSelfReferencingObjectsAreBounded() throws IOException {
        // 50,000 lists each inside the next, then a tensor at the bottom would be a 50,000-deep path
        PickleWriter deep = new PickleWriter().proto(2).emptyDict().str("x");
        for (int i = 0; i < 50_000; i++) {
            deep.emptyList();
        }
        for (int i = 0; i < 49_999; i++) {
            deep.append();
        }
        byte[] pkl = deep.setItem().stop().toBytes();
        assertThatThrownBy(() -> read(torchZip("deep.pt", pkl)))
                .isInstanceOf(CorruptModelException.class)
                .hasMessageContaining("nested more than");
        // {"model": l} with l = [l, tensor]: the walk visits l once
        byte[] cyc = new PickleWriter()
                .proto(2)
                .emptyDict()
                .str("model")
                .emptyList()
                .put(0)
                .get(0)
                .append()
                .tensor("FloatStorage", "0", 4, 0, new long[] {4}, new long[] {1})
                .append()
                .setItem()
                .stop()
                .toBytes();
        TorchCheckpoint c = read(torchZip("cycle.pt", cyc, new byte[16]));
        assertThat(c.tensors()).extracting(TorchTensor::name).containsExactly("1");
    }

    @Test
    void tiedWeightsAreCountedOnce() throws IOException {
        // {"embed.weight": w, "head.weight": w}: torch.save writes one storage and two identical views
        byte[] pkl = new PickleWriter()
                .proto(2)
                .emptyDict()
                .mark()
                .str("embed.weight")
                .tensor("FloatStorage", "0", 12, 0, new long[] {3, 4}, new long[] {4, 1})
                .str("head.weight")
                .tensor("FloatStorage", "0", 12, 0, new long[] {3, 4}, new long[] {4, 1})
                .setItems()
                .stop()
                .toBytes();
        TorchCheckpoint c = read(torchZip("tied.pt", pkl, new byte[48]));
        TensorInventory inv = c.toInventory();
        assertThat(inv.parameters()).isEqualTo(12);
        assertThat(inv.tensorBytes()).isEqualTo(48);
        assertThat(c.tensor("head.weight").orElseThrow().aliasOf()).isEqualTo("embed.weight");
        assertThat(inv.notes()).anyMatch(n -> n.contains("tied"));
    }

    @Test
    void torchScriptClassesAreOpaqueRecords() throws IOException {
        // what torch.jit.save writes (torch/csrc/jit/serialization/pickler.cpp): the module as GLOBAL '__torch__...'
        // + EMPTY_TUPLE + NEWOBJ, its attribute dict, BUILD; a constants.pkl tuple of tensors in constants/
        byte[] data = new PickleWriter()
                .proto(2)
                .global("__torch__", "Net")
                .emptyTuple()
                .newobj()
                .emptyDict()
                .mark()
                .str("training")
                .bool(true)
                .str("fc")
                .global("__torch__.torch.nn.modules.linear", "Linear")
                .emptyTuple()
                .newobj()
                .emptyDict()
                .mark()
                .str("weight")
                .tensor("FloatStorage", "0", 6, 0, new long[] {2, 3}, new long[] {3, 1})
                .str("bias")
                .tensor("FloatStorage", "1", 2, 0, new long[] {2}, new long[] {1})
                .str("training")
                .bool(true)
                .setItems()
                .build()
                .setItems()
                .build()
                .stop()
                .toBytes();
        byte[] constants = new PickleWriter()
                .proto(2)
                .mark()
                .tensor("LongStorage", "0", 3, 0, new long[] {3}, new long[] {1})
                .tuple()
                .stop()
                .toBytes();
        byte[] zip = new TestZipWriter()
                .stored("net/data.pkl", data)
                .stored("net/code/__torch__.py", "def forward(self, x):\n  return self.fc(x)\n".getBytes())
                .stored("net/data/0", new byte[24])
                .stored("net/data/1", new byte[8])
                .stored("net/constants.pkl", constants)
                .stored("net/constants/0", new byte[24])
                .stored("net/version", "3\n".getBytes())
                .finish();
        Path p = Files.write(dir.resolve("net.pt"), zip);
        assertThat(Formats.require(p).format()).isEqualTo(ModelFormat.TORCHSCRIPT);
        TensorInventory inv = Formats.require(p).read(p);
        assertThat(inv.format()).isEqualTo(ModelFormat.TORCHSCRIPT);
        assertThat(inv.tensors())
                .extracting(t -> t.name() + ":" + t.role())
                .containsExactly("fc.weight:WEIGHT", "fc.bias:WEIGHT", "constants.0:CONSTANT");
        assertThat(inv.parameters()).isEqualTo(8);
        assertThat(inv.tensorBytes()).isEqualTo(24 + 8 + 24);
        // the same __torch__ class in a plain checkpoint (no code/) is refused
        Path plain = torchZip("plain.pt", data, new byte[24], new byte[8]);
        assertThatThrownBy(() -> read(plain))
                .isInstanceOf(UnsupportedModelException.class)
                .hasMessageContaining("global '__torch__.Net' is not allowed");
    }

    @Test
    void legacyFilesWithBadStorageDataAreCorrupt() throws IOException {
        byte[] full = Files.readAllBytes(SharedFixtures.fixture("hf/pytorch/tiny-llama-legacy.bin"));
        // cut inside the last storage's data
        Path cut = Files.write(dir.resolve("cut.bin"), Arrays.copyOf(full, full.length - 10));
        assertThatThrownBy(() -> read(cut))
                .isInstanceOf(CorruptModelException.class)
                .hasMessageContaining("does not fit the 8182 bytes left in the file");
    }

    @Test
    void everyTruncationOfRealFilesIsATypedError() throws IOException {
        for (String name : new String[] {"shared-storage.pt", "tiny-llama-legacy.bin"}) {
            byte[] full = Files.readAllBytes(SharedFixtures.fixture("hf/pytorch/" + name));
            for (int n = 0; n < full.length; n += cutStep(n, full.length)) {
                Path p = Files.write(dir.resolve("t-" + name), Arrays.copyOf(full, n));
                try {
                    read(p);
                    throw new AssertionError(name + " truncated to " + n + " bytes was read without error");
                } catch (ModelFormatException expected) {
                    assertThat(expected.file()).isEqualTo(p);
                }
            }
        }
    }

    /** Every length of a small zip and of the legacy file's first pickles; sparser through the rest. */
    private static int cutStep(int n, int length) {
        if (length < 4096 || n < 256) {
            return 1;
        }
        if (n < 4200) {
            return 13; // through the legacy object pickle
        }
        return Math.max(1, length / 50); // ~50 cuts through the storage data
    }

    @Test
    void randomByteFlipsGiveTypedErrorsOrAValidRead() throws IOException {
        byte[] full = Files.readAllBytes(SharedFixtures.fixture("hf/pytorch/shared-storage.pt"));
        Random rnd = new Random(20261128);
        for (int i = 0; i < 300; i++) {
            byte[] m = full.clone();
            int flips = 1 + rnd.nextInt(4);
            for (int f = 0; f < flips; f++) {
                int at = rnd.nextInt(700); // the zip headers and data.pkl live in the first 700 bytes
                m[at] = (byte) rnd.nextInt(256);
            }
            Path p = Files.write(dir.resolve("flip.pt"), m);
            try {
                TorchCheckpoint c = read(p);
                assertThat(c.uniqueStorageBytes()).isLessThanOrEqualTo(m.length);
            } catch (ModelFormatException expected) {
                assertThat(expected.file()).isEqualTo(p);
            }
        }
    }

    @Test
    void optimizerOnlyFilesHaveNoParameters() throws IOException {
        byte[] pkl = new PickleWriter()
                .proto(2)
                .emptyDict()
                .str("optimizer")
                .emptyDict()
                .str("state")
                .emptyDict()
                .integer(0)
                .emptyDict()
                .str("exp_avg")
                .tensor("FloatStorage", "0", 4, 0, new long[] {4}, new long[] {1})
                .setItem()
                .setItem()
                .setItem()
                .setItem()
                .stop()
                .toBytes();
        TensorInventory inv = read(torchZip("opt.pt", pkl, new byte[16])).toInventory();
        assertThat(inv.tensors()).singleElement().satisfies(t -> {
            assertThat(t.name()).isEqualTo("optimizer.state.0.exp_avg");
            assertThat(t.role()).isEqualTo(TensorRole.OPTIMIZER_STATE);
        });
        assertThat(inv.parameters()).isZero();
    }
}
