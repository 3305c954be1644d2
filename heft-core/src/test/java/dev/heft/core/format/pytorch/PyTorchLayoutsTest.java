package dev.heft.core.format.pytorch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.heft.core.error.CorruptModelException;
import dev.heft.core.format.Formats;
import dev.heft.core.format.pickle.PickleValue.TensorView;
import dev.heft.core.tensor.DType;
import dev.heft.core.tensor.ModelFormat;
import dev.heft.core.tensor.Tensor;
import dev.heft.core.tensor.TensorInventory;
import dev.heft.core.tensor.TensorRole;
import dev.heft.core.testing.PickleWriter;
import dev.heft.core.testing.TestZipWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoint layouts built by test code after torch/serialization.py and Lightning's checkpoint connector: a legacy
 * file with a storage view, a Lightning checkpoint, parameters saved as {@code nn.Parameter}, BatchNorm buffers,
 * big-endian archives, and zips that are not checkpoints.
 */
class PyTorchLayoutsTest {
    @TempDir
    Path dir;

    private static final byte[] MAGIC_LE = {
        0x6c, (byte) 0xfc, (byte) 0x9c, 0x46, (byte) 0xf9, 0x20, 0x6a, (byte) 0xa8, 0x50, 0x19
    };

    /** {@code _legacy_save}'s persistent id: ('storage', type, root_key, location, numel, view_metadata). */
    private static PickleWriter legacyTensor(
            PickleWriter w,
            String key,
            long numel,
            String viewKey,
            long viewOffset,
            long viewSize,
            long[] size,
            long[] stride) {
        w.global("torch._utils", "_rebuild_tensor_v2").mark();
        w.mark()
                .str("storage")
                .global("torch", "FloatStorage")
                .str(key)
                .str("cpu")
                .integer(numel);
        if (viewKey == null) {
            w.none();
        } else {
            w.mark().str(viewKey).integer(viewOffset).integer(viewSize).tuple();
        }
        w.tuple()
                .binpersid()
                .integer(0)
                .ints(size)
                .ints(stride)
                .bool(false)
                .global("collections", "OrderedDict")
                .emptyTuple()
                .reduce();
        return w.tuple().reduce();
    }

    private Path legacyFile(String name, long declaredCount, int dataBytes) throws IOException {
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        f.writeBytes(
                new PickleWriter().proto(2).op(0x8a).op(10).raw(MAGIC_LE).stop().toBytes());
        f.writeBytes(new PickleWriter().proto(2).integer(1001).stop().toBytes());
        f.writeBytes(new PickleWriter()
                .proto(2)
                .emptyDict()
                .mark()
                .str("protocol_version")
                .integer(1001)
                .str("little_endian")
                .bool(true)
                .setItems()
                .stop()
                .toBytes());
        PickleWriter obj = new PickleWriter().proto(2).emptyDict().mark().str("w");
        legacyTensor(obj, "k1", 10, null, 0, 0, new long[] {10}, new long[] {1}).str("v");
        legacyTensor(obj, "k1", 10, "k1v", 4, 6, new long[] {2, 3}, new long[] {3, 1});
        f.writeBytes(obj.setItems().stop().toBytes());
        f.writeBytes(new PickleWriter()
                .proto(2)
                .emptyList()
                .str("k1")
                .append()
                .stop()
                .toBytes());
        f.writeBytes(new PickleWriter().le(declaredCount, 8).toBytes());
        f.writeBytes(new byte[dataBytes]);
        return Files.write(dir.resolve(name), f.toByteArray());
    }

    @Test
    void legacyStorageViewsPointIntoTheirRootStorage() throws IOException {
        Path p = legacyFile("legacy-view.bin", 10, 40);
        assertThat(Formats.require(p).format()).isEqualTo(ModelFormat.PYTORCH_LEGACY);
        TorchCheckpoint c = new PyTorchCheckpointReader().read(p);
        assertThat(c.storages()).containsOnlyKeys("k1");
        TorchStorage s = c.storages().get("k1");
        assertThat(s.offset() + s.bytes()).isEqualTo(Files.size(p));
        TorchTensor w = c.tensor("w").orElseThrow();
        TorchTensor v = c.tensor("v").orElseThrow();
        assertThat(w.fileOffset()).isEqualTo(s.offset());
        assertThat(v.fileOffset()).isEqualTo(s.offset() + 4 * 4);
        assertThat(v.viewBytes()).isEqualTo(24);
        assertThat(c.uniqueStorageBytes()).isEqualTo(40);
        assertThat(c.toInventory().tensorBytes()).isEqualTo(40);
        assertThat(c.toInventory().parameters()).isEqualTo(10);
    }

