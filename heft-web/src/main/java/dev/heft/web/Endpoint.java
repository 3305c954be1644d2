package dev.heft.web;

import dev.heft.core.model.ResolvedModel;
import dev.heft.core.service.CatalogService;
import dev.heft.core.service.CompressService;
import dev.heft.core.service.DevicesService;
import dev.heft.core.service.EstimateService;
import dev.heft.core.service.FitService;
import dev.heft.core.service.MemoryService;
import dev.heft.core.service.Options;
import dev.heft.core.service.Result;
import dev.heft.core.service.SpeedService;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * The JSON API: one constant per CLI command, answering with exactly that command's {@code --json} object. A new
 * core service (say {@code CompressService}) is one more line here.
 */
enum Endpoint {
    ESTIMATE("/api/estimate", true, EstimateService::run),
    MEMORY("/api/memory", true, MemoryService::run),
    FIT("/api/fit", true, FitService::run),
    SPEED("/api/speed", true, SpeedService::run),
    COMPRESS("/api/compress", true, CompressService::run),
    CATALOG("/api/catalog", false, (m, o) -> CatalogService.run(o)),
    DEVICES("/api/devices", false, (m, o) -> DevicesService.run(o));

    private final String path;
    private final boolean needsModel;
    private final BiFunction<ResolvedModel, Options, Result> service;

    Endpoint(String path, boolean needsModel, BiFunction<ResolvedModel, Options, Result> service) {
        this.path = path;
        this.needsModel = needsModel;
        this.service = service;
    }

    String path() {
        return path;
    }

    boolean needsModel() {
        return needsModel;
    }

    Result run(ResolvedModel model, Options options) {
        return service.apply(model, options);
    }

    static Optional<Endpoint> forPath(String path) {
        return Arrays.stream(values()).filter(e -> e.path.equals(path)).findFirst();
    }
}
