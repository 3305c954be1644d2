package dev.heft.web;

import dev.heft.core.api.Model;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Model headers uploaded by the page, parsed once and held while there is room, so that every view (memory, fit,
 * precision table, scaling, compare) can name the upload as {@code model: "upload:ID"} instead of sending a header of
 * up to 100 MB again with each request. An ID is a digest of what was uploaded (name, size, header bytes, config), so
 * the same upload gets the same ID and an ID cannot be guessed without the bytes.
 *
 * <p>Bounded by count and by the header bytes held; the least recently used upload goes first. Forgetting is harmless:
 * an ID the store no longer holds is answered with 410, and the page sends the header again.
 */
final class Uploads {
    static final String PREFIX = "upload:";

    private record Entry(Model model, long headerBytes) {}

    private final int maxCount;
    private final long maxBytes;
    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
    private long bytes;

    Uploads(int maxCount, long maxBytes) {
        this.maxCount = maxCount;
        this.maxBytes = maxBytes;
    }

    /** The ID an upload of these bytes gets: {@code upload:} and 32 hex digits of a SHA-256. */
    static String idOf(String name, long size, byte[] head, String config) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            for (String part : new String[] {name, Long.toString(size), config}) {
                byte[] b = part.getBytes(StandardCharsets.UTF_8);
                d.update(lengthPrefix(b.length));
                d.update(b);
            }
            d.update(head);
            return PREFIX + HexFormat.of().formatHex(d.digest(), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static byte[] lengthPrefix(int n) {
        return new byte[] {(byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n};
    }

    /** Holds {@code model} under {@code id}, dropping the least recently used uploads beyond the bounds. */
    synchronized void put(String id, Model model, long headerBytes) {
        Entry old = entries.put(id, new Entry(model, headerBytes));
        if (old != null) {
            bytes -= old.headerBytes();
        }
        bytes += headerBytes;
        Iterator<Map.Entry<String, Entry>> it = entries.entrySet().iterator();
        while ((entries.size() > maxCount || bytes > maxBytes) && entries.size() > 1 && it.hasNext()) {
            Map.Entry<String, Entry> e = it.next();
            if (!e.getKey().equals(id)) {
                bytes -= e.getValue().headerBytes();
                it.remove();
            }
        }
    }

    synchronized Optional<Model> get(String id) {
        return Optional.ofNullable(entries.get(id)).map(Entry::model);
    }

    synchronized int size() {
        return entries.size();
    }
}
