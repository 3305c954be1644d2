package dev.heft.cli;

import dev.heft.core.api.Heft;
import dev.heft.core.error.InvalidInputException;
import dev.heft.web.HeftServer;
import dev.heft.web.ServerLimits;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.BindException;
import java.net.SocketException;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = {
            "Start the local web page and JSON HTTP API (heft-web) over the same engine. "
                    + "Nothing leaves this machine: the page is bundled, and a model file chosen in the page has only its header "
                    + "read, in the browser."
        })
final class ServeCommand implements Callable<Integer> {
    @Option(
            names = "--host",
            description = "Address to bind (default: ${DEFAULT-VALUE}, loopback only). Another "
                    + "address exposes the API to that network.",
            defaultValue = HeftServer.DEFAULT_HOST)
    String host;

    @Option(
            names = "--port",
            description = "Port (default: ${DEFAULT-VALUE}; 0 picks a free one).",
            defaultValue = "" + HeftServer.DEFAULT_PORT)
    int port;

    @Option(
            names = "--allow-hub",
            description = "Also answer requests that name a Hugging Face Hub repo "
                    + "(hf://OWNER/NAME[@REV][/PATH]): from the HF cache, else header bytes over HTTP from "
                    + "HF_ENDPOINT with HF_TOKEN, as the CLI reads them. Never local paths or other URLs.")
    boolean allowHub;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Counted down to stop serving (tests); Ctrl-C ends the process instead. */
    final CountDownLatch stop = new CountDownLatch(1);

    @Override
    public Integer call() throws Exception {
        if (port < 0 || port > 65_535) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "--port " + port + " is not a TCP port (0 to " + "65535; 0 picks a free one)");
        }
        // The server answers with the built-in catalog only: a devices file would be ignored, so it is refused.
        for (CommandLine cl = spec.commandLine(); cl != null; cl = cl.getParent()) {
            if (cl.getParseResult() != null && cl.getParseResult().hasMatchedOption(Options.DEVICES_FILE)) {
                throw new InvalidInputException(Options.DEVICES_FILE + ": heft serve answers with the built-in device "
                        + "catalog only (the page and the API never see a devices file or this machine)");
            }
        }
        // A request may never open a path or a URL of its choosing; Hub repos only when asked for.
        Heft heft = Heft.builder().allow(false, allowHub, false).build();
        try (HeftServer server = start(heft)) {
            PrintWriter out = spec.commandLine().getOut();
            out.println("heft serve: " + server.url() + "  (API: " + server.url() + "api/openapi.json; Ctrl-C stops)");
            out.flush();
            stop.await();
        }
        return 0;
    }

    /** Binds, or says in one line why it cannot: the port is taken, or the address is not this machine's. */
    private HeftServer start(Heft heft) throws IOException {
        try {
            return HeftServer.start(host, port, ServerLimits.defaults(), heft);
        } catch (BindException e) {
            throw new InvalidInputException("serve: cannot listen on " + host + ":" + port + " (" + e.getMessage()
                    + "): the port is in use or the address is not this machine's; choose another with --port (0 "
                    + "picks a free one) or --host");
        } catch (SocketException | IllegalArgumentException e) {
            // "Unresolved address": a --host name that does not resolve
            throw new InvalidInputException("serve: cannot listen on " + host + ":" + port + " (" + e.getMessage()
                    + "): '" + host + "' is not an address of this machine");
        }
    }
}
