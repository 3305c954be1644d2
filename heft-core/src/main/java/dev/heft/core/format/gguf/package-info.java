/**
 * GGUF (llama.cpp / ggml) reading and writing.
 *
 * <p>Spec: ggml's {@code docs/gguf.md} (header, metadata value types, tensor infos, alignment), cross-checked against
 * the two reference readers: gguf-py's {@code GGUFReader} (whose figures are the test ground truth) and ggml's
 * {@code gguf.cpp} (whose stricter checks heft mirrors where they protect the reader, and reports as notes where
 * they only matter to llama.cpp).
 *
 * <ul>
 *   <li>{@link dev.heft.core.format.gguf.GgufReader}: the {@code ModelReader}; also {@code readFile} (one file's
 *       checked header as a {@link dev.heft.core.format.gguf.GgufFile}) and {@code map} (header plus tensor data
 *       slices of one mapping the caller closes, {@link dev.heft.core.format.gguf.GgufMapping}).</li>
 *   <li>Split models ({@code NAME-00001-of-0000N.gguf}, llama.cpp's gguf-split) read as one model from any part.</li>
 *   <li>{@link dev.heft.core.format.gguf.GgufWriter}: writes valid v1-v3 files in ggml's layout.</li>
 * </ul>
 */
package dev.heft.core.format.gguf;
