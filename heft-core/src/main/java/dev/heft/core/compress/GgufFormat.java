package dev.heft.core.compress;

/** A llama.cpp file type as llama-quantize writes it, with or without {@code --pure}. */
public record GgufFormat(LlamaFileType fileType, boolean pure) implements PrecisionFormat {

    public GgufFormat {
        if (fileType == null) {
            throw new IllegalArgumentException("file type required");
        }
    }

    /** "Q4_K_M", "Q4_0-pure"; llama.cpp's float types as "gguf-f16" so they do not read as the plain formats. */
    @Override
    public String label() {
        String base = fileType.isQuantized()
                ? fileType.displayName()
                : "gguf-" + fileType.displayName().toLowerCase(java.util.Locale.ROOT);
        return base + (pure ? "-pure" : "");
    }

    @Override
    public String description() {
        return "llama.cpp " + fileType.displayName()
                + (pure
                        ? " with --pure (one type for every quantized tensor)"
                        : " with llama-quantize's per-tensor mix rules")
                + "; 1-D tensors stay F32";
    }
}
