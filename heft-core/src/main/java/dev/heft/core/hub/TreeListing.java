package dev.heft.core.hub;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A page of the Hub's tree API ({@code GET /api/models/{repo}/tree/{revision}?recursive=true}) read in one pass over
 * its bytes, for the shape the Hub writes: a JSON array of flat objects whose values are ASCII strings without
 * escapes, integers, and objects of those ({@code lfs}; {@code lastCommit} when expanded), e.g.
 * {@code {"type":"file","oid":"...","size":4806705760,"lfs":{"oid":"...","size":4806705760,"pointerSize":134},
 * "path":"model-00001-of-00169.safetensors"}}. Anything else (an escape, a non-ASCII byte, a fraction, a null, an
 * array, a duplicate key, a file entry without a path or a size, malformed JSON) is not judged here:
 * {@link #entries} answers null and the caller reads the page with the strict JSON parser, whose errors and defaults
 * stay the only ones. So on every page this reads, the entries are the ones the strict parse gives
 * (TreeListingTest compares both on generated pages).
 *
 * <p>Why: the listing is parsed by the main thread before anything else can start, in a JVM where nothing is compiled
 * yet. The generic parser builds a tree (a map per entry, a BigDecimal per size) that is thrown away at once.
 */
final class TreeListing {
    private final byte[] b;
    private int p;

    private TreeListing(byte[] b) {
        this.b = b;
    }

    /** A value that is not of the plain shape: the page goes to the strict parser. */
    private static final class NotPlain extends Exception {
        private static final long serialVersionUID = 1L;
        static final NotPlain INSTANCE = new NotPlain();

        private NotPlain() {
            super(null, null, false, false);
        }
    }

    /** The file entries of a page of the plain shape, in order (directories left out); null for any other page. */
    static List<RepoEntry> entries(byte[] page) {
        try {
            return new TreeListing(page).array();
        } catch (NotPlain e) {
            return null;
        }
    }

    private List<RepoEntry> array() throws NotPlain {
        List<RepoEntry> out = new ArrayList<>();
        ws();
        take('[');
        ws();
        if (peek() == ']') {
            p++;
        } else {
            while (true) {
                ws();
                RepoEntry e = entry();
                if (e != null) {
                    out.add(e);
                }
                ws();
                byte c = next();
                if (c == ']') {
                    break;
                }
                if (c != ',') {
                    throw NotPlain.INSTANCE;
                }
            }
        }
        ws();
        if (p != b.length) {
            throw NotPlain.INSTANCE;
        }
        return out;
    }

    /** One object of the array: its entry when it is a file, null when it is something else (a directory). */
    private RepoEntry entry() throws NotPlain {
        String type = null;
        String path = null;
        String oid = null;
        long size = -1;
        boolean hasSize = false;
        boolean hasLfs = false;
        String lfsOid = null;
        long lfsSize = -1;
        List<String> keys = new ArrayList<>(8);
        take('{');
        ws();
        if (peek() == '}') {
            p++;
            return null;
        }
        while (true) {
            ws();
            String key = string();
            if (keys.contains(key)) {
                throw NotPlain.INSTANCE; // the strict parser refuses duplicate keys
            }
            keys.add(key);
            ws();
            take(':');
            ws();
            switch (key) {
                case "type" -> type = string();
                case "path" -> path = string();
                case "oid" -> oid = string();
                case "size" -> {
                    size = integer();
                    hasSize = true;
                }
                case "lfs" -> {
                    hasLfs = true;
                    List<String> lfsKeys = new ArrayList<>(4);
                    take('{');
                    ws();
                    if (peek() == '}') {
                        p++;
                        break;
                    }
                    while (true) {
                        ws();
                        String k = string();
                        if (lfsKeys.contains(k)) {
                            throw NotPlain.INSTANCE;
                        }
                        lfsKeys.add(k);
                        ws();
                        take(':');
                        ws();
                        if (k.equals("oid")) {
                            lfsOid = string();
                        } else if (k.equals("size")) {
                            lfsSize = integer();
                        } else {
                            scalar();
                        }
                        ws();
                        byte c = next();
                        if (c == '}') {
                            break;
                        }
                        if (c != ',') {
                            throw NotPlain.INSTANCE;
                        }
                    }
                }
                default -> skipValue();
            }
            ws();
            byte c = next();
            if (c == '}') {
                break;
            }
            if (c != ',') {
                throw NotPlain.INSTANCE;
            }
        }
        if (!"file".equals(type)) {
            return null;
        }
        long fileSize = lfsSize >= 0 ? lfsSize : hasSize ? size : -1;
        if (path == null || path.isEmpty() || fileSize < 0) {
            throw NotPlain.INSTANCE; // the strict path words that error
        }
        // As HubClient.parseTree: the LFS sha256 when there is one, else the git blob id.
        Optional<String> id = lfsOid != null
                ? Optional.of("sha256:" + lfsOid)
                : oid != null && !oid.isEmpty() ? Optional.of("git:" + oid) : Optional.empty();
        return new RepoEntry(path, fileSize, id);
    }

    /** A member value the entry does not use: a string, an integer, or an object of those. */
    private void skipValue() throws NotPlain {
        if (peek() != '{') {
            scalar();
            return;
        }
        p++;
        List<String> keys = new ArrayList<>(4);
        ws();
        if (peek() == '}') {
            p++;
            return;
        }
        while (true) {
            ws();
            String k = string();
            if (keys.contains(k)) {
                throw NotPlain.INSTANCE;
            }
            keys.add(k);
            ws();
            take(':');
            ws();
            scalar();
            ws();
            byte c = next();
            if (c == '}') {
                return;
            }
            if (c != ',') {
                throw NotPlain.INSTANCE;
            }
        }
    }

    private void scalar() throws NotPlain {
        if (peek() == '"') {
            string();
        } else {
            integer();
        }
    }

    /** A string of printable ASCII without escapes. */
    private String string() throws NotPlain {
        take('"');
        int start = p;
        while (true) {
            byte c = next();
            if (c == '"') {
                return new String(b, start, p - 1 - start, StandardCharsets.ISO_8859_1);
            }
            if (c < 0x20 || c == '\\' || c == 0x7f) { // a control, an escape, or (negative) a non-ASCII byte
                throw NotPlain.INSTANCE;
            }
        }
    }

    /** A non-negative integer as JSON writes it (no leading zero), of at most 18 digits: it fits a long. */
    private long integer() throws NotPlain {
        int start = p;
        long n = 0;
        while (p < b.length && b[p] >= '0' && b[p] <= '9') {
            n = n * 10 + (b[p] - '0');
            p++;
        }
        int digits = p - start;
        if (digits == 0 || digits > 18 || (digits > 1 && b[start] == '0')) {
            throw NotPlain.INSTANCE;
        }
        if (p < b.length && (b[p] == '.' || b[p] == 'e' || b[p] == 'E')) {
            throw NotPlain.INSTANCE;
        }
        return n;
    }

    private void ws() {
        while (p < b.length && (b[p] == ' ' || b[p] == '\n' || b[p] == '\r' || b[p] == '\t')) {
            p++;
        }
    }

    private byte peek() throws NotPlain {
        if (p >= b.length) {
            throw NotPlain.INSTANCE;
        }
        return b[p];
    }

    private byte next() throws NotPlain {
        byte c = peek();
        p++;
        return c;
    }

    private void take(char c) throws NotPlain {
        if (next() != c) {
            throw NotPlain.INSTANCE;
        }
    }
}
