package dev.heft.core.precision;

import dev.heft.core.compress.GgufFormat;
import dev.heft.core.compress.LlamaFileType;
import dev.heft.core.compress.PrecisionFormat;
import dev.heft.core.compress.PrecisionFormats;
import dev.heft.core.error.InvalidInputException;
import dev.heft.core.quant.QuantScheme;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The one precision vocabulary: every name {@code memory --dtype}, {@code compress --quant} and
 * {@code quant-error --scheme} accept, with what each means for storage and for the round trip. It joins the two
 * grammars that grew apart ({@link PrecisionFormats#parse}: Q4_K_M, gptq-4bit-g128, fp8-block128; and
 * {@link QuantScheme#parse}: q4_k, int4-g128, magnitude:0.5) so that every name either accepted keeps working in
 * every command, meaning the same thing:
 * <ul>
 *   <li>a llama.cpp name that is both a file type and a block type ({@code q8_0}, {@code q4_0}, {@code q2_k},
 *       {@code q6_k}, {@code iq4_nl}, ...) stores as llama-quantize's mixture and round-trips as that block type;</li>
 *   <li>a k-quant block type without a file type of its own ({@code q3_k}, {@code q4_k}, {@code q5_k}) stores as
 *       {@code llama-quantize --pure} of the file type that starts at it (Q3_K_S, Q4_K_S, Q5_K_S), every quantizable
 *       tensor in that one type;</li>
 *   <li>GPTQ/AWQ names round-trip as 4-bit round-to-nearest in their groups ({@code int4-gN}; GPTQ's
 *       Hessian-guided rounding is not modelled), int8 and FP8 per tensor as their schemes.</li>
 * </ul>
 * {@link #names()} lists the accepted names with one line each (completion candidates, docs, the web page).
 */
public final class Precisions {

    /** One accepted name and what it means, for completion candidates and documentation. */
    public record Name(String name, String description, boolean storage, boolean roundTrip) {}

    /** K-quant block types that have no llama.cpp file type of the same name: the file type that starts at them. */
    private static final Map<String, LlamaFileType> PURE_BLOCK_TYPES =
            Map.of("q3_k", LlamaFileType.Q3_K_S, "q4_k", LlamaFileType.Q4_K_S, "q5_k", LlamaFileType.Q5_K_S);

    private Precisions() {}

    /** Parses any name either grammar accepts, or throws one {@link InvalidInputException} listing the known ones. */
    public static Precision parse(String typed) {
        if (typed == null || typed.isBlank()) {
            throw unknown(String.valueOf(typed));
        }
        String name = typed.trim();
        String lower = name.toLowerCase(Locale.ROOT);
        Optional<PrecisionFormat> storage =
                Optional.ofNullable(PURE_BLOCK_TYPES.get(lower)).map(t -> (PrecisionFormat) new GgufFormat(t, true));
        InvalidInputException storageError = null;
        if (storage.isEmpty()) {
            try {
                storage = Optional.of(PrecisionFormats.parse(name));
            } catch (InvalidInputException e) {
                storageError = e;
            }
        }
        Optional<QuantScheme> roundTrip = Optional.empty();
        InvalidInputException schemeError = null;
        try {
            roundTrip = Optional.of(QuantScheme.parse(name));
        } catch (InvalidInputException e) {
            schemeError = e;
        }
        if (roundTrip.isEmpty() && storage.isPresent()) {
            roundTrip = equivalentRoundTrip(storage.get());
        }
        if (storage.isEmpty() && roundTrip.isEmpty()) {
            // A name of the right family with a bad value ("int4-g0", "magnitude:1.5") keeps its precise message.
            boolean looksLikeScheme = lower.startsWith("int4-g")
                    || lower.startsWith("nf4-b")
                    || lower.startsWith("magnitude")
                    || lower.startsWith("prune-");
            if (looksLikeScheme
                    && schemeError != null
                    && !schemeError.getMessage().startsWith("unknown")) {
                throw schemeError;
            }
            if (storageError != null && !storageError.getMessage().startsWith("unknown")) {
                throw storageError;
            }
            throw unknown(typed);
        }
        return new Precision(name, storage, roundTrip);
    }

    /** The round trip a storage format is measured by, where heft implements it. */
    private static Optional<QuantScheme> equivalentRoundTrip(PrecisionFormat f) {
        String label = f.label().toLowerCase(Locale.ROOT);
        if (label.matches("(gptq|awq)-4bit-g\\d+(-actorder)?")) {
            int g = Integer.parseInt(label.replaceAll(".*-g(\\d+).*", "$1"));
            return Optional.of(new QuantScheme.Int4Group(g));
        }
        return Optional.empty();
    }

    /** Parses a comma-separated list, keeping order and rejecting duplicates and empty lists. */
    public static List<Precision> parseList(String csv) {
        List<Precision> out = new ArrayList<>();
        for (String part : csv.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            Precision p = parse(part);
            if (out.stream().anyMatch(q -> q.name().equalsIgnoreCase(p.name()))) {
                throw new InvalidInputException("precision '" + part.trim() + "' is listed twice");
            }
            out.add(p);
        }
        if (out.isEmpty()) {
            throw new InvalidInputException("no precision given");
        }
        return List.copyOf(out);
    }

    /**
     * The round-trip schemes of a list, for quant-error: a name with no round trip gets a one-line error that says
     * what it is and which names measure its parts.
     */
    public static List<QuantScheme> roundTrips(String csv) {
        List<QuantScheme> out = new ArrayList<>();
        for (Precision p : parseList(csv)) {
            QuantScheme q = p.roundTrip()
                    .orElseThrow(() -> new InvalidInputException("scheme '" + p.name()
                            + "' has no round trip in heft: " + p.description()
                            + (p.storage().orElse(null) instanceof GgufFormat
                                    ? "; measure its block types one by one, e.g. q4_k,q6_k"
                                    : "")));
            if (out.contains(q)) {
                throw new InvalidInputException("scheme '" + p.name() + "' is listed twice");
            }
            out.add(q);
        }
        return List.copyOf(out);
    }

    /** Every accepted name (representative ones for the open families: any group size, any pruning fraction). */
    public static List<Name> names() {
        Map<String, Name> out = new LinkedHashMap<>();
        List<String> all = new ArrayList<>(PrecisionFormats.knownNames());
        all.addAll(List.of(
                "q8_0",
                "q4_0",
                "q4_1",
                "q5_0",
                "q5_1",
                "q2_k",
                "q3_k",
                "q4_k",
                "q5_k",
                "q6_k",
                "iq4_nl",
                "iq4_xs",
                "int8-channel",
                "int4-g128",
                "int4-g64",
                "nf4",
                "nf4-dq",
                "fp8-e4m3",
                "fp8-e5m2",
                "magnitude:0.5"));
        for (String n : all) {
            String key = n.toLowerCase(Locale.ROOT);
            if (out.containsKey(key)) {
                continue;
            }
            Precision p = parse(n);
            out.put(
                    key,
                    new Name(
                            n,
                            p.description(),
                            p.storage().isPresent(),
                            p.roundTrip().isPresent()));
        }
        return List.copyOf(out.values());
    }

    private static InvalidInputException unknown(String typed) {
        List<String> known = names().stream().map(Name::name).toList();
        return new InvalidInputException("unknown precision '" + typed + "'. Known: " + String.join(", ", known)
                + " (any int4-gN / gptq-Nbit-gN group size, magnitude:F pruning; add -pure to a llama.cpp type)");
    }
}
