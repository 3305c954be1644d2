package dev.heft.core.model;

import dev.heft.core.testing.HostileServerContract;
import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** One file of a Hub repo ({@code hf://org/model/model.safetensors}) read from each hostile server (issue 16, item 3). */
class HubFileHostileServerTest extends HostileServerContract {
    @TempDir
    Path home;

    @Override
    protected void read(URI uri) throws Exception {
        new ModelResolver(HostileServers.settings(uri, home)).resolve("hf://org/model/model.safetensors");
    }
}
