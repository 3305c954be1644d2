package dev.heft.core.model;

import dev.heft.core.format.safetensors.IndexColumns;
import dev.heft.core.text.StrictUtf8;

/**
 * How many bytes each shard's safetensors header takes at least, from the index alone: the index names every tensor
 * of every shard, and each tensor's header entry is at least its quoted name and the shortest entry the format allows,
 * {@code "NAME":{"dtype":"U8","shape":[],"data_offsets":[0,0]}} (safetensors README, "Format"), with commas between
 * entries and braces around them. A real entry is some 30 bytes longer (a four-letter dtype, two dimensions, ten-digit
 * offsets), so for a shard of a few hundred tensors the bound falls short by less than the 32 KiB slack a first
 * request adds to it, and one request fetches the whole header: DeepSeek-V3's 73 KB shard headers then take one
 * round trip each, not two.
 */
final class ShardHeaderBound {
    /** {@code :{"dtype":"U8","shape":[],"data_offsets":[0,0]}} plus the two quotes around the name. */
    private static final int LEAST_ENTRY = ":{\"dtype\":\"U8\",\"shape\":[],\"data_offsets\":[0,0]}".length() + 2;

    private ShardHeaderBound() {}

    /** For each of the index's {@link IndexColumns#shards()}, in that order, the least length of its header, 8-byte
     * length prefix included. */
    static long[] of(IndexColumns index) {
        long[] out = new long[index.shards().size()];
        for (int s = 0; s < out.length; s++) {
            int n = index.entryCount(s);
            long bytes = 0;
            for (int k = 0; k < n; k++) {
                String name = index.entryName(s, k);
                bytes += StrictUtf8.encodedLength(name, name.length()) + LEAST_ENTRY;
            }
            // "{" + entries joined by "," + "}", after the u64 length (every shard of an index has an entry).
            out[s] = 8 + 2 + bytes + n - 1;
        }
        return out;
    }
}
