package dev.heft.core.api.request;

/** {@code heft inspect}: @param tensors list every tensor ({@code --tensors}). */
public record InspectRequest(boolean tensors) {
    public static InspectRequest defaults() {
        return new InspectRequest(false);
    }
}
