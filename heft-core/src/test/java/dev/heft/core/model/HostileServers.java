package dev.heft.core.model;

import dev.heft.core.hub.NetworkSettings;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** Resolver settings for reading from a {@link dev.heft.core.testing.HostileHttpServer}: its root as the Hub. */
final class HostileServers {
    private HostileServers() {}

    /**
     * The defaults with shorter deadlines (3 s a request, 10 s in all, 2 tries), so that a trickling server costs the
     * test seconds rather than the five minutes the defaults allow; every other limit is the one users run with.
     */
    static ResolverSettings settings(URI anyUriOfTheServer, Path home) {
        return ResolverSettings.fromEnvironment(Map.of("HF_ENDPOINT", root(anyUriOfTheServer)), home)
                .withNetwork(NetworkSettings.defaults()
                        .withTimeouts(Duration.ofSeconds(3), Duration.ofSeconds(10))
                        .withRetries(2, Duration.ofMillis(5)));
    }

    static String root(URI uri) {
        return uri.getScheme() + "://" + uri.getAuthority();
    }
}
