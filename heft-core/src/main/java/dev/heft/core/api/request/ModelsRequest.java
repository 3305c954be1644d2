package dev.heft.core.api.request;

/** {@code heft models}: @param clearHeaderCache delete the remote headers kept in heft's cache first. */
public record ModelsRequest(boolean clearHeaderCache) {
    public static ModelsRequest defaults() {
        return new ModelsRequest(false);
    }
}
