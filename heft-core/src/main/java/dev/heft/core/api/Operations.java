package dev.heft.core.api;

import static dev.heft.core.api.Params.BATCH;
import static dev.heft.core.api.Params.BUDGET;
import static dev.heft.core.api.Params.CATEGORY;
import static dev.heft.core.api.Params.CHECKPOINTING;
import static dev.heft.core.api.Params.CONTEXT;
import static dev.heft.core.api.Params.CONTEXTS;
import static dev.heft.core.api.Params.DEVICE;
import static dev.heft.core.api.Params.DEVICES;
import static dev.heft.core.api.Params.DISTILL;
import static dev.heft.core.api.Params.DTYPE;
import static dev.heft.core.api.Params.ESTIMATE_TENSORS;
import static dev.heft.core.api.Params.FIT_DTYPES;
import static dev.heft.core.api.Params.GPUS;
import static dev.heft.core.api.Params.INCLUDE_VECTORS;
import static dev.heft.core.api.Params.INPUT;
import static dev.heft.core.api.Params.KEEP;
import static dev.heft.core.api.Params.LAYERS;
import static dev.heft.core.api.Params.LORA;
import static dev.heft.core.api.Params.MACS;
import static dev.heft.core.api.Params.ONLY_FITTING;
import static dev.heft.core.api.Params.OPTIMIZER;
import static dev.heft.core.api.Params.PRECISION_TABLE;
import static dev.heft.core.api.Params.PROMPT;
import static dev.heft.core.api.Params.PRUNE;
import static dev.heft.core.api.Params.PRUNE_SCHEMES;
import static dev.heft.core.api.Params.QLORA;
import static dev.heft.core.api.Params.QUANT;
import static dev.heft.core.api.Params.RECIPE;
import static dev.heft.core.api.Params.ROWS;
import static dev.heft.core.api.Params.RUNTIME;
import static dev.heft.core.api.Params.SCHEMES;
import static dev.heft.core.api.Params.SOURCES;
import static dev.heft.core.api.Params.SPARSE_FORMAT;
import static dev.heft.core.api.Params.TENSORS;
import static dev.heft.core.api.Params.THREADS;
import static dev.heft.core.api.Params.TOP;
import static dev.heft.core.api.Params.TRAIN;
import static dev.heft.core.api.Params.TRAINING_ONLY;
import static dev.heft.core.api.Params.WORKLOAD;
import static dev.heft.core.api.Params.ZERO;

import dev.heft.core.api.report.CatalogReport;
import dev.heft.core.api.report.CompareReport;
import dev.heft.core.api.report.CompressReport;
import dev.heft.core.api.report.DevicesReport;
import dev.heft.core.api.report.EstimateReport;
import dev.heft.core.api.report.FitReport;
import dev.heft.core.api.report.InspectReport;
import dev.heft.core.api.report.MemoryReport;
import dev.heft.core.api.report.ModelsReport;
import dev.heft.core.api.report.NetworkFitReport;
import dev.heft.core.api.report.NetworkMemoryReport;
import dev.heft.core.api.report.NetworkSpeedReport;
import dev.heft.core.api.report.QuantErrorReport;
import dev.heft.core.api.report.SpeedReport;
import dev.heft.core.api.report.TrainingReport;
import dev.heft.core.api.request.CatalogRequest;
import dev.heft.core.api.request.CompareRequest;
import dev.heft.core.api.request.CompressRequest;
import dev.heft.core.api.request.DevicesRequest;
import dev.heft.core.api.request.EstimateRequest;
import dev.heft.core.api.request.FitRequest;
import dev.heft.core.api.request.InspectRequest;
import dev.heft.core.api.request.MemoryRequest;
import dev.heft.core.api.request.ModelsRequest;
import dev.heft.core.api.request.NetworkFitRequest;
import dev.heft.core.api.request.NetworkMemoryRequest;
import dev.heft.core.api.request.NetworkSpeedRequest;
import dev.heft.core.api.request.QuantErrorRequest;
import dev.heft.core.api.request.SpeedRequest;
import dev.heft.core.api.request.TrainingRequest;
import dev.heft.core.api.request.TrainingTimeRequest;
import dev.heft.core.api.request.Workload;
import dev.heft.core.error.InvalidInputException;
import dev.heft.core.plan.WeightPlans;
import dev.heft.core.view.CatalogView;
import dev.heft.core.view.CompareView;
import dev.heft.core.view.CompressView;
import dev.heft.core.view.DevicesView;
import dev.heft.core.view.EstimateView;
import dev.heft.core.view.FitView;
import dev.heft.core.view.InspectView;
import dev.heft.core.view.MemoryView;
import dev.heft.core.view.ModelsView;
import dev.heft.core.view.NetworkView;
import dev.heft.core.view.QuantErrorView;
import dev.heft.core.view.SpeedView;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Every heft operation, in the order help lists them. */
public final class Operations {
    private Operations() {}

