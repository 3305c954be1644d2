package dev.heft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ServeCommandTest {
    @Test
    void defaultsToLoopbackPort8080() {
        ServeCommand c = CommandLine.populateCommand(new ServeCommand());
        assertThat(c.host).isEqualTo("127.0.0.1");
        assertThat(c.port).isEqualTo(8080);
        assertThat(CliTestSupport.run("serve", "--help").out())
                .contains("--port")
                .contains("--host");
    }

    @Test
    void servesTheApiUntilStopped() throws Exception {
        ServeCommand command = new ServeCommand();
        CommandLine cl = new CommandLine(command);
        StringWriter out = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        AtomicInteger exit = new AtomicInteger(-1);
        Thread t = new Thread(() -> exit.set(cl.execute("--port", "0")));
        t.start();
        Pattern url = Pattern.compile("heft serve: (http://127\\.0\\.0\\.1:\\d+/)");
        Matcher m = url.matcher("");
        for (int i = 0; i < 200 && !m.reset(out.toString()).find(); i++) {
            Thread.sleep(50);
        }
        assertThat(m.reset(out.toString()).find()).as(out.toString()).isTrue();
        HttpResponse<String> r = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(m.group(1) + "api/catalog"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).startsWith("{\"schema\":\"heft.catalog/1\"");
        command.stop.countDown();
        t.join(10_000);
        assertThat(exit.get()).isZero();
    }
}
