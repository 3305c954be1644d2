package dev.heft.core.model;

import dev.heft.core.format.safetensors.ShardIndex;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

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

    /** Shard file name to the least length of its header, 8-byte length prefix included. */
    static Map<String, Long> of(ShardIndex index) {
        Map<String, Long> bytes = new HashMap<>();
        Map<String, Long> tensors = new HashMap<>();
        index.weightMap().forEach((tensor, shard) -> {
            bytes.merge(shard, (long) tensor.getBytes(StandardCharsets.UTF_8).length + LEAST_ENTRY, Long::sum);
            tensors.merge(shard, 1L, Long::sum);
        });
        Map<String, Long> out = new HashMap<>();
        // "{" + entries joined by "," + "}", after the u64 length.
        bytes.forEach((shard, b) -> out.put(shard, 8 + 2 + b + tensors.get(shard) - 1));
        return out;
    }
}
