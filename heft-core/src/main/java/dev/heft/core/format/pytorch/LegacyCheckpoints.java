package dev.heft.core.format.pytorch;

import dev.heft.core.error.CorruptModelException;
import dev.heft.core.error.UnsupportedModelException;
import dev.heft.core.format.io.MappedFile;
import dev.heft.core.format.io.SegmentReader;
import dev.heft.core.format.pickle.GlobalPolicy;
import dev.heft.core.format.pickle.PickleInput;
import dev.heft.core.format.pickle.PickleInterpreter;
import dev.heft.core.format.pickle.PickleLimits;
import dev.heft.core.format.pickle.PickleValue;
import dev.heft.core.format.pickle.PickleValue.PyBool;
import dev.heft.core.format.pickle.PickleValue.PyDict;
import dev.heft.core.format.pickle.PickleValue.PyInt;
import dev.heft.core.format.pickle.PickleValue.PyList;
import dev.heft.core.format.pickle.PickleValue.PyStr;
import dev.heft.core.format.pickle.PickleValue.StorageRef;
import dev.heft.core.format.pickle.StoragePersistentId;
import dev.heft.core.tensor.DType;
import dev.heft.core.tensor.ModelFormat;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pre-1.6 format ({@code _use_new_zipfile_serialization=False}), after torch/serialization.py
 * {@code _legacy_save}/{@code _legacy_load}: five pickles back to back (the magic number
 * {@code 0x1950a86a20f9469cfc6c}, the protocol version 1001, a sys_info dict, the object, the list of storage keys),
 * then for each key in that list's order the storage's data: an 8-byte little-endian element count followed by that
 * many elements (torch/csrc/serialization.cpp {@code THPStorage_writeFileRaw}: {@code int64_t numel} then the bytes).
 * Storage offsets are computed by skipping, never by reading the data.
 */
final class LegacyCheckpoints {
    static final BigInteger MAGIC = new BigInteger("1950a86a20f9469cfc6c", 16);
    static final int PROTOCOL_VERSION = 1001;
    /** The magic as pickle protocol 2 writes it: LONG1 (0x8a), length 10, little-endian bytes. */
    private static final byte[] MAGIC_LONG1 = {
        (byte) 0x8a, 0x0a, 0x6c, (byte) 0xfc, (byte) 0x9c, 0x46, (byte) 0xf9, 0x20, 0x6a, (byte) 0xa8, 0x50, 0x19
    };

    private LegacyCheckpoints() {}

    /** A PROTO opcode, then the magic number as LONG1 (torch writes protocol 2). */
    static boolean recognises(byte[] head) {
        if (head.length < 2 + MAGIC_LONG1.length || (head[0] & 0xff) != 0x80) {
            return false;
        }
        for (int i = 0; i < MAGIC_LONG1.length; i++) {
            if (head[2 + i] != MAGIC_LONG1[i]) {
                return false;
            }
        }
        return true;
    }

