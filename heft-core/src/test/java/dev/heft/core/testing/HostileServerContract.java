package dev.heft.core.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.heft.core.api.render.Printable;
import dev.heft.core.error.HeftException;
import java.net.URI;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The contract every remote reader (Hub, URL) passes against {@link HostileHttpServer}: for each misbehaviour, the read
 * ends within {@link #deadline()} with a typed {@link HeftException} on one line, after at most {@link #maxBytes()}
 * body bytes, and a redirect never leaves http(s) nor loops more than {@link #maxRedirects()} times. A reader's test
 * extends this class and says how it reads ({@link #read(URI)}), e.g.
 * <pre>{@code
 * class HubReaderHostileServerTest extends HostileServerContract {
 *     @Override
 *     protected void read(URI uri) throws Exception {
 *         new HubReader(HttpSettings.defaults()).inspect(uri);
 *     }
 * }
 * }</pre>
 * A behaviour the reader legitimately survives (say, a lying Content-Range it re-requests) is listed in
 * {@link #survives()}: the read must then end normally, within the same bounds.
 */
public abstract class HostileServerContract {
    /** Reads a model at {@code uri} the way the reader under test does (a header read is enough). */
    protected abstract void read(URI uri) throws Exception;

    /** The longest a read against a hostile server may take: a total deadline, not a per-read timeout. */
    protected Duration deadline() {
        return Duration.ofSeconds(20);
    }

    /** The most body bytes a reader may pull from one hostile server before giving up. */
    protected long maxBytes() {
        return 128L << 20;
    }

    protected int maxRedirects() {
        return 10;
    }

    /** Behaviours this reader may read through without an error (none by default). */
    protected Set<HostileHttpServer.Behaviour> survives() {
        return EnumSet.noneOf(HostileHttpServer.Behaviour.class);
    }

    /** Public so that a reader's test in another package inherits it. */
    @ParameterizedTest
    @EnumSource(HostileHttpServer.Behaviour.class)
    public void aHostileServerGetsATypedErrorInTimeAndWithinBounds(HostileHttpServer.Behaviour behaviour)
            throws Exception {
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try (HostileHttpServer server = HostileHttpServer.start(behaviour)) {
            Future<?> reading = thread.submit(() -> {
                read(server.uri("/org/model/resolve/main/model.safetensors"));
                return null;
            });
            if (survives().contains(behaviour)) {
                reading.get(deadline().toMillis(), TimeUnit.MILLISECONDS);
            } else {
                assertThatThrownBy(() -> reading.get(deadline().toMillis(), TimeUnit.MILLISECONDS))
                        .as(behaviour + ": ends in time with a typed error")
                        .hasCauseInstanceOf(HeftException.class)
                        .satisfies(e -> assertThat(Printable.isSafe(e.getCause().getMessage()))
                                .as(
                                        "a one-line message, safe to print: %s",
                                        e.getCause().getMessage())
                                .isTrue());
            }
            assertThat(server.bytesSent()).as(behaviour + ": bytes pulled").isLessThanOrEqualTo(maxBytes());
            assertThat(server.requests())
                    .as(behaviour + ": requests (redirects followed)")
                    .isLessThanOrEqualTo(maxRedirects() + 2);
        } finally {
            thread.shutdownNow();
        }
    }
}