    @Test
    void disjointViewsOfOneStorageEachCountTheirElements() throws IOException {
        // q, k = qkv.chunk(2): two views over halves of one 2 x 4 storage
        byte[] pkl = new PickleWriter()
                .proto(2)
                .emptyDict()
                .mark()
                .str("q")
                .tensor("FloatStorage", "0", 8, 0, new long[] {4}, new long[] {1})
                .str("k")
                .tensor("FloatStorage", "0", 8, 4, new long[] {4}, new long[] {1})
                .setItems()
                .stop()
                .toBytes();
        TorchCheckpoint c = new PyTorchCheckpointReader().read(zip("chunks.pt", pkl, new byte[32]));
        assertThat(c.tensors()).extracting(TorchTensor::parameters).containsExactly(4L, 4L);
        assertThat(c.tensors()).extracting(TorchTensor::storedBytes).containsExactly(32L, 0L);
        assertThat(c.tensor("k").orElseThrow().fileOffset()
                        - c.tensor("q").orElseThrow().fileOffset())
                .isEqualTo(16);
    }

    @Test
    void legacyCountsMustMatchTheDeclaredStorage() throws IOException {
        assertThatThrownBy(() -> new PyTorchCheckpointReader().read(legacyFile("lie.bin", 9, 40)))
                .isInstanceOf(CorruptModelException.class)
                .hasMessageContaining("holds 9 elements but the pickle " + "declared 10");
        assertThatThrownBy(() -> new PyTorchCheckpointReader().read(legacyFile("huge.bin", 1L << 60, 40)))
                .isInstanceOf(CorruptModelException.class)
                .hasMessageContaining("does not fit");
    }

    private Path zip(String name, byte[] pkl, byte[]... storages) throws IOException {
        TestZipWriter z = new TestZipWriter().stored("ckpt/data.pkl", pkl);
        for (int i = 0; i < storages.length; i++) {
            z.stored("ckpt/data/" + i, storages[i]);
        }
        return Files.write(
                dir.resolve(name),
                z.stored("ckpt/byteorder", "little".getBytes()).finish());
    }

    @Test
    void lightningCheckpointSplitsWeightsOptimizerAndTheRest() throws IOException {
        // Lightning: epoch, global_step, state_dict, optimizer_states (a list), lr_schedulers, callbacks (EMA weights)
        byte[] pkl = new PickleWriter()
                .proto(2)
                .emptyDict()
                .mark()
                .str("epoch")
                .integer(3)
                .str("global_step")
                .integer(1200)
                .str("pytorch-lightning_version")
                .str("2.5.0")
                .str("state_dict")
                .global("collections", "OrderedDict")
                .emptyTuple()
                .reduce()
                .mark()
                .str("net.weight")
                .tensor("FloatStorage", "0", 6, 0, new long[] {2, 3}, new long[] {3, 1})
                .str("bn.running_mean")
                .tensor("FloatStorage", "1", 2, 0, new long[] {2}, new long[] {1})
                .str("bn.num_batches_tracked")
                .tensor("LongStorage", "2", 1, 0, new long[] {}, new long[] {})
                .setItems()
                .str("optimizer_states")
                .emptyList()
                .emptyDict()
                .str("state")
                .emptyDict()
                .integer(0)
                .emptyDict()
                .str("exp_avg")
                .tensor("FloatStorage", "3", 6, 0, new long[] {2, 3}, new long[] {3, 1})
                .setItem()
                .setItem()
                .setItem()
                .append()
                .str("callbacks")
                .emptyDict()
                .str("EMA")
                .emptyDict()
                .str("net.weight")
                .tensor("FloatStorage", "4", 6, 0, new long[] {2, 3}, new long[] {3, 1})
                .setItem()
                .setItem()
                .setItems()
                .stop()
                .toBytes();
        Path p = zip("lightning.ckpt", pkl, new byte[24], new byte[8], new byte[8], new byte[24], new byte[24]);
        TensorInventory inv = Formats.require(p).read(p);
        assertThat(inv.tensors())
                .extracting(t -> t.name() + ":" + t.role())
                .containsExactly(
                        "net.weight:WEIGHT",
                        "bn.running_mean:BUFFER",
                        "bn.num_batches_tracked:BUFFER",
                        "optimizer_states.0.state.0.exp_avg:OPTIMIZER_STATE",
                        "callbacks.EMA.net.weight:BUFFER");
        assertThat(inv.parameters()).isEqualTo(6);
        assertThat(inv.tensorBytes()).isEqualTo(24 + 8 + 8 + 24 + 24);
        assertThat(inv.metadata())
                .containsEntry("pytorch.model_key", "state_dict")
                .containsEntry("pytorch.entry.epoch", 3L)
                .containsEntry("pytorch.entry.global_step", 1200L)
                .containsEntry("pytorch.entry.pytorch-lightning_version", "2.5.0");
        assertThat(inv.notes())
                .anyMatch(n -> n.contains("model weights under 'state_dict' (3 tensors)")
                        && n.contains("optimizer state (1 tensors, 24 bytes)")
                        && n.contains("1 other tensors"));
    }