    public static final Operation<InspectRequest> INSPECT = new Operation<>(
            "inspect",
            "Exact weight accounting of a stored model.",
            "Exact weight accounting of a model file: parameters, bytes, dtypes, and where the parameters sit "
                    + "(embeddings, attention, MLP, experts, norms, ...). Reads headers only.",
            Operation.Models.ONE,
            List.of(TENSORS),
            v -> new InspectRequest(v.get(TENSORS)),
            (heft, models, q, progress) -> models.getFirst().inspect(q),
            (r, q) -> InspectView.of((InspectReport) r),
            List.of(InspectReport.class),
            false);

    public static final Operation<EstimateRequest> ESTIMATE = new Operation<>(
            "estimate",
            "Exact parameters and FLOPs from an architecture.",
            "Exact parameter counts and FLOPs from an architecture (a config.json, a catalog name, or the config "
                    + "beside a model file), and how they scale with context: parameters constant, KV cache linear, "
                    + "attention FLOPs quadratic over a sequence.",
            Operation.Models.ONE,
            List.of(CONTEXTS, MACS, INPUT, ESTIMATE_TENSORS, LAYERS),
            v -> new EstimateRequest(
                    v.get(CONTEXTS), v.get(MACS), v.optional(INPUT), v.get(ESTIMATE_TENSORS), v.get(LAYERS)),
            (heft, models, q, progress) -> models.getFirst().estimate(q),
            (r, q) -> EstimateView.of((EstimateReport) r),
            List.of(EstimateReport.class),
            true);

    /**
     * {@code memory}: inference by default, training with {@code --train}, a torch.nn network's own for torchvision
     * models and layer specs; the options of the others are refused.
     */
    public static final Operation<Object> MEMORY = new Operation<>(
            "memory",
            "Inference or training memory, part by part.",
            "What a model costs in memory: weights at each precision, and inference (weights + KV cache + activations "
                    + "+ overhead) or training (+ gradients + optimizer states) memory, each part with its formula. "
                    + "A vision model or layer spec: weights, input and peak activations per image, at fp32, fp16, "
                    + "bf16, int8 or fp8.",
            Operation.Models.ONE,
            concat(List.of(DTYPE, PRECISION_TABLE, BUDGET), WORKLOAD, List.of(TRAIN), TRAINING_ONLY, List.of(INPUT)),
            Operations::memoryRequest,
            (heft, models, q, progress) -> switch (q) {
                case TrainingRequest t -> models.getFirst().training(t);
                case NetworkMemoryRequest n -> models.getFirst().networkMemory(n);
                default -> models.getFirst().memory((MemoryRequest) q);
            },
            (r, q) -> switch (r) {
                case TrainingReport t -> MemoryView.of(t);
                case NetworkMemoryReport n -> NetworkView.memory(n);
                default -> MemoryView.of((MemoryReport) r);
            },
            List.of(MemoryReport.class, TrainingReport.class, NetworkMemoryReport.class),
            true);

    /** {@code fit}: transformers in tokens, torch.nn networks (vision models, layer specs) in images. */
    public static final Operation<Object> FIT = new Operation<>(
            "fit",
            "Which devices a model fits, at which precisions, how fast.",
            "Devices x precisions: fits or not (with the headroom), the longest context at batch 1, estimated decode "
                    + "and prefill tokens/s and time to first token. A vision model or layer spec: the largest batch "
                    + "and images/s, at fp32, fp16, bf16, int8 and fp8.",
            Operation.Models.ONE,
            concat(
                    List.of(DEVICES, FIT_DTYPES, Params.ONLY_FITTING),
                    WORKLOAD,
                    List.of(Params.HOST, Params.FIT_TRAIN, OPTIMIZER, RECIPE, CHECKPOINTING, Params.FIT_LORA, INPUT)),
            Operations::fitRequest,
            (heft, models, q, progress) -> q instanceof NetworkFitRequest n
                    ? models.getFirst().networkFit(n)
                    : models.getFirst().fit((FitRequest) q),
            (r, q) -> r instanceof NetworkFitReport n ? NetworkView.fit(n) : FitView.of((FitReport) r),
            List.of(FitReport.class, NetworkFitReport.class),
            true);