    static TorchCheckpoint read(Path path, PickleLimits limits) throws IOException {
        try (MappedFile mf = MappedFile.open(path)) {
            PickleInput in = new PickleInput(mf.segment(), 0, path, "legacy checkpoint");
            PickleValue magic = new PickleInterpreter(limits, GlobalPolicy.WEIGHTS_ONLY, null).load(in);
            if (!(magic instanceof PyInt m) || !m.value().equals(MAGIC)) {
                throw new CorruptModelException(
                        path, 0L, "expected the torch magic number 0x1950a86a20f9469cfc6c, got " + magic.describe());
            }
            long at = in.fileOffset();
            PickleValue protocol = new PickleInterpreter(limits, GlobalPolicy.WEIGHTS_ONLY, null).load(in);
            if (!(protocol instanceof PyInt p)
                    || p.value().intValue() != PROTOCOL_VERSION
                    || p.value().bitLength() > 31) {
                throw new UnsupportedModelException(
                        path,
                        at,
                        "legacy protocol version " + protocol.describe() + " (heft reads " + PROTOCOL_VERSION + ")");
            }
            at = in.fileOffset();
            PickleValue sysInfo = new PickleInterpreter(limits, GlobalPolicy.WEIGHTS_ONLY, null).load(in);
            Map<String, Object> archive = new LinkedHashMap<>();
            archive.put("protocol_version", (long) PROTOCOL_VERSION);
            List<String> notes = new ArrayList<>();
            if (sysInfo instanceof PyDict d && d.get("little_endian") instanceof PyBool le) {
                archive.put("byteorder", le.value() ? "little" : "big");
                if (!le.value()) {
                    notes.add("tensor data was written big-endian");
                }
            } else {
                throw new CorruptModelException(
                        path, at, "sys_info must be a dict with 'little_endian', got " + sysInfo.describe());
            }
            // the object pickle: storages are declared by persistent ids; their data comes after the key list
            Map<String, StorageRef> declared = new LinkedHashMap<>();
            PickleValue root = new PickleInterpreter(limits, GlobalPolicy.WEIGHTS_ONLY, (pid, offset) -> {
                        StorageRef ref = StoragePersistentId.parse(pid, true, path, offset);
                        StorageRef root0 = new StorageRef(
                                ref.key(),
                                ref.dtype(),
                                ref.location(),
                                ref.elementBase() == 0 ? ref.numel() : ref.elementBase() + ref.numel(),
                                0);
                        StorageRef prior = declared.putIfAbsent(ref.key(), root0);
                        if (prior != null && prior.dtype() != ref.dtype()) {
                            throw new CorruptModelException(
                                    path,
                                    offset,
                                    ref.key(),
                                    "storage declared as both " + prior.dtype() + " and " + ref.dtype());
                        }
                        return ref;
                    })
                    .load(in);
            at = in.fileOffset();
            PickleValue keys = new PickleInterpreter(limits, GlobalPolicy.WEIGHTS_ONLY, null).load(in);
            if (!(keys instanceof PyList list)) {
                throw new CorruptModelException(path, at, "storage keys must be a list, got " + keys.describe());
            }
            Map<String, TorchStorage> storages = locate(mf, path, in.fileOffset(), list, declared);
            CheckpointWalker.Result walk = CheckpointWalker.walk(root, CheckpointSection.MODEL, "", path);
            return CheckpointAssembler.assemble(
                    ModelFormat.PYTORCH_LEGACY, path, walk.tensors(), storages, walk, archive, notes);
        }
    }

    /** Walks the storage data region: per key, int64 numel then numel elements, each bounded by the file size. */
    private static Map<String, TorchStorage> locate(
            MappedFile mf, Path path, long start, PyList keys, Map<String, StorageRef> declared) {
        SegmentReader r = mf.reader();
        r.seek(start);
        Map<String, TorchStorage> out = new LinkedHashMap<>();
        for (PickleValue k : keys.items()) {
            if (!(k instanceof PyStr ks)) {
                throw new CorruptModelException(path, start, "storage key must be a string, got " + k.describe());
            }
            String key = ks.value();
            StorageRef ref = declared.get(key);
            if (ref == null) {
                throw new CorruptModelException(
                        path, r.position(), key, "storage key listed but never declared by " + "the object pickle");
            }
            if (out.containsKey(key)) {
                throw new CorruptModelException(path, r.position(), key, "storage key listed twice");
            }
            long countAt = r.position();
            long numel = r.i64("storage " + key + " element count");
            DType dtype = ref.dtype();
            if (numel < 0 || numel > r.remaining() / dtype.blockBytes()) {
                throw new CorruptModelException(
                        path,
                        countAt,
                        key,
                        "storage of " + numel + " x " + dtype + " does not fit the " + r.remaining()
                                + " bytes left in the file");
            }
            if (numel != ref.numel()) {
                throw new CorruptModelException(
                        path,
                        countAt,
                        key,
                        "storage holds " + numel + " elements but the " + "pickle declared " + ref.numel());
            }
            long bytes = dtype.bytesFor(numel);
            out.put(key, new TorchStorage(key, dtype, numel, r.position(), bytes));
            r.skip(bytes, "storage " + key + " data");
        }
        for (String key : declared.keySet()) {
            if (!out.containsKey(key)) {
                throw new CorruptModelException(path, r.position(), key, "storage declared by the pickle has no data");
            }
        }
        return out;
    }
}
