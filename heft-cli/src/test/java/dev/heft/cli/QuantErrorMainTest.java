package dev.heft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher's entry for quant-error runs the same command line as {@link HeftCli#main}, with the same output. */
class QuantErrorMainTest {
    interface Main {
        void run() throws Exception;
    }

    @Test
    void printsWhatHeftCliPrints(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("t.safetensors");
        QuantCdsTraining.writeF32Safetensors(file);
        for (String format : new String[] {"--text", "--json"}) {
            String[] args = format.equals("--json")
                    ? new String[] {"quant-error", "--json", "--scheme", "q8_0,q4_0", file.toString()}
                    : new String[] {"quant-error", "--scheme", "q8_0", file.toString()};
            String viaEntry = stdout(() -> QuantErrorMain.main(args));
            String viaCli = stdout(() -> HeftCli.main(args));
            assertThat(viaEntry).as(format).contains("layers.0.weight").isEqualTo(viaCli);
        }
    }

    private static String stdout(Main main) throws Exception {
        PrintStream saved = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            main.run();
        } finally {
            System.setOut(saved);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