    /** {@code speed}: transformers in tokens/s, torch.nn networks (vision models, layer specs) in images/s. */
    public static final Operation<Object> SPEED = new Operation<>(
            "speed",
            "Decode and prefill speed on one device.",
            "Estimated decode (memory-bound) and prefill (compute-bound) speed on one device, with the efficiency "
                    + "factors stated. A vision model or layer spec: images/s at a precision and batch.",
            Operation.Models.ONE,
            concat(List.of(DEVICE, DTYPE, PROMPT), WORKLOAD, List.of(Params.HOST, INPUT)),
            Operations::speedRequest,
            (heft, models, q, progress) -> q instanceof NetworkSpeedRequest n
                    ? models.getFirst().networkSpeed(n)
                    : models.getFirst().speed((SpeedRequest) q),
            (r, q) -> r instanceof NetworkSpeedReport n ? NetworkView.speed(n) : SpeedView.of((SpeedReport) r),
            List.of(SpeedReport.class, NetworkSpeedReport.class),
            true);

    public static final Operation<CompressRequest> COMPRESS = new Operation<>(
            "compress",
            "What quantization, pruning or distillation would buy.",
            "What quantization, pruning or distillation would buy: parameters, bytes, bits per weight and memory "
                    + "before and after, and the devices it newly fits.",
            Operation.Models.ONE,
            concat(List.of(QUANT, PRUNE, DISTILL, KEEP, SPARSE_FORMAT, DEVICES), WORKLOAD),
            v -> new CompressRequest(
                    v.optional(QUANT),
                    v.optional(PRUNE),
                    v.optional(DISTILL),
                    v.optional(KEEP),
                    v.optional(SPARSE_FORMAT),
                    v.get(DEVICES),
                    Params.workload(v)),
            (heft, models, q, progress) -> models.getFirst().compress(q),
            (r, q) -> CompressView.of((CompressReport) r),
            List.of(CompressReport.class),
            true);

    public static final Operation<QuantErrorRequest> QUANT_ERROR = new Operation<>(
            "quant-error",
            "Measured quantization error on real weights.",
            "Measured quantization error on real weights: every floating-point tensor goes through each scheme's "
                    + "quantize -> dequantize round trip, streamed from the file. llama.cpp types reproduce llama.cpp "
                    + "bit for bit.",
            Operation.Models.ONE,
            List.of(SCHEMES, PRUNE_SCHEMES, THREADS, INCLUDE_VECTORS, TOP, ROWS),
            v -> new QuantErrorRequest(
                    v.get(SCHEMES),
                    v.optional(PRUNE_SCHEMES).orElse(List.of()),
                    v.optional(THREADS),
                    v.get(INCLUDE_VECTORS),
                    v.get(TOP),
                    v.get(ROWS)),
            (heft, models, q, progress) -> models.getFirst().quantError(q, progress),
            (r, q) -> QuantErrorView.of((QuantErrorReport) r, q.rows()),
            List.of(QuantErrorReport.class),
            false);

    public static final Operation<CompareRequest> COMPARE = new Operation<>(
            "compare",
            "Models side by side.",
            "Side-by-side columns for any models: parameters and where they sit, weight bytes, KV cache per token, "
                    + "FLOPs per token and inference memory at one context.",
            Operation.Models.TWO_OR_MORE,
            concat(List.of(DTYPE), WORKLOAD),
            v -> new CompareRequest(v.optional(DTYPE), Params.workload(v)),
            (heft, models, q, progress) -> heft.compare(models, q),
            (r, q) -> CompareView.of((CompareReport) r),
            List.of(CompareReport.class),
            false);

    public static final Operation<CatalogRequest> CATALOG = new Operation<>(
            "catalog",
            "The built-in models.",
            "The built-in models: published configs, counted by the engine (no stored weights needed). With "
                    + "--families, the Hugging Face model types counted exactly and how the rest are approximated.",
            Operation.Models.NONE,
            List.of(Params.FAMILIES),
            v -> new CatalogRequest(v.get(Params.FAMILIES)),
            (heft, models, q, progress) -> heft.catalog(q),
            (r, q) -> CatalogView.of((CatalogReport) r),
            List.of(CatalogReport.class),
            true);

