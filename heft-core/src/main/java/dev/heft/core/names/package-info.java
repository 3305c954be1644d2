/**
 * Tensor names, read once: {@link dev.heft.core.names.TensorName#parse} takes a stored name apart (block container,
 * block and expert numbers, module path, projection, parameter) for the classifier, the inspect report, llama.cpp's
 * type rules, the quantization targets and the Hugging Face to llama.cpp mapping; {@link
 * dev.heft.core.names.LlamaCppNames} is the one two-way table of Hugging Face and llama.cpp architecture and tensor
 * names, checked against llama.cpp's gguf-py. Internal: the engine's packages use it, the library API does not expose
 * it.
 */
package dev.heft.core.names;
