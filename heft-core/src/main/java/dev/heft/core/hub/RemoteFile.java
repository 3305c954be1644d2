package dev.heft.core.hub;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One file behind a URL.
 *
 * @param uri       where to GET it
 * @param label     how reports and errors name it (a {@link dev.heft.core.tensor.TensorInventory} lists files as paths;
 *                  this one is never opened)
 * @param what      how messages name it: {@code hf://owner/name@main/model.safetensors}, or the URL
 * @param size      its size when a listing said it (checked against what the server then says)
 * @param contentId a content hash from a listing (the Hub's LFS sha256 or git blob id), which keys the header cache;
 *                  empty when there is none, and then nothing is cached
 * @param headerAtLeast bytes the header certainly takes, when something said so before it was fetched (a safetensors
 *                  index names every tensor of a shard, which bounds the shard's header from below); 0 when unknown
 */
public record RemoteFile(
        URI uri, Path label, String what, OptionalLong size, Optional<String> contentId, long headerAtLeast) {

    public RemoteFile(URI uri, Path label, String what, OptionalLong size, Optional<String> contentId) {
        this(uri, label, what, size, contentId, 0);
    }

    public RemoteFile withHeaderAtLeast(long bytes) {
        return new RemoteFile(uri, label, what, size, contentId, bytes);
    }
}
