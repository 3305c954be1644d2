package dev.heft.cli;

import dev.heft.web.HeftServer;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "serve", description = {"Start the local web page and JSON HTTP API (heft-web) over the same engine. "
        + "Nothing leaves this machine: the page is bundled, and a model file chosen in the page has only its header "
        + "read, in the browser."})
final class ServeCommand implements Callable<Integer> {
    @Option(names = "--host", description = "Address to bind (default: ${DEFAULT-VALUE}, loopback only). Another "
            + "address exposes the API to that network.", defaultValue = HeftServer.DEFAULT_HOST)
    String host;

    @Option(names = "--port", description = "Port (default: ${DEFAULT-VALUE}; 0 picks a free one).",
            defaultValue = "" + HeftServer.DEFAULT_PORT)
    int port;

    @Override
    public Integer call() throws Exception {
        HeftServer server = HeftServer.start(host, port);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "heft-serve-shutdown"));
        System.out.println("heft serve: " + server.url() + "  (API: " + server.url() + "api/openapi.json; Ctrl-C "
                + "stops)");
        System.out.flush();
        new CountDownLatch(1).await();
        return 0;
    }
}
