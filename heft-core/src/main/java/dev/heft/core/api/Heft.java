package dev.heft.core.api;

import dev.heft.core.api.report.CatalogReport;
import dev.heft.core.api.report.CompareReport;
import dev.heft.core.api.report.DevicesReport;
import dev.heft.core.api.report.ModelsReport;
import dev.heft.core.api.request.CatalogRequest;
import dev.heft.core.api.request.CompareRequest;
import dev.heft.core.api.request.DevicesRequest;
import dev.heft.core.api.request.ModelsRequest;
import dev.heft.core.error.InvalidInputException;
import dev.heft.core.error.ReadFailureException;
import dev.heft.core.format.HeaderOnly;
import dev.heft.core.hardware.DeviceCatalog;
import dev.heft.core.hardware.DeviceRegistry;
import dev.heft.core.hardware.local.LocalDetector;
import dev.heft.core.json.Json;
import dev.heft.core.json.JsonException;
import dev.heft.core.json.JsonValue;
import dev.heft.core.model.ModelResolver;
import dev.heft.core.model.ResolvedModel;
import dev.heft.core.model.ResolverSettings;
import dev.heft.core.quant.KernelPrelink;
import dev.heft.core.service.CatalogService;
import dev.heft.core.service.CompareService;
import dev.heft.core.service.DevicesService;
import dev.heft.core.service.ModelsService;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * heft as a library: open a model by any name a user would type, then ask it questions.
 *
 * <pre>{@code
 * Heft heft = Heft.create();
 * Model model = heft.open("llama-3-8b");            // a catalog id, a file, a folder, a config.json
 * FitReport fit = model.fit(FitRequest.defaults());
 * }</pre>
 *
 * A {@code Heft} carries its settings: the devices its requests may name (the built-in catalog, a user's devices file,
 * this machine as {@code local} when asked for) and where models may come from (the Hugging Face endpoint, token, cache
 * and offline flag, read from the environment once when it is built). It holds no global state and is safe to share
 * between threads; two instances never see each other's devices.
 */
public final class Heft {
    private final DeviceRegistry devices;
    private final ResolverSettings settings;
    private final ModelResolver resolver;

    private Heft(DeviceRegistry devices, ResolverSettings settings) {
        this.devices = devices;
        this.settings = settings;
        this.resolver = new ModelResolver(settings);
    }

    /** heft with the built-in device catalog only (no user devices, no {@code local}). */
    public static Heft create() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * For a process that is about to run {@code quant-error} and has a second core idle while it starts up: links the
     * error kernel's vector call sites on a daemon thread now, so the scan's first worker does not (0.1-0.2 s off its
     * critical path where the JVM has no archived lambdas for the Vector API; bench/RESULTS-quant.md, session 6).
     * Results never depend on it; only the first call in a JVM starts the thread.
     */
    public static void prepareQuantError() {
        KernelPrelink.startInBackground();
    }

    /**
     * Opens a MODEL as every command takes it: a model file (read by its magic bytes, header only), a folder of
     * weights, a Hugging Face {@code config.json}, a layer spec, a catalog id, a Hub repo ({@code hf://OWNER/NAME},
     * from the HF cache or from header bytes over HTTP), an {@code https://} weight file, or {@code ollama://NAME:TAG}.
     *
     * @throws dev.heft.core.error.HeftException a one-line reason when it cannot be opened (corrupt, unsupported,
     *                                           unknown, unreadable)
     */
    public Model open(String model) {
        try {
            return new Model(this, resolver.resolve(model));
        } catch (IOException e) {
            throw ReadFailureException.of(model, e);
        }
    }

    public Model open(Path path) {
        return open(path.toString());
    }

    /** A catalog model only (an LLM or torchvision id); never a path. What the HTTP API resolves. */
    public Model catalogModel(String id) {
        return new Model(this, ModelResolver.catalog(id));
    }

    /** An inline Hugging Face config.json, counted analytically. */
    public Model fromConfig(String label, String configJson) {
        JsonValue v = Json.parse(configJson);
        if (!(v instanceof JsonValue.JsonObject o)) {
            throw new InvalidInputException("config: expected a config.json object, found " + v.typeName());
        }
        return fromConfig(label, o);
    }

    public Model fromConfig(String label, JsonValue.JsonObject config) {
        try {
            return new Model(this, ResolvedModel.Described.of(label, config, "inline config.json"));
        } catch (InvalidInputException e) {
            throw new InvalidInputException("config: " + e.getMessage(), e);
        }
    }

    /** What reading a header prefix gave: the model, or how many bytes to send instead. */
    public sealed interface HeaderRead permits HeaderRead.Read, HeaderRead.NeedMore {
        record Read(Model model) implements HeaderRead {}

        /** The prefix stopped inside the header (GGUF has no length prefix); send at least this many bytes. */
        record NeedMore(long atLeast) implements HeaderRead {}
    }

    /**
     * A model from the first bytes of a safetensors or GGUF file (what a browser sends): everything a file read checks
     * except the tensor data, which is never there.
     *
     * @param name the file name, only a label
     * @param size the whole file's size in bytes
     */
    public HeaderRead fromHeader(byte[] head, String name, long size) {
        return fromHeader(head, name, size, Optional.empty());
    }

    /**
     * As {@link #fromHeader(byte[], String, long)}, with the model's {@code config.json} attached as a folder's would
     * be: a safetensors header alone says what is stored, its config what the network is (KV cache, activations,
     * llama.cpp plans).
     */
    public HeaderRead fromHeader(byte[] head, String name, long size, Optional<JsonValue.JsonObject> config) {
        return switch (HeaderOnly.read(head, name, size)) {
            case HeaderOnly.NeedMore more -> new HeaderRead.NeedMore(more.atLeast());
            case HeaderOnly.Parsed parsed ->
                new HeaderRead.Read(new Model(
                        this,
                        new ResolvedModel.Stored(
                                name, config.map(parsed.inventory()::withConfig).orElse(parsed.inventory()))));
        };
    }

