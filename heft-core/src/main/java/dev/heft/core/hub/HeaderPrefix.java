package dev.heft.core.hub;

/**
 * A file's header bytes (safetensors: the 8-byte length and the JSON; GGUF: everything through the tensor infos) and
 * the whole file's size, which the parsers check every tensor's data range against.
 */
record HeaderPrefix(byte[] bytes, long fileSize) {}
