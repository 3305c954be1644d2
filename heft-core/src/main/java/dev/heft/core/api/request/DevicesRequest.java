package dev.heft.core.api.request;

import java.util.Optional;

/**
 * {@code heft devices}.
 *
 * @param category only this category ({@code datacenter-gpu}, {@code consumer-gpu}, {@code apple-silicon}, ...)
 * @param sources  also print each device's datasheet source
 */
public record DevicesRequest(Optional<String> category, boolean sources) {
    public static DevicesRequest defaults() {
        return new DevicesRequest(Optional.empty(), false);
    }
}
