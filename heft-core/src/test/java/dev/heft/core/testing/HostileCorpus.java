package dev.heft.core.testing;

import dev.heft.core.arch.hf.HfConfigHostileFiles;
import dev.heft.core.format.gguf.GgufHostileFiles;
import dev.heft.core.format.keras.KerasHostileFiles;
import dev.heft.core.format.onnx.OnnxHostileFiles;
import dev.heft.core.format.pytorch.PyTorchHostileFiles;
import dev.heft.core.format.safetensors.SafetensorsHostileFiles;
import dev.heft.core.format.tfjs.TfjsHostileFiles;
import dev.heft.core.format.tflite.TfliteHostileFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every hostile input heft is tested against, from every format's generator: what the bounded-memory test runs under
 * a 64 MiB heap and the CLI runs through every command. Add a case in the format's {@code *HostileFiles} class and it
 * is covered everywhere.
 */
public final class HostileCorpus {
    private HostileCorpus() {}

    public static List<HostileCase> all() {
        List<HostileCase> all = new ArrayList<>();
        all.addAll(GgufHostileFiles.cases());
        all.addAll(SafetensorsHostileFiles.cases());
        all.addAll(OnnxHostileFiles.cases());
        all.addAll(PyTorchHostileFiles.cases());
        all.addAll(TfliteHostileFiles.cases());
        all.addAll(TfjsHostileFiles.cases());
        all.addAll(KerasHostileFiles.cases());
        all.addAll(HfConfigHostileFiles.cases());
        return all;
    }

    /** Writes every case into its own folder under {@code root}; the paths to hand heft, by case. */
    public static Map<HostileCase, Path> writeAll(Path root) throws IOException {
        Map<HostileCase, Path> written = new LinkedHashMap<>();
        for (HostileCase c : all()) {
            written.put(c, c.write(Files.createDirectories(root.resolve(c.id().replace('^', '_')))));
        }
        return written;
    }

    /** Writes the corpus under {@code args[0]} and prints each case's id and path (for running heft on it by hand). */
    public static void main(String[] args) throws IOException {
        for (Map.Entry<HostileCase, Path> e : writeAll(Path.of(args[0])).entrySet()) {
            System.out.println(e.getKey().id() + "\t" + e.getKey().expected() + "\t" + e.getValue());
        }
    }
}
