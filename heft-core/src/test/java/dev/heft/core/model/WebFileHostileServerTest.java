package dev.heft.core.model;

import dev.heft.core.testing.HostileServerContract;
import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** An {@code https://} (here http on loopback) weight file read from each hostile server: issue 16, item 3. */
class WebFileHostileServerTest extends HostileServerContract {
    @TempDir
    Path home;

    @Override
    protected void read(URI uri) throws Exception {
        new ModelResolver(HostileServers.settings(uri, home)).resolve(uri.toString());
    }
}
