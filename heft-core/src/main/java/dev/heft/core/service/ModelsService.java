package dev.heft.core.service;

import dev.heft.core.api.report.ModelsReport;
import dev.heft.core.api.request.ModelsRequest;
import dev.heft.core.hub.HeaderCache;
import dev.heft.core.model.LocalModels;
import dev.heft.core.model.ResolverSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@code heft models}: the models in the stores {@link ResolverSettings} names, listed by {@link LocalModels}. */
public final class ModelsService {
    private ModelsService() {}

    public static ModelsReport run(ResolverSettings settings, ModelsRequest request) throws IOException {
        Optional<Integer> cleared = Optional.empty();
        if (request.clearHeaderCache()) {
            cleared = Optional.of(new HeaderCache(settings.headerCacheFolder()).clear());
        }
        List<ModelsReport.Entry> entries = new ArrayList<>();
        for (LocalModels.Row r : LocalModels.list(settings)) {
            entries.add(new ModelsReport.Entry(
                    r.source().jsonName(),
                    r.id(),
                    r.model(),
                    r.path().toString(),
                    r.format(),
                    r.parameters().isPresent() ? Optional.of(r.parameters().getAsLong()) : Optional.empty(),
                    r.bytes(),
                    r.error()));
        }
        List<String> searched = new ArrayList<>();
        searched.add(settings.hubCache().toString());
        searched.add(settings.ollamaModels().toString());
        settings.lmStudioFolders().stream().map(Path::toString).forEach(searched::add);
        return new ModelsReport(entries, searched, cleared);
    }
}
