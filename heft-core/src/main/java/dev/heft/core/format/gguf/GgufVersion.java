package dev.heft.core.format.gguf;

/**
 * The GGUF versions heft reads and the one structural fact that differs between them (ggml docs/gguf.md, "Version
 * history"): v1 stored tensor/KV counts, string and array lengths and tensor dimensions as uint32; v2 widened all of
 * them to uint64; v3 changed nothing for a little-endian file (it added big-endian files, which heft does not read).
 */
public enum GgufVersion {
    V1(1, 4),
    V2(2, 8),
    V3(3, 8);

    private final int number;
    private final int countBytes;

    GgufVersion(int number, int countBytes) {
        this.number = number;
        this.countBytes = countBytes;
    }

    public int number() {
        return number;
    }

    /** Width of counts, lengths and dimensions: 4 bytes in v1, 8 from v2 on. */
    public int countBytes() {
        return countBytes;
    }

    public static GgufVersion of(long number) {
        for (GgufVersion v : values()) {
            if (v.number == number) {
                return v;
            }
        }
        return null;
    }
}