    @Test
    void parametersSavedAsParameterObjects() throws IOException {
        // torch.save({"p": nn.Parameter(t)}): _rebuild_parameter, and the subclass path _rebuild_from_type_v2
        byte[] pkl = new PickleWriter()
                .proto(2)
                .emptyDict()
                .mark()
                .str("p")
                .global("torch._utils", "_rebuild_parameter")
                .mark()
                .tensor("BFloat16Storage", "0", 4, 0, new long[] {4}, new long[] {1})
                .bool(true)
                .global("collections", "OrderedDict")
                .emptyTuple()
                .reduce()
                .tuple()
                .reduce()
                .str("q")
                .global("torch._tensor", "_rebuild_from_type_v2")
                .mark()
                .global("torch._utils", "_rebuild_tensor_v2")
                .global("torch.nn.parameter", "Parameter")
                .mark()
                .mark()
                .str("storage")
                .global("torch", "HalfStorage")
                .str("1")
                .str("cpu")
                .integer(2)
                .tuple()
                .binpersid()
                .integer(0)
                .ints(2)
                .ints(1)
                .bool(true)
                .global("collections", "OrderedDict")
                .emptyTuple()
                .reduce()
                .tuple()
                .emptyDict()
                .tuple()
                .reduce()
                .setItems()
                .stop()
                .toBytes();
        TorchCheckpoint c = new PyTorchCheckpointReader().read(zip("param.pt", pkl, new byte[8], new byte[4]));
        TensorView p = c.tensor("p").orElseThrow().view();
        TensorView q = c.tensor("q").orElseThrow().view();
        assertThat(p.parameter()).isTrue();
        assertThat(p.requiresGrad()).isTrue();
        assertThat(p.dtype()).isEqualTo(DType.BF16);
        assertThat(q.parameter()).isTrue();
        assertThat(q.dtype()).isEqualTo(DType.F16);
        assertThat(c.toInventory().parameters()).isEqualTo(6);
    }

    @Test
    void bigEndianArchivesAreNoted() throws IOException {
        byte[] pkl = new PickleWriter()
                .proto(2)
                .emptyDict()
                .str("w")
                .tensor("FloatStorage", "0", 2, 0, new long[] {2}, new long[] {1})
                .setItem()
                .stop()
                .toBytes();
        byte[] z = new TestZipWriter()
                .stored("be/data.pkl", pkl)
                .stored("be/data/0", new byte[8])
                .stored("be/byteorder", "big".getBytes())
                .finish();
        TensorInventory inv =
                Formats.require(Files.write(dir.resolve("be.pt"), z)).read(dir.resolve("be.pt"));
        assertThat(inv.metadata()).containsEntry("pytorch.byteorder", "big");
        assertThat(inv.notes()).contains("tensor data was written big-endian");
        assertThat(inv.tensors()).extracting(Tensor::name).containsExactly("w");
    }

    @Test
    void zipsThatAreNotCheckpointsAreNotClaimed() throws IOException {
        byte[] keras = new TestZipWriter()
                .stored("metadata.json", "{}".getBytes())
                .stored("config.json", "{}".getBytes())
                .stored("model.weights.h5", new byte[8])
                .finish();
        Path p = Files.write(dir.resolve("model.keras"), keras);
        assertThat(new PyTorchZipReader().recognises(Formats.head(p), p)).isFalse();
        assertThat(new TorchScriptReader().recognises(Formats.head(p), p)).isFalse();
        assertThat(new PyTorchLegacyReader().recognises(Formats.head(p), p)).isFalse();
    }

    @Test
    void buffersAndOptimizerStateCarryNoParameters() throws IOException {
        byte[] pkl = new PickleWriter()
                .proto(2)
                .emptyDict()
                .mark()
                .str("ids")
                .tensor("LongStorage", "0", 4, 0, new long[] {1, 4}, new long[] {4, 1})
                .str("mask")
                .tensor("BoolStorage", "1", 4, 0, new long[] {4}, new long[] {1})
                .setItems()
                .stop()
                .toBytes();
        TensorInventory inv = new PyTorchZipReader().read(zip("buffers.pt", pkl, new byte[32], new byte[4]));
        assertThat(inv.tensors()).allSatisfy(t -> assertThat(t.role()).isEqualTo(TensorRole.BUFFER));
        assertThat(inv.parameters()).isZero();
        assertThat(inv.tensorBytes()).isEqualTo(36);
    }
}