    /** The built-in models. */
    public CatalogReport catalog() {
        return CatalogService.run();
    }

    /** The built-in models, or with {@code families} the Hugging Face model types counted exactly and approximately. */
    public CatalogReport catalog(CatalogRequest request) {
        return CatalogService.run(request);
    }

    /** The models on this machine: the HF cache, the Ollama store, LM Studio's folders (header-only, no network). */
    public ModelsReport localModels(ModelsRequest request) {
        try {
            return ModelsService.run(settings, request);
        } catch (IOException e) {
            throw ReadFailureException.of(settings.hubCache().toString(), e);
        }
    }

    /** Whether {@link #open} may read a Hugging Face Hub repo ({@code hf://}); a server says so to its page. */
    public boolean allowsHub() {
        return settings.access().hub();
    }

    /** The devices heft knows, with their datasheet sources. */
    public DevicesReport devices(DevicesRequest request) {
        return DevicesService.run(request, devices);
    }

    /** The devices this instance's requests may name. */
    DeviceRegistry deviceRegistry() {
        return devices;
    }

    /** Side-by-side columns for several models at one workload. */
    public CompareReport compare(List<Model> models, CompareRequest request) {
        if (models.size() < 2) {
            throw new InvalidInputException("compare: give two or more models");
        }
        List<dev.heft.core.model.ModelProfile> profiles = new ArrayList<>();
        models.forEach(m -> profiles.add(m.profile()));
        return CompareService.run(profiles, request);
    }

    public static final class Builder {
        private DeviceRegistry devices = DeviceRegistry.builtIn();
        private Map<String, String> environment = System.getenv();
        private Path home = Path.of(System.getProperty("user.home", "."));
        private Optional<Boolean> offline = Optional.empty();
        private Optional<Boolean> headerCache = Optional.empty();
        private boolean allowPaths = true;
        private boolean allowHub = true;
        private boolean allowUrls = true;
        private Progress progress = Progress.NONE;

        private Builder() {}

        /**
         * Adds the devices of a JSON file shaped like {@code heft devices --json} ({@code {"devices": [...]}}); a device
         * with a built-in id replaces the built-in one, for this instance only.
         */
        public Builder devicesFile(Path file) {
            try {
                devices = devices.withUserDevices(DeviceCatalog.fromFile(file));
            } catch (IOException e) {
                throw ReadFailureException.of(file.toString(), e);
            } catch (JsonException e) {
                // The parser's message names a character offset but not the file.
                throw new InvalidInputException(
                        file + ": not a devices file (" + e.getMessage() + "); expected JSON "
                                + "shaped like 'heft devices --json'",
                        e);
            }
            return this;
        }

        /**
         * The environment variables ({@code HF_ENDPOINT}, {@code HF_TOKEN}, {@code HF_HOME}, {@code HF_HUB_CACHE},
         * {@code HF_HUB_OFFLINE}, {@code OLLAMA_MODELS}, {@code HEFT_CACHE_DIR}, {@code HEFT_HEADER_CACHE}) and home
         * folder the model stores are found from; by default this process's.
         */
        public Builder environment(Map<String, String> variables, Path homeFolder) {
            this.environment = Map.copyOf(variables);
            this.home = homeFolder;
            return this;
        }

        /** Never open a network connection (as {@code HF_HUB_OFFLINE=1}); cached Hub repos still open. */
        public Builder offline(boolean value) {
            this.offline = Optional.of(value);
            return this;
        }

        /** Keep remote headers under heft's cache folder (as {@code HEFT_HEADER_CACHE=1}). */
        public Builder headerCache(boolean value) {
            this.headerCache = Optional.of(value);
            return this;
        }

        /**
         * What {@link #open} may read: local paths (and the stores on this machine), Hub repos, URLs. A server answering
         * requests allows none of them, or only the Hub: a request must never make it open its own files or fetch from
         * hosts of the requester's choosing.
         */
        public Builder allow(boolean paths, boolean hub, boolean urls) {
            this.allowPaths = paths;
            this.allowHub = hub;
            this.allowUrls = urls;
            return this;
        }

        /** Told how fetching a remote model's headers goes ({@code files}: done of total). */
        public Builder progress(Progress value) {
            this.progress = value;
            return this;
        }

        /**
         * Lets requests name this machine as {@code local} ({@code --device local}) and lists it in {@link #devices}.
         * It is detected the first time it is asked for (nvidia-smi, sysctl, /proc, each with a timeout), never when
         * only catalog ids are used. Off by default: a server must not describe the machine it runs on.
         */
        public Builder localDevice() {
            devices = devices.withLocal(LocalDetector::detectSystem);
            return this;
        }

        public Heft build() {
            ResolverSettings s = ResolverSettings.fromEnvironment(environment, home)
                    .withAccess(new ResolverSettings.Access(allowPaths, allowHub, allowUrls));
            if (offline.isPresent()) {
                s = s.withOffline(offline.get());
            }
            if (headerCache.isPresent()) {
                s = s.withHeaderCache(headerCache.get());
            }
            Progress p = progress;
            if (p != Progress.NONE) {
                s = s.withProgress((done, total, bytes) ->
                        p.update(done, total, "files", "heft: headers, " + dev.heft.core.report.Units.bytes(bytes)));
            }
            return new Heft(devices, s);
        }
    }
}
