package dev.heft.core.api;

import dev.heft.core.api.request.Attention;
import dev.heft.core.api.request.Choice;
import dev.heft.core.api.request.LlamaCppOptions;
import dev.heft.core.api.request.Logits;
import dev.heft.core.api.request.Optimizer;
import dev.heft.core.api.request.Phase;
import dev.heft.core.api.request.Recipe;
import dev.heft.core.api.request.Runtime;
import dev.heft.core.api.request.VllmOptions;
import dev.heft.core.api.request.Workload;
import dev.heft.core.compress.SparseStorage;
import dev.heft.core.error.InvalidInputException;
import dev.heft.core.memory.KvCache;
import dev.heft.core.memory.LlamaCppSettings;
import dev.heft.core.precision.Precision;
import dev.heft.core.precision.Precisions;
import dev.heft.core.service.MemoryService;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Every option of every operation, each defined once. Operations list the ones they take; the CLI, the HTTP API and
 * the OpenAPI document all read these definitions.
 */
public final class Params {
    private Params() {}

    /**
     * Device lists split at commas that do not start a {@code key=value} pair, so a custom device's own commas stay
     * inside it: {@code h200,rtx-4090,custom:mem=24GB,bw=936,bf16=71} is three devices.
     */
    public static final Pattern DEVICE_LIST = Pattern.compile(",(?![A-Za-z0-9_]+=)");

    // ---- the workload (memory, fit, speed, compress, compare) -----------------------------------------------------

