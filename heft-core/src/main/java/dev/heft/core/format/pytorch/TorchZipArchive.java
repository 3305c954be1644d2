package dev.heft.core.format.pytorch;

import dev.heft.core.error.CorruptModelException;
import dev.heft.core.error.UnsupportedModelException;
import dev.heft.core.format.pickle.GlobalPolicy;
import dev.heft.core.format.pickle.PickleInput;
import dev.heft.core.format.pickle.PickleInterpreter;
import dev.heft.core.format.pickle.PickleLimits;
import dev.heft.core.format.pickle.PickleValue;
import dev.heft.core.format.pickle.PickleValue.StorageRef;
import dev.heft.core.format.pickle.StoragePersistentId;
import dev.heft.core.format.zip.EntrySource;
import dev.heft.core.format.zip.ZipDirectory;
import dev.heft.core.format.zip.ZipEntry;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.zip.Inflater;

/**
 * The layout torch.save (1.6+, torch/csrc/jit/serialization PyTorchStreamWriter) and torch.jit.save write into a zip
 * archive: every entry under one folder named after the file (the "archive name", whatever the first entry uses, not
 * always {@code archive/}), holding {@code data.pkl} (the object pickle), {@code data/<key>} (one stored,
 * 64-byte-aligned entry per storage), {@code byteorder}, {@code version}, and for TorchScript also {@code code/},
 * {@code constants.pkl} and {@code constants/<key>}.
 */
final class TorchZipArchive {
    /** Largest deflated pickle heft inflates (torch stores data.pkl uncompressed; other zip tools may not). */
    private static final int MAX_INFLATED_PICKLE = 256 << 20;
    /** Largest small text entry (byteorder, version) heft reads. */
    private static final int MAX_TEXT_ENTRY = 64;

    private final EntrySource source;
    private final Path file;
    private final ZipDirectory dir;
    private final String prefix;

    private TorchZipArchive(EntrySource source, Path file, ZipDirectory dir, String prefix) {
        this.source = source;
        this.file = file;
        this.dir = dir;
        this.prefix = prefix;
    }

    /** The archive, or empty when the zip has no {@code <prefix>/data.pkl} (a Keras file, a plain zip). */
    static Optional<TorchZipArchive> open(MemorySegment segment, Path file) {
        return open(ZipDirectory.read(segment, file), EntrySource.mapped(segment), file);
    }

    /**
     * The archive of a directory whose entries' bytes come from {@code source} (over HTTP: the directory read from
     * the file's tail, and only the entries heft reads fetched), or empty as above.
     */
    static Optional<TorchZipArchive> open(ZipDirectory dir, EntrySource source, Path file) {
        if (dir.entries().isEmpty()) {
            return Optional.empty();
        }
        // torch's PyTorchStreamReader takes the archive name from the first entry's folder
        String first = dir.entries().getFirst().name();
        int slash = first.indexOf('/');
        String prefix = slash < 0 ? "" : first.substring(0, slash + 1);
        if (dir.entry(prefix + "data.pkl").isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new TorchZipArchive(source, file, dir, prefix));
    }

    /** TorchScript archives (torch.jit.save) carry compiled code and a constants pickle. */
    boolean isTorchScript() {
        return dir.entry(prefix + "constants.pkl").isPresent()
                || dir.entries().stream().anyMatch(e -> e.name().startsWith(prefix + "code/"));
    }

    boolean has(String relative) {
        return dir.entry(prefix + relative).isPresent();
    }

    long codeFiles() {
        return dir.entries().stream()
                .filter(e -> e.name().startsWith(prefix + "code/") && !e.isDirectory())
                .count();
    }

    /**
     * Unpickles {@code relative} (e.g. {@code data.pkl}); storages it references are looked up under
     * {@code storageDir} (e.g. {@code data/}), checked, and added to {@code storages} keyed by their path relative to
     * the archive folder ({@code data/0}).
     */
    PickleValue unpickle(
            String relative,
            String storageDir,
            GlobalPolicy policy,
            PickleLimits limits,
            Map<String, TorchStorage> storages) {
        ZipEntry e = source.located(dir.entry(prefix + relative)
                .orElseThrow(() -> new CorruptModelException(file, prefix + relative, "archive has no " + relative)));
        PickleInterpreter vm = new PickleInterpreter(limits, policy, (pid, offset) -> {
            StorageRef ref = StoragePersistentId.parse(pid, false, file, offset);
            String key = storageDir + ref.key();
            locate(key, ref, offset, storages);
            return new StorageRef(key, ref.dtype(), ref.location(), ref.numel(), ref.elementBase());
        });
        if (e.isStored()) {
            return vm.load(new PickleInput(source.data(e), e.dataOffset(), file, e.name()));
        }
        checkDeflated(e);
        // Inflated as the interpreter reads, never whole and never into a buffer of the declared size: a 136-byte entry
        // may declare 200 MiB (see PickleInput).
        Inflater inflater = new Inflater(true); // zip entries are raw deflate streams (APPNOTE 4.4.5 method 8)
        try {
            inflater.setInput(source.data(e).asByteBuffer());
            PickleInput in = PickleInput.inflating(
                    inflater, e.uncompressedSize(), e.dataOffset(), file, e.name() + " (inflated)");
            PickleValue value = vm.load(in);
            in.finish();
            return value;
        } finally {
            inflater.end();
        }
    }

