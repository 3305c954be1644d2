package dev.heft.core.memory;

/**
 * One part of a memory estimate, with the formula that produced it so a user can see why the number is what it is.
 *
 * @param component which part
 * @param bytes     its size
 * @param formula   the arithmetic in words and numbers, e.g. "16 layers x 512 tokens x 8 KV heads x (64+64) x 2 B"
 */
public record MemoryPart(Component component, long bytes, String formula) {
    public MemoryPart {
        if (bytes < 0) {
            throw new IllegalArgumentException(component + ": negative bytes");
        }
    }

    /** The closed family of memory components every estimate is made of. */
    public enum Component {
        WEIGHTS("weights"),
        KV_CACHE("kv_cache"),
        ACTIVATIONS("activations"),
        LOGITS("logits"),
        GRADIENTS("gradients"),
        OPTIMIZER("optimizer"),
        AUTOCAST_COPIES("autocast_copies"),
        OVERHEAD("overhead");

        private final String key;

        Component(String key) {
            this.key = key;
        }

        /** The JSON key stem: {@code <key>_bytes}. */
        public String key() {
            return key;
        }
    }
}