    public static final Param<Long> BATCH = Param.value(
                    "batch",
                    "N",
                    Long.class,
                    Params::batch,
                    "Sequences per batch; images for a vision model or layer spec, replacing its input's first dimension "
                            + "(default: ${DEFAULT-VALUE}).")
            .defaultValue("1");
    public static final Param<Long> CONTEXT = Param.value(
                    "context",
                    "TOKENS",
                    Long.class,
                    Tokens::parse,
                    "Tokens per sequence: 8192, 8k, 128k (default: ${DEFAULT-VALUE}, or the model's limit when that is "
                            + "shorter).")
            .defaultValue("4096");
    public static final Param<Phase> PHASE = choice(
                    "phase",
                    Phase.class,
                    "prefill (the prompt in one pass) or decode " + "(one token per step); default: ${DEFAULT-VALUE}.")
            .defaultValue("prefill");
    public static final Param<Attention> ATTENTION = choice(
                    "attention",
                    Attention.class,
                    "eager (materialises the " + "score matrix), sdpa or flash; default: ${DEFAULT-VALUE}.")
            .defaultValue("sdpa");
    public static final Param<Logits> LOGITS = choice(
                    "logits",
                    Logits.class,
                    "Keep all or only the last " + "position's logits; default: ${DEFAULT-VALUE}.")
            .defaultValue("last");
    public static final Param<String> KV_DTYPE = Param.value(
                    "kv-dtype",
                    "TYPE",
                    String.class,
                    Params::kvDtype,
                    "KV cache type: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
            .defaultValue("bf16")
            .candidates(() -> List.of("bf16", "fp16", "fp32", "fp8", "fp8_e5m2", "q8_0", "q4_0"));
    public static final Param<Runtime> RUNTIME = choice(
                    "runtime",
                    Runtime.class,
                    "Runtime whose overheads are "
                            + "modelled: ${COMPLETION-CANDIDATES}; auto is pytorch on GPUs, llama.cpp elsewhere (default: "
                            + "${DEFAULT-VALUE}).")
            .defaultValue("auto");
    public static final Param<Long> ENCODER_CONTEXT = Param.value(
            "encoder-context",
            "TOKENS",
            Long.class,
            Tokens::parse,
            "Encoder length for encoder-decoder models (default: --context).");

    // llama.cpp's flags (llama-cli / llama-server), named as heft spells its options.
    public static final Param<Long> UBATCH = Param.value(
                    "ubatch",
                    "TOKENS",
                    Long.class,
                    s -> longIn(s, 1, 1L << 20),
                    "llama.cpp -ub: tokens per graph evaluation; its compute buffer is sized for this many (default: "
                            + "${DEFAULT-VALUE}).")
            .defaultValue("512");
    public static final Param<Long> N_BATCH = Param.value(
                    "n-batch",
                    "TOKENS",
                    Long.class,
                    s -> longIn(s, 1, 1L << 20),
                    "llama.cpp -b: tokens per llama_decode call (default: ${DEFAULT-VALUE}).")
            .defaultValue("2048");
    public static final Param<Boolean> FLASH_ATTN = Param.value(
                    "flash-attn",
                    "on|off",
                    Boolean.class,
                    Params::onOff,
                    "llama.cpp -fa: flash attention on or off (default: ${DEFAULT-VALUE}; llama.cpp's auto "
                            + "is on wherever the backend has the kernel).")
            .defaultValue("on")
            .candidates(() -> List.of("on", "off"));
    public static final Param<String> CACHE_TYPE_K = Param.value(
                    "cache-type-k",
                    "TYPE",
                    String.class,
                    Params::llamaCacheType,
                    "llama.cpp -ctk: ${COMPLETION-CANDIDATES} (default: f16, or --kv-dtype when it "
                            + "names one of these).")
            .candidates(Params::llamaCacheTypes);
    public static final Param<String> CACHE_TYPE_V = Param.value(
                    "cache-type-v",
                    "TYPE",
                    String.class,
                    Params::llamaCacheType,
                    "llama.cpp -ctv, as --cache-type-k; a quantized V cache needs flash attention.")
            .candidates(Params::llamaCacheTypes);
    public static final Param<Boolean> NO_KV_OFFLOAD = Param.flag(
            "no-kv-offload", "llama.cpp -nkvo: keep the KV cache (and the attention reading it) in host memory.");
    // vLLM's engine arguments.
    public static final Param<Double> GPU_MEMORY_UTILIZATION = Param.value(
                    "gpu-memory-utilization",
                    "FRACTION",
                    Double.class,
                    s -> fraction("gpu-memory-utilization", s),
                    "vLLM: share of the device it budgets for "
                            + "weights, activations and its KV pool (default: ${DEFAULT-VALUE}).")
            .defaultValue("0.9");
    public static final Param<Long> MAX_NUM_BATCHED_TOKENS = Param.value(
            "max-num-batched-tokens",
            "TOKENS",
            Long.class,
            Tokens::parse,
            "vLLM: tokens per scheduler step with chunked prefill (default: vLLM's for " + "the device).");
    public static final Param<Boolean> ENFORCE_EAGER =
            Param.flag("enforce-eager", "vLLM: no CUDA graphs (and no graph memory pool).");

    /** The workload options, in the order help lists them. */
    public static final List<Param<?>> WORKLOAD = List.of(
            BATCH,
            CONTEXT,
            PHASE,
            ATTENTION,
            LOGITS,
            KV_DTYPE,
            RUNTIME,
            ENCODER_CONTEXT,
            UBATCH,
            N_BATCH,
            FLASH_ATTN,
            CACHE_TYPE_K,
            CACHE_TYPE_V,
            NO_KV_OFFLOAD,
            GPU_MEMORY_UTILIZATION,
            MAX_NUM_BATCHED_TOKENS,
            ENFORCE_EAGER);

    public static Workload workload(ParamValues v) {
        return new Workload(
                        v.get(BATCH),
                        v.get(CONTEXT),
                        v.get(PHASE),
                        v.get(ATTENTION),
                        v.get(LOGITS),
                        v.get(KV_DTYPE),
                        v.get(RUNTIME),
                        v.optional(ENCODER_CONTEXT),
                        new LlamaCppOptions(
                                v.get(N_BATCH),
                                v.get(UBATCH),
                                v.get(FLASH_ATTN),
                                v.optional(CACHE_TYPE_K),
                                v.optional(CACHE_TYPE_V),
                                !v.get(NO_KV_OFFLOAD)),
                        new VllmOptions(
                                v.get(GPU_MEMORY_UTILIZATION),
                                v.optional(MAX_NUM_BATCHED_TOKENS),
                                !v.get(ENFORCE_EAGER)))
                .withDefaultContext(!v.isGiven(CONTEXT));
    }

    /** The host whose memory takes offloaded layers. */
    public static final Param<String> HOST = Param.value(
            "host",
            "DEVICE",
            String.class,
            String::trim,
            "Host memory for offloaded layers: a CPU device id (default: cpu-ddr5's bandwidth; its memory is checked "
                    + "only when named).");

    // ---- precisions and devices -----------------------------------------------------------------------------------

    public static final Param<String> DTYPE = Param.value(
                    "dtype",
                    "FORMAT",
                    String.class,
                    Params::precision,
                    "Weight precision or quantization format: bf16, fp8, int8, q4_k_m, gptq-4bit-g128, nf4, mxfp4, ... "
                            + "(default: native, the model's own: as stored for files, as published for catalog models and "
                            + "configs (quantization_config, torch_dtype), bf16 when a config states none).")
            .candidates(Params::storedPrecisions);
    public static final Param<List<String>> DEVICES = Param.list(
                    "devices",
                    "DEVICES",
                    String.class,
                    String::trim,
                    "Devices, comma-separated: h200, 8xh100-sxm, rtx-4090, custom:mem=24GB,bw=936,bf16=71, local (this "
                            + "machine, on the command line), ... ('heft devices' lists them; default: a spread from "
                            + "data-centre GPUs to phones).")
            .defaultValue(String.join(",", dev.heft.core.api.request.FitRequest.DEFAULT_DEVICES))
            .splitAt(DEVICE_LIST);

    // ---- per command ----------------------------------------------------------------------------------------------

    public static final Param<Boolean> TENSORS = Param.flag("tensors", "List every tensor.");
    public static final Param<Boolean> CLEAR_HEADER_CACHE = Param.flag(
            "clear-header-cache",
            "First delete the "
                    + "remote headers heft kept in its cache folder (HEFT_CACHE_DIR/headers, kept when HEFT_HEADER_CACHE=1).");
    public static final Param<List<Long>> CONTEXTS = Param.list(
                    "context",
                    "TOKENS",
                    Long.class,
                    Tokens::parse,
                    "Context lengths, comma-separated: 1k,8k,128k (default: ${DEFAULT-VALUE}).")
            .defaultValue("4096");
    public static final Param<Boolean> MACS = Param.flag("macs", "Also give multiply-accumulates (FLOPs / 2).");
    public static final Param<List<Long>> INPUT = Param.list(
            "input",
            "N,C,H,W",
            Long.class,
            Params::dimension,
            "Input shape of a network's forward pass (default: the model's own, 1,3,224,224 for most vision models).");
    public static final Param<Boolean> ESTIMATE_TENSORS =
            Param.flag("tensors", "List every weight as transformers names it (Llama-style families).");
    public static final Param<Boolean> LAYERS = Param.flag(
            "layers",
            "torch.nn networks: a torchinfo-style table, "
                    + "one row per module call (output shape, parameters, FLOPs, activation bytes).");

    public static final Param<List<String>> PRECISION_TABLE = Param.list(
                    "dtypes",
                    "FORMATS",
                    String.class,
                    Params::precisionOrDefault,
                    "Print the precision table for these formats (comma-separated; native is the "
                            + "model's own precision; without a value: the model's own, then "
                            + String.join(",", MemoryService.DEFAULT_TABLE) + ", and mxfp4 for MoE models).")
            .fallbackValue(dev.heft.core.plan.WeightPlans.DEFAULT);
    public static final Param<String> BUDGET = Param.value(
            "budget",
            "SIZE|DEVICE",
            String.class,
            String::trim,
            "A memory budget (24GB, 80GiB) or a device id (local: this machine, on the command line): print the "
                    + "largest context and batch that fit.");
    public static final Param<Boolean> TRAIN = Param.flag("train", "Estimate training instead of inference.");
    public static final Param<Optimizer> OPTIMIZER = choice(
                    "optimizer", Optimizer.class, "Optimizer: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
            .defaultValue("adamw");
    public static final Param<Recipe> RECIPE = choice(
                    "recipe",
                    Recipe.class,
                    "Precision recipe: "
                            + "${COMPLETION-CANDIDATES}; mixed is fp32 master weights + bf16 autocast (default: ${DEFAULT-VALUE}).")
            .defaultValue("mixed");
    public static final Param<Boolean> CHECKPOINTING = Param.flag("checkpointing", "Gradient checkpointing per layer.");
    public static final Param<Integer> ZERO = Param.value(
                    "zero",
                    "STAGE",
                    Integer.class,
                    s -> intIn(s, 0, 3),
                    "ZeRO stage 0-3 (3 = FSDP full shard; default: ${DEFAULT-VALUE}).")
            .defaultValue("0")
            .candidates(() -> List.of("0", "1", "2", "3"));
    public static final Param<Integer> GPUS = Param.value(
                    "gpus",
                    "N",
                    Integer.class,
                    s -> intIn(s, 1, 65_536),
                    "GPUs the ZeRO/FSDP states are sharded over (default: ${DEFAULT-VALUE}).")
            .defaultValue("1");
    public static final Param<Boolean> OFFLOAD = Param.flag("offload", "Offload optimizer states to CPU memory.");
    public static final Param<Integer> LORA = Param.value(
                    "lora",
                    "RANK",
                    Integer.class,
                    s -> intIn(s, 0, 65_536),
                    "LoRA rank (default: ${DEFAULT-VALUE}, full fine-tuning).")
            .defaultValue("0");
    public static final Param<Boolean> QLORA = Param.flag("qlora", "LoRA over an NF4 base (QLoRA); needs --lora.");
    public static final Param<List<String>> TRAIN_DEVICES = Param.list(
                    "devices",
                    "DEVICES",
                    String.class,
                    String::trim,
                    "With --train: device setups to time the run on (8xh100-sxm, rtx-4090, ...).")
            .splitAt(DEVICE_LIST);
    public static final Param<Long> TOKENS = Param.value(
                    "tokens",
                    "COUNT",
                    Long.class,
                    Params::tokenBudget,
                    "With --train --devices: the token budget, in decimal units: 500m, 1b, 15t (default: ${DEFAULT-VALUE}).")
            .defaultValue("1b");
    public static final Param<Double> MFU = Param.value(
            "mfu",
            "FRACTION",
            Double.class,
            s -> fraction("mfu", s),
            "With --train --devices: model FLOPs utilisation (default: 0.40 full, 0.30 LoRA, 0.25 QLoRA).");
    /** The options that only mean something with {@code --train}. */
    public static final List<Param<?>> TRAINING_ONLY =
            List.of(OPTIMIZER, RECIPE, CHECKPOINTING, ZERO, GPUS, OFFLOAD, LORA, QLORA, TRAIN_DEVICES, TOKENS, MFU);

    /** {@code fit --train}: whether each device can train the model. */
    public static final Param<Boolean> FIT_TRAIN =
            Param.flag("train", "Also answer for training: full fine-tuning, LoRA and QLoRA on each device.");

    public static final Param<Integer> FIT_LORA = Param.value(
                    "lora",
                    "RANK",
                    Integer.class,
                    s -> intIn(s, 1, 65_536),
                    "LoRA rank of the training verdicts (default: ${DEFAULT-VALUE}).")
            .defaultValue("16");

    public static final Param<List<String>> FIT_DTYPES = Param.list(
                    "dtypes",
                    "FORMATS",
                    String.class,
                    Params::precision,
                    "Precisions, comma-separated; native is the model's own (as stored for files, as "
                            + "published for catalog models and configs), a row of its own unless listed (default: "
                            + "${DEFAULT-VALUE}).")
            .defaultValue(String.join(",", dev.heft.core.api.request.FitRequest.DEFAULT_DTYPES));
    public static final Param<Boolean> ONLY_FITTING = Param.flag("only-fitting", "Only the rows that fit.");

    public static final Param<String> DEVICE = Param.value(
                    "device",
                    "DEVICE",
                    String.class,
                    String::trim,
                    "The device: h200, rtx-4090, m3-max, custom:mem=24GB,bw=936,bf16=71, local (this machine, on the "
                            + "command line), ... ('heft devices' lists them).")
            .required();
    public static final Param<Long> PROMPT = Param.value(
            "prompt",
            "TOKENS",
            Long.class,
            Tokens::parse,
            "Prompt tokens for prefill and time to first token (default: --context).");

    public static final Param<String> QUANT = Param.value(
                    "quant",
                    "FORMAT",
                    String.class,
                    Params::precision,
                    "Quantize to: q4_k_m, q8_0, gptq-4bit-g128, awq, nf4, int8, fp8, mxfp4, ...")
            .candidates(Params::storedPrecisions);
    public static final Param<String> PRUNE = Param.value(
            "prune",
            "SPEC",
            String.class,
            String::trim,
            "Unstructured (50%, 2:4) or structured pruning: heads=16, channels=50%, layers=24, experts=4 (a count, or "
                    + "a percentage of the model's).");
    public static final Param<String> DISTILL = Param.value(
            "distill",
            "STUDENT",
            String.class,
            String::trim,
            "A student: a catalog id, or the teacher's shape with edits: layers=16 (a count) or layers=50%, "
                    + "width=75%.");
    public static final Param<String> KEEP = Param.value(
            "keep",
            "GROUPS",
            String.class,
            String::trim,
            "Layer groups kept at higher precision: embeddings,head=fp16 (groups: embeddings, head, attention, mlp, "
                    + "experts, router, norms; default dtype bf16).");
    public static final Param<String> SPARSE_FORMAT = Param.value(
                    "sparse-format",
                    "FORMAT",
                    String.class,
                    Params::sparseFormat,
                    "Storage of unstructured sparsity: ${COMPLETION-CANDIDATES}.")
            .candidates(() -> List.of("dense", "bitmask", "csr", "2:4"));

    public static final Param<List<String>> SCHEMES = Param.list(
                    "scheme",
                    "SCHEMES",
                    String.class,
                    Params::scheme,
                    "Schemes, comma-separated: q8_0, q4_0, q4_1, q5_0, q5_1, q2_k..q6_k, iq4_nl, iq4_xs, int8-channel, "
                            + "int4-g128 (any group), gptq-4bit-g128, awq, nf4, nf4-dq, fp8-e4m3, fp8-e5m2 "
                            + "(default: ${DEFAULT-VALUE}).")
            .defaultValue(String.join(",", dev.heft.core.api.request.QuantErrorRequest.DEFAULT_SCHEMES))
            .candidates(Params::roundTripPrecisions);
    public static final Param<List<String>> PRUNE_SCHEMES = Param.list(
            "prune", "SPEC", String.class, Params::scheme, "Magnitude-pruning round trips as well: magnitude:0.5.");
    public static final Param<Integer> THREADS =
            Param.value("threads", "N", Integer.class, s -> intIn(s, 1, 1024), "Worker threads (default: all cores).");
    public static final Param<Boolean> INCLUDE_VECTORS =
            Param.flag("include-vectors", "Also measure 1-D tensors (norms, biases).");
    public static final Param<Integer> TOP = Param.value(
                    "top",
                    "N",
                    Integer.class,
                    s -> intIn(s, 0, 10_000),
                    "Most sensitive tensors named per scheme (default: ${DEFAULT-VALUE}).")
            .defaultValue("10");
    public static final Param<Integer> ROWS = Param.value(
                    "rows",
                    "N",
                    Integer.class,
                    s -> intIn(s, 0, 1_000_000),
                    "Worst rows to print (default: ${DEFAULT-VALUE}; --json lists all).")
            .defaultValue("20");

    public static final Param<String> CATEGORY = Param.value(
                    "category",
                    "CATEGORY",
                    String.class,
                    String::trim,
                    "Only devices of this category: ${COMPLETION-CANDIDATES}.")
            .candidates(() -> List.of(
                    "datacenter-gpu", "consumer-gpu", "apple-silicon", "cpu", "edge", "phone", "browser", "custom"));
    public static final Param<Boolean> SOURCES = Param.flag("sources", "Also print each device's datasheet source.");
    public static final Param<Boolean> FAMILIES = Param.flag(
            "families",
            "List the Hugging Face model types counted exactly, and how every other one is approximated (with its "
                    + "measured error).");

    // ---- converters -----------------------------------------------------------------------------------------------

    private static <E extends Enum<E> & Choice> Param<E> choice(String name, Class<E> type, String description) {
        Function<String, E> parse = s -> Choice.parse(type, name, s);
        return Param.value(name, name.toUpperCase(java.util.Locale.ROOT), type, parse, description)
                .candidates(() -> Choice.ids(type));
    }

    private static long batch(String s) {
        long v = longIn(s, 1, Workload.MAX_BATCH);
        return v;
    }

    static long longIn(String s, long min, long max) {
        long v;
        try {
            v = Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            throw new InvalidInputException("expected an integer, got '" + s + "'");
        }
        if (v < min || v > max) {
            throw new InvalidInputException(v + " is outside " + min + ".." + max);
        }
        return v;
    }

    static int intIn(String s, int min, int max) {
        return (int) longIn(s, min, max);
    }

    private static Boolean onOff(String s) {
        return switch (s.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "on", "true", "1", "auto", "" -> true;
            case "off", "false", "0" -> false;
            default -> throw new InvalidInputException("expected on, off or auto, got '" + s + "'");
        };
    }

    private static double fraction(String name, String s) {
        double v;
        try {
            v = Double.parseDouble(s.trim());
        } catch (NumberFormatException e) {
            throw new InvalidInputException("expected a fraction such as 0.9, got '" + s + "'");
        }
        if (!(v > 0 && v <= 1)) {
            throw new InvalidInputException(v + " is not a fraction in (0, 1]");
        }
        return v;
    }

    private static String llamaCacheType(String s) {
        LlamaCppSettings.parseCacheType(s);
        return s.trim();
    }

    private static List<String> llamaCacheTypes() {
        return List.of("f16", "bf16", "f32", "q8_0", "q5_1", "q5_0", "q4_1", "q4_0", "iq4_nl");
    }

    /** A training token budget as people write it, in decimal units: 1000000, 500m, 1b, 15t. */
    static long tokenBudget(String s) {
        String t = s.trim().toLowerCase(java.util.Locale.ROOT).replace("_", "");
        double mult = 1;
        char last = t.isEmpty() ? ' ' : t.charAt(t.length() - 1);
        switch (last) {
            case 'k' -> mult = 1e3;
            case 'm' -> mult = 1e6;
            case 'b' -> mult = 1e9;
            case 't' -> mult = 1e12;
            default -> {}
        }
        try {
            double v = Double.parseDouble(mult == 1 ? t : t.substring(0, t.length() - 1)) * mult;
            if (!(v >= 1 && v < 1e18)) {
                throw new NumberFormatException();
            }
            return (long) v;
        } catch (NumberFormatException e) {
            throw new InvalidInputException("'" + s + "' is not a token budget (e.g. 500m, 1b, 15t)");
        }
    }

    private static long dimension(String s) {
        return longIn(s, 1, 1L << 31);
    }

    /**
     * A precision name as {@code memory --dtype}, {@code fit --dtypes} and {@code compress --quant} accept it: any name
     * of the one vocabulary ({@link Precisions}) that has a stored layout.
     */
    private static String precision(String s) {
        String t = s.trim();
        if (!dev.heft.core.plan.WeightPlan.isNativeName(t)) {
            Precision p = Precisions.parse(t);
            if (p.storage().isEmpty()) {
                throw new InvalidInputException("'" + t + "' is " + p.description() + "; it has no stored layout "
                        + "to size (use it with quant-error --scheme)");
            }
        }
        return t;
    }

    /** A precision, or {@code default} (the model's default table) in {@code memory --dtypes}. */
    private static String precisionOrDefault(String s) {
        return s.trim().equalsIgnoreCase(dev.heft.core.plan.WeightPlans.DEFAULT) ? s.trim() : precision(s);
    }

    /** Completion candidates of the precision options: the vocabulary's names that have a stored layout. */
    private static List<String> storedPrecisions() {
        return Precisions.names().stream()
                .filter(Precisions.Name::storage)
                .map(Precisions.Name::name)
                .toList();
    }

    /** Completion candidates of --scheme: the vocabulary's names that have a round trip. */
    private static List<String> roundTripPrecisions() {
        return Precisions.names().stream()
                .filter(Precisions.Name::roundTrip)
                .map(Precisions.Name::name)
                .toList();
    }

    private static String kvDtype(String s) {
        KvCache.parseDtype(s.trim());
        return s.trim();
    }

    private static String sparseFormat(String s) {
        SparseStorage.parse(s.trim());
        return s.trim();
    }

    /** A quant-error scheme: any name of the one vocabulary that has a round trip. */
    private static String scheme(String s) {
        Precisions.roundTrips(s.trim());
        return s.trim();
    }
}
