package dev.heft.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.heft.core.api.Heft;
import dev.heft.core.api.render.Printable;
import dev.heft.core.error.RemoteModelException;
import dev.heft.core.testing.HostileHttpServer;
import dev.heft.core.testing.HostileHttpServer.Behaviour;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code Heft.open} as the CLI and the library run it, with the default network settings (no test-shortened
 * deadlines), against the hostile servers that misbehave fast: each ends in a {@link RemoteModelException} or another
 * typed error on one line, well within the defaults' 5-minute total. TRICKLE, which only the deadlines stop, runs in
 * the contract tests ({@link WebFileHostileServerTest}, {@link HubRepoHostileServerTest}) under shorter ones.
 */
class HeftOpenHostileServerTest {
    @TempDir
    Path home;

    @ParameterizedTest
    @EnumSource(value = Behaviour.class, mode = EnumSource.Mode.EXCLUDE, names = "TRICKLE")
    void theDefaultsEndEveryFastAttackWithATypedLine(Behaviour behaviour) throws Exception {
        try (HostileHttpServer server = HostileHttpServer.start(behaviour)) {
            String root = HostileServers.root(server.uri("/"));
            Heft heft = Heft.builder()
                    .environment(Map.of("HF_ENDPOINT", root), home)
                    .build();
            for (String model : new String[] {"hf://org/model", root + "/org/model/resolve/main/model.safetensors"}) {
                long start = System.nanoTime();
                assertThatThrownBy(() -> heft.open(model))
                        .as(behaviour + " " + model)
                        .isInstanceOf(dev.heft.core.error.HeftException.class)
                        .satisfies(e -> assertThat(Printable.isSafe(e.getMessage()))
                                .as(e.getMessage())
                                .isTrue())
                        .satisfies(e -> {
                            switch (behaviour) {
                                case REDIRECT_TO_FILE, REDIRECT_TO_JAR ->
                                    assertThat(((RemoteModelException) e).reason())
                                            .isEqualTo(RemoteModelException.Reason.REFUSED_REDIRECT);
                                case REDIRECT_LOOP ->
                                    assertThat(((RemoteModelException) e).reason())
                                            .isEqualTo(RemoteModelException.Reason.REDIRECT_LOOP);
                                default -> {}
                            }
                        });
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
            }
            assertThat(server.bytesSent()).isLessThanOrEqualTo(256L << 20);
        }
    }
}
