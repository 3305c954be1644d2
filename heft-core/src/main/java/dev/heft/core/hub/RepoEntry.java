package dev.heft.core.hub;

import java.util.Optional;

/**
 * One file of a Hub repo as the tree listing gives it.
 *
 * @param path      its path in the repo ({@code model-00001-of-00004.safetensors}, {@code Q4_K_M/x.gguf})
 * @param size      its size in bytes (the LFS object's size for LFS files)
 * @param contentId a content hash: {@code sha256:<hex>} of an LFS file, {@code git:<oid>} otherwise
 */
public record RepoEntry(String path, long size, Optional<String> contentId) {}