    /** A deflated pickle heft will inflate: method 8, at most {@link #MAX_INFLATED_PICKLE}, sizes that can be. */
    private void checkDeflated(ZipEntry e) {
        if (e.method() != ZipEntry.DEFLATED) {
            throw new UnsupportedModelException(
                    file,
                    e.headerOffset(),
                    e.name(),
                    "pickle compressed with method " + e.method() + " (heft inflates only deflate, method 8)");
        }
        if (e.uncompressedSize() > MAX_INFLATED_PICKLE) {
            throw new UnsupportedModelException(
                    file,
                    e.headerOffset(),
                    e.name(),
                    "deflated pickle of " + e.uncompressedSize() + " bytes is larger than heft's limit of "
                            + MAX_INFLATED_PICKLE);
        }
        // deflate never shrinks data by less than ~0.1% plus a few bytes of framing (RFC 1951 stored blocks): a
        // compressed size far above the inflated size is a lie
        if (e.compressedSize() > e.uncompressedSize() + (e.uncompressedSize() >> 8) + 1024) {
            throw new CorruptModelException(
                    file,
                    e.headerOffset(),
                    e.name(),
                    "deflated pickle of " + e.compressedSize() + " bytes cannot inflate to the " + e.uncompressedSize()
                            + " its header says");
        }
    }

    /**
     * A storage must be a stored (never compressed) entry exactly {@code numel x element size} bytes long. Its offset
     * is -1 when its local header was not read (over HTTP, where only the pickle is fetched).
     */
    private void locate(String key, StorageRef ref, long pickleOffset, Map<String, TorchStorage> storages) {
        String name = prefix + key;
        ZipEntry e = dir.entry(name)
                .orElseThrow(() -> new CorruptModelException(
                        file,
                        pickleOffset,
                        name,
                        "the pickle references storage '" + ref.key() + "' but the archive has no entry " + name));
        if (!e.isStored()) {
            throw new UnsupportedModelException(
                    file,
                    e.headerOffset(),
                    name,
                    "storage is compressed (zip method "
                            + e.method() + "); heft maps storages in place and never inflates tensor data. torch.save "
                            + "stores them uncompressed: re-save the file with torch.save, or unzip and re-zip it with -0");
        }
        long bytes;
        try {
            bytes = ref.dtype().bytesFor(ref.numel());
        } catch (ArithmeticException ex) {
            throw new CorruptModelException(
                    file, pickleOffset, name, "storage of " + ref.numel() + " elements overflows");
        }
        if (bytes != e.uncompressedSize()) {
            throw new CorruptModelException(
                    file,
                    pickleOffset,
                    name,
                    "storage declares " + ref.numel() + " x " + ref.dtype() + " = " + bytes
                            + " bytes but its entry holds " + e.uncompressedSize());
        }
        storages.putIfAbsent(key, new TorchStorage(key, ref.dtype(), ref.numel(), e.dataOffset(), bytes));
    }

    /** Small text entries (byteorder, version, .format_version, .storage_alignment), when present and stored. */
    Map<String, Object> facts() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("archive_name", prefix.isEmpty() ? "" : prefix.substring(0, prefix.length() - 1));
        text("byteorder").ifPresent(v -> out.put("byteorder", v));
        text("version").or(() -> text(".data/version")).ifPresent(v -> out.put("version", v));
        text(".format_version").ifPresent(v -> out.put("format_version", v));
        text(".storage_alignment").ifPresent(v -> out.put("storage_alignment", v));
        return out;
    }

    private Optional<String> text(String relative) {
        return dir.entry(prefix + relative)
                .filter(e -> e.isStored() && e.compressedSize() <= MAX_TEXT_ENTRY)
                .map(e -> new String(
                                source.data(source.located(e)).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE),
                                StandardCharsets.UTF_8)
                        .strip());
    }
}
