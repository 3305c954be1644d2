package dev.heft.core.api;

import dev.heft.core.api.report.CatalogReport;
import dev.heft.core.api.request.CatalogRequest;
import dev.heft.core.api.report.CompareReport;
import dev.heft.core.api.report.DevicesReport;
import dev.heft.core.api.request.CompareRequest;
import dev.heft.core.api.request.DevicesRequest;
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
import dev.heft.core.service.CatalogService;
import dev.heft.core.service.CompareService;
import dev.heft.core.service.DevicesService;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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
 * this machine as {@code local} when asked for). It holds no global state and is safe to share between threads; two
 * instances never see each other's devices.
 */
public final class Heft {
    private final DeviceRegistry devices;

    private Heft(DeviceRegistry devices) {
        this.devices = devices;
    }

    /** heft with the built-in device catalog only (no user devices, no {@code local}). */
    public static Heft create() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Opens a MODEL as every command takes it: a model file (read by its magic bytes, header only), a folder of
     * weights, a Hugging Face {@code config.json}, a layer spec, or a catalog id.
     *
     * @throws dev.heft.core.error.HeftException a one-line reason when it cannot be opened (corrupt, unsupported,
     *                                           unknown, unreadable)
     */
    public Model open(String model) {
        try {
            return new Model(this, new ModelResolver().resolve(model));
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
        record Read(Model model) implements HeaderRead {
        }

        /** The prefix stopped inside the header (GGUF has no length prefix); send at least this many bytes. */
        record NeedMore(long atLeast) implements HeaderRead {
        }
    }

    /**
     * A model from the first bytes of a safetensors or GGUF file (what a browser sends): everything a file read checks
     * except the tensor data, which is never there.
     *
     * @param name the file name, only a label
     * @param size the whole file's size in bytes
     */
    public HeaderRead fromHeader(byte[] head, String name, long size) {
        return switch (HeaderOnly.read(head, name, size)) {
            case HeaderOnly.NeedMore more -> new HeaderRead.NeedMore(more.atLeast());
            case HeaderOnly.Parsed parsed -> new HeaderRead.Read(new Model(this,
                    new ResolvedModel.Stored(name, parsed.inventory())));
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

        private Builder() {
        }

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
                throw new InvalidInputException(file + ": not a devices file (" + e.getMessage() + "); expected JSON "
                        + "shaped like 'heft devices --json'", e);
            }
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
            return new Heft(devices);
        }
    }
}
