package dev.heft.core.model;

import dev.heft.core.format.safetensors.ShardIndex;
import dev.heft.core.model.ModelChoice.WeightSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether an HF cache snapshot holds a whole model. huggingface_hub downloads file by file, so a snapshot may hold only
 * what some program asked for (a config.json from {@code AutoConfig}, half the shards of an interrupted download).
 * Such a snapshot is not the repo: online, heft reads the repo from the Hub instead of counting a fragment.
 */
final class CachedSnapshot {
    private static final Pattern GGUF_SPLIT = Pattern.compile("(.+)-(\\d{5})-of-(\\d{5})\\.gguf");

    private CachedSnapshot() {}

    static boolean complete(Path target) throws IOException {
        if (Files.isRegularFile(target)) {
            String name = target.getFileName().toString();
            if (WeightFileKind.of(name).orElse(null) == WeightFileKind.SAFETENSORS_INDEX) {
                return shardsPresent(target);
            }
            Matcher m = GGUF_SPLIT.matcher(name);
            if (m.matches()) {
                int count = Integer.parseInt(m.group(3));
                for (int i = 1; i <= count && count < 100_000; i++) {
                    if (!Files.isRegularFile(
                            target.resolveSibling(String.format("%s-%05d-of-%05d.gguf", m.group(1), i, count)))) {
                        return false;
                    }
                }
            }
            return true;
        }
        List<ModelChoice.Listed> listing = LocalWeights.list(target, true);
        ModelChoice.Choice choice = ModelChoice.choose(listing, rel -> true);
        if (!(choice instanceof ModelChoice.One one)) {
            // Several models are an answer of their own (listed for the user); no weights at all is a fragment.
            return choice instanceof ModelChoice.Several;
        }
        return switch (one.set()) {
            case WeightSet.SafetensorsIndexed i -> shardsPresent(target.resolve(i.index()));
            case WeightSet.Gguf g -> complete(target.resolve(g.parts().getFirst()));
            default -> true;
        };
    }

    private static boolean shardsPresent(Path index) throws IOException {
        ShardIndex parsed = ShardIndex.read(index);
        for (String shard : parsed.shardNames()) {
            if (!Files.isRegularFile(parsed.folder().resolve(shard))) {
                return false;
            }
        }
        return true;
    }
}
