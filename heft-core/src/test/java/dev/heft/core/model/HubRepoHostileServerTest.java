package dev.heft.core.model;

import dev.heft.core.testing.HostileServerContract;
import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole Hub repo ({@code hf://org/model}: tree listing, config, index, headers) read from each hostile server as its
 * HF_ENDPOINT: every answer, the listing's included, comes from the hostile server (issue 16, item 3).
 */
class HubRepoHostileServerTest extends HostileServerContract {
    @TempDir
    Path home;

    @Override
    protected void read(URI uri) throws Exception {
        new ModelResolver(HostileServers.settings(uri, home)).resolve("hf://org/model");
    }
}
