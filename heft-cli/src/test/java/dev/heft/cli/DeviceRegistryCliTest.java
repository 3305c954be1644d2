package dev.heft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heft.core.json.Json;
import dev.heft.core.json.JsonValue;
import dev.heft.core.json.JsonValue.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each run has its own devices: --devices-file lasts one command, and 'local' is this machine. */
class DeviceRegistryCliTest {
    @Test
    void aDevicesFileDoesNotLeakIntoTheNextRun(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("devices.json");
        Files.writeString(
                file,
                "{\"devices\": [{\"id\": \"lab-box\", \"name\": \"Lab box\", \"category\": "
                        + "\"custom\", \"memory_bytes\": 2000000000, \"bandwidth_gbps\": 100, \"tflops\": {\"bf16\": 10}, "
                        + "\"source\": \"me\"}]}");
        CliTestSupport.Result first =
                CliTestSupport.run("--devices-file", file.toString(), "speed", "gpt2", "--device", "lab-box");
        assertThat(first.exitCode()).as(first.err()).isZero();
        CliTestSupport.Result second = CliTestSupport.run("speed", "gpt2", "--device", "lab-box");
        assertThat(second.exitCode()).isEqualTo(1);
        assertThat(second.err()).contains("unknown device 'lab-box'");
    }

    @Test
    void devicesListsThisMachineWithWhatWasDetectedAndAssumed() {
        CliTestSupport.Result r = CliTestSupport.run("devices", "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonObject local = Json.parse(r.out()).asObject("out").getArray("devices").orElseThrow().elements().stream()
                .map(v -> v.asObject("device"))
                .filter(d -> "local".equals(d.getString("id", null)))
                .findFirst()
                .orElseThrow();
        assertThat(local.getLong("memory_bytes", 0)).isPositive();
        assertThat(local.getArray("detected").orElseThrow().elements()).isNotEmpty();
        assertThat(local.getArray("assumed").orElseThrow().elements()).allMatch(a -> a instanceof JsonValue.JsonString);
        CliTestSupport.Result text = CliTestSupport.run("devices");
        assertThat(text.out()).contains("local is this machine. Detected:");
    }

    @Test
    void serveRefusesADevicesFileItWouldIgnore(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("devices.json");
        Files.writeString(file, "{\"devices\": []}");
        CliTestSupport.Result r = CliTestSupport.run("--devices-file", file.toString(), "serve", "--port", "0");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("heft serve answers with the built-in device catalog only");
    }

    @Test
    void fitAcceptsLocalAsABudget() {
        CliTestSupport.Result r = CliTestSupport.run("fit", "gpt2", "--devices", "local", "--dtypes", "bf16");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("local");
    }
}
