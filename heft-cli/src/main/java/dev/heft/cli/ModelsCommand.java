package dev.heft.cli;

import dev.heft.core.hub.HeaderCache;
import dev.heft.core.model.LocalModels;
import dev.heft.core.model.ResolverSettings;
import dev.heft.core.service.ModelsService;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "models", description = {"The models on this machine: the Hugging Face cache (HF_HUB_CACHE), the "
        + "Ollama store (OLLAMA_MODELS) and LM Studio's folders, with format, parameters, bytes on disk and the MODEL "
        + "string that names each. Reads headers only, never the network."})
final class ModelsCommand implements Callable<Integer> {
    @Option(names = "--clear-header-cache", description = "Delete the remote headers heft kept under its cache folder "
            + "(HEFT_CACHE_DIR/headers; kept when HEFT_HEADER_CACHE=1) and exit.")
    boolean clearHeaderCache;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() throws Exception {
        ResolverSettings settings = ResolverSettings.fromEnvironment();
        if (clearHeaderCache) {
            int n = new HeaderCache(settings.headerCacheFolder()).clear();
            output.out().println("heft: removed " + n + " cached header(s) from " + settings.headerCacheFolder());
            output.out().flush();
            return 0;
        }
        List<String> searched = new ArrayList<>();
        searched.add(settings.hubCache().toString());
        searched.add(settings.ollamaModels().toString());
        settings.lmStudioFolders().stream().map(Path::toString).forEach(searched::add);
        return output.print(ModelsService.run(LocalModels.list(settings), searched));
    }
}
