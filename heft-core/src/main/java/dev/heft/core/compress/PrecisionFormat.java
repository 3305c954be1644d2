package dev.heft.core.compress;

/**
 * A way of storing a model's weights at some precision: plain floats, llama.cpp file types, or one of the packed
 * formats other tools write beside safetensors (GPTQ/AWQ, bitsandbytes, FP8 with scales, MXFP4). Parse what a user
 * types with {@link PrecisionFormats#parse(String)}.
 */
public sealed interface PrecisionFormat permits PlainFormat, GgufFormat, LinearQuantFormat {

    /** The canonical name, as {@link PrecisionFormats#parse} accepts it ("Q4_K_M", "gptq-4bit-g128", "nf4-dq"). */
    String label();

    /** One line for humans: what is stored and what stays in higher precision. */
    String description();
}