    public static final Operation<DevicesRequest> DEVICES_LIST = new Operation<>(
            "devices",
            "The device catalog.",
            "The device catalog: memory, usable memory, bandwidth and peak throughput, with the datasheet behind "
                    + "each number.",
            Operation.Models.NONE,
            List.of(CATEGORY, SOURCES),
            v -> new DevicesRequest(v.optional(CATEGORY), v.get(SOURCES)),
            (heft, models, q, progress) -> heft.devices(q),
            (r, q) -> DevicesView.of((DevicesReport) r, q.sources()),
            List.of(DevicesReport.class),
            true);

    /** Not served over HTTP: it lists this machine's own model stores. */
    public static final Operation<ModelsRequest> MODELS = new Operation<>(
            "models",
            "The models on this machine.",
            "The models on this machine: the Hugging Face cache (HF_HUB_CACHE), the Ollama store (OLLAMA_MODELS) and "
                    + "LM Studio's folders, with format, parameters, bytes on disk and the MODEL string that names "
                    + "each. Reads headers only, never the network; a model that cannot be read is a row with its "
                    + "error.",
            Operation.Models.NONE,
            List.of(Params.CLEAR_HEADER_CACHE),
            v -> new ModelsRequest(v.get(Params.CLEAR_HEADER_CACHE)),
            (heft, models, q, progress) -> heft.localModels(q),
            (r, q) -> ModelsView.of((ModelsReport) r),
            List.of(ModelsReport.class),
            false);

    /** Every operation, in the order help lists them. */
    public static final List<Operation<?>> ALL = List.of(
            INSPECT, ESTIMATE, MEMORY, FIT, SPEED, COMPRESS, QUANT_ERROR, COMPARE, CATALOG, MODELS, DEVICES_LIST);

    public static Optional<Operation<?>> named(String name) {
        return ALL.stream().filter(o -> o.name().equals(name)).findFirst();
    }

    /**
     * {@code memory}'s request: training with {@code --train}, else inference. An option of the other kind is refused,
     * never ignored ({@code --lora} without {@code --train}, {@code --budget} or {@code --dtypes} with it).
     */
    private static Object memoryRequest(ParamValues v, List<Model> models) {
        if (isNetwork(models)) {
            refuseForNetworks(v, List.of(DTYPE, PRECISION_TABLE, BUDGET, BATCH, INPUT));
            // --dtypes without a value is the model's default table: a network's is its own (fp32, fp16, bf16, int8,
            // fp8), which the empty list stands for
            Optional<List<String>> table =
                    v.optional(PRECISION_TABLE).map(t -> t.equals(List.of(WeightPlans.DEFAULT)) ? List.of() : t);
            return new NetworkMemoryRequest(
                    v.optional(DTYPE), table, v.optional(BUDGET), given(v, BATCH), v.optional(INPUT));
        }
        refuseInput(v);
        if (v.get(TRAIN)) {
            for (var p : inferenceOnly()) {
                if (v.isGiven(p)) {
                    throw new InvalidInputException(p + " applies to inference; training memory (--train) is sized "
                            + "by --batch, --context and the training options");
                }
            }
            Optional<TrainingTimeRequest> time = v.optional(Params.TRAIN_DEVICES)
                    .map(devices -> new TrainingTimeRequest(devices, v.get(Params.TOKENS), v.optional(Params.MFU)));
            if (time.isEmpty() && (v.isGiven(Params.TOKENS) || v.isGiven(Params.MFU))) {
                throw new InvalidInputException(
                        "--tokens and --mfu time a training run: name the devices with " + "--devices");
            }
            return new TrainingRequest(
                    v.get(BATCH),
                    v.get(CONTEXT),
                    v.get(OPTIMIZER),
                    v.get(RECIPE),
                    v.get(CHECKPOINTING),
                    v.get(ZERO),
                    v.get(GPUS),
                    v.get(Params.OFFLOAD),
                    v.get(LORA),
                    v.get(QLORA),
                    v.get(RUNTIME),
                    time);
        }
        for (var p : TRAINING_ONLY) {
            if (v.isGiven(p)) {
                throw new InvalidInputException(p + " applies to training: add --train");
            }
        }
        return new MemoryRequest(
                v.optional(DTYPE), Params.workload(v), v.optional(PRECISION_TABLE), v.optional(BUDGET));
    }

