package dev.heft.core.format.pickle;

import dev.heft.core.error.CorruptModelException;
import dev.heft.core.error.UnsupportedModelException;
import dev.heft.core.format.pickle.PickleValue.PyInt;
import dev.heft.core.format.pickle.PickleValue.PyNone;
import dev.heft.core.format.pickle.PickleValue.PyStr;
import dev.heft.core.format.pickle.PickleValue.PyTuple;
import dev.heft.core.format.pickle.PickleValue.StorageRef;
import dev.heft.core.format.pickle.PickleValue.StorageTypeRef;
import java.nio.file.Path;

/**
 * Parses the persistent ids torch.save writes for storages (torch/serialization.py, {@code persistent_id} in
 * {@code _save} and {@code _legacy_save}):
 * <ul>
 *   <li>zip format (torch 1.6+): {@code ('storage', storage_type, key, location, numel)}</li>
 *   <li>legacy format: {@code ('storage', storage_type, root_key, location, numel, view_metadata)} where
 *       {@code view_metadata} is None or {@code (view_key, offset, view_size)} in elements</li>
 * </ul>
 */
public final class StoragePersistentId {
    private StoragePersistentId() {}

    /** Parses a storage persistent id; {@code legacy} selects the six-field form. */
    public static StorageRef parse(PickleValue pid, boolean legacy, Path file, long offset) {
        if (!(pid instanceof PyTuple t) || t.size() == 0 || !(t.get(0) instanceof PyStr kind)) {
            throw new CorruptModelException(
                    file, offset, "persistent id must be a tuple starting with its kind, got " + pid.describe());
        }
        if (kind.value().equals("module")) {
            throw new UnsupportedModelException(
                    file,
                    offset,
                    "persistent id 'module' (a whole pickled nn.Module with "
                            + "its source code) is not allowed: heft reads state dicts only");
        }
        if (!kind.value().equals("storage")) {
            throw new UnsupportedModelException(
                    file, offset, "persistent id of kind '" + kind.value() + "' (heft reads 'storage')");
        }
        int expected = legacy ? 6 : 5;
        if (t.size() != expected) {
            throw new CorruptModelException(
                    file, offset, "storage persistent id has " + t.size() + " fields, expected " + expected);
        }
        if (!(t.get(1) instanceof StorageTypeRef type)) {
            throw new CorruptModelException(
                    file,
                    offset,
                    "storage type must be a torch storage class, got "
                            + t.get(1).describe());
        }
        String key = text(t.get(2), "storage key", file, offset);
        String location = text(t.get(3), "storage location", file, offset);
        long numel = count(t.get(4), "storage numel", file, offset);
        if (legacy && !(t.get(5) instanceof PyNone)) {
            // a view of a larger storage: (view_key, offset, view_size); the data lives under the root key
            if (!(t.get(5) instanceof PyTuple view) || view.size() != 3) {
                throw new CorruptModelException(
                        file,
                        offset,
                        "storage view metadata must be (key, offset, size), got "
                                + t.get(5).describe());
            }
            long viewOffset = count(view.get(1), "storage view offset", file, offset);
            long viewSize = count(view.get(2), "storage view size", file, offset);
            if (viewOffset > numel || viewSize > numel - viewOffset) {
                throw new CorruptModelException(
                        file,
                        offset,
                        "storage view [" + viewOffset + ", +" + viewSize + ") lies outside storage '" + key + "' of "
                                + numel + " elements");
            }
            return new StorageRef(key, type.type().dtype(), location, viewSize, viewOffset);
        }
        return new StorageRef(key, type.type().dtype(), location, numel, 0);
    }

    private static String text(PickleValue v, String what, Path file, long offset) {
        if (v instanceof PyStr s) {
            return s.value();
        }
        throw new CorruptModelException(file, offset, what + " must be a string, got " + v.describe());
    }

    private static long count(PickleValue v, String what, Path file, long offset) {
        if (v instanceof PyInt i && i.asLong().isPresent() && i.asLong().getAsLong() >= 0) {
            return i.asLong().getAsLong();
        }
        throw new CorruptModelException(file, offset, what + " must be a non-negative integer, got " + v.describe());
    }
}