    /** Options that size an inference, refused with {@code --train} (training is sized by batch and context). */
    private static List<Param<?>> inferenceOnly() {
        List<Param<?>> out = new ArrayList<>(List.of(DTYPE, PRECISION_TABLE, BUDGET));
        for (Param<?> p : Params.WORKLOAD) {
            if (p != BATCH && p != CONTEXT && p != RUNTIME) {
                out.add(p);
            }
        }
        return out;
    }

    /** {@code fit}: the training options only mean something with {@code --train}. */
    private static Object fitRequest(ParamValues v, List<Model> models) {
        if (isNetwork(models)) {
            refuseForNetworks(v, List.of(DEVICES, FIT_DTYPES, ONLY_FITTING, BATCH, INPUT));
            return new NetworkFitRequest(
                    v.isGiven(DEVICES) ? v.get(DEVICES) : NetworkFitRequest.DEFAULT_DEVICES,
                    v.isGiven(FIT_DTYPES) ? v.get(FIT_DTYPES) : NetworkFitRequest.DEFAULT_DTYPES,
                    v.get(ONLY_FITTING),
                    given(v, BATCH),
                    v.optional(INPUT));
        }
        refuseInput(v);
        Workload w = Params.workload(v);
        Optional<TrainingRequest> training = Optional.empty();
        if (v.get(Params.FIT_TRAIN)) {
            training = Optional.of(new TrainingRequest(
                    w.batch(),
                    w.context(),
                    v.get(OPTIMIZER),
                    v.get(RECIPE),
                    v.get(CHECKPOINTING),
                    0,
                    1,
                    false,
                    v.get(Params.FIT_LORA),
                    false,
                    w.runtime()));
        } else {
            for (Param<?> p : List.of(OPTIMIZER, RECIPE, CHECKPOINTING, Params.FIT_LORA)) {
                if (v.isGiven(p)) {
                    throw new InvalidInputException(p + " applies to the training verdicts: add --train");
                }
            }
        }
        return new FitRequest(
                v.get(DEVICES), v.get(FIT_DTYPES), v.get(ONLY_FITTING), w, v.optional(Params.HOST), training);
    }

    private static Object speedRequest(ParamValues v, List<Model> models) {
        if (isNetwork(models)) {
            refuseForNetworks(v, List.of(DEVICE, DTYPE, BATCH, INPUT));
            return new NetworkSpeedRequest(v.get(DEVICE), v.optional(DTYPE), given(v, BATCH), v.optional(INPUT));
        }
        refuseInput(v);
        return new SpeedRequest(
                v.get(DEVICE), v.optional(DTYPE), v.optional(PROMPT), Params.workload(v), v.optional(Params.HOST));
    }

    private static boolean isNetwork(List<Model> models) {
        return models.size() == 1 && models.getFirst().isNetwork();
    }

    /**
     * A torch.nn network is sized by its precision, batch and input: a transformer's option (context, KV cache,
     * runtime, training) is refused rather than ignored.
     */
    private static void refuseForNetworks(ParamValues v, List<Param<?>> allowed) {
        for (Param<?> p : v.givenParams()) {
            if (!allowed.contains(p)) {
                throw new InvalidInputException(p + " applies to transformer models; a torch.nn network takes "
                        + String.join(
                                ", ", allowed.stream().map(Param::toString).toList())
                        + " (precisions fp32, fp16, bf16, int8, fp8)");
            }
        }
    }

    private static void refuseInput(ParamValues v) {
        if (v.isGiven(INPUT)) {
            throw new InvalidInputException("input: an input shape applies to torch.nn networks (vision models, layer "
                    + "specs); a transformer is sized by --context");
        }
    }

    /** The value the user gave; for a network, the batch defaults to its input's own rather than the option's 1. */
    private static <T> Optional<T> given(ParamValues v, Param<T> p) {
        return v.isGiven(p) ? v.optional(p) : Optional.empty();
    }

    @SafeVarargs
    private static List<Param<?>> concat(List<? extends Param<?>>... lists) {
        List<Param<?>> out = new ArrayList<>();
        for (List<? extends Param<?>> l : lists) {
            out.addAll(l);
        }
        return List.copyOf(out);
    }
}
