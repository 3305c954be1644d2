package dev.heft.core.hub;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.heft.core.error.HeftException;
import dev.heft.core.error.InvalidInputException;
import dev.heft.core.error.RemoteModelException;
import dev.heft.core.testing.FuzzBudget;
import dev.heft.core.testing.SeedCorpus;
import dev.heft.core.testing.SharedFixtures;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Jazzer over what a Hub (or any server heft reads a model from) answers, without a transport: the parsing functions of
 * {@code dev.heft.core.hub} that take the answer's bytes and header values. Each may only fail with a typed
 * {@link HeftException}, and what it returns must hold what the callers rely on:
 * <ul>
 *   <li>{@link HubClient#parseTree}, a tree listing page: every entry has a path, a size of at least 0 and a content
 *       id of {@code sha256:} or {@code git:}; each then becomes a {@link RemoteFile} through
 *       {@link HubClient#file(HubRef, RepoEntry)} (its label path and resolve URL), as RemoteWeights makes them;</li>
 *   <li>{@link Http#redirectTarget}, a redirect's {@code Location}: only an http(s) URL with a host comes out;</li>
 *   <li>{@link HubClient#nextPage}, a listing's {@code Link} header: only a URL on the Hub's own origin;</li>
 *   <li>{@link RemoteHeaders#contentRange(Optional, Optional, RemoteFile, long, long)}, a 206's
 *       {@code Content-Range} and {@code Content-Length}: the range returned starts where asked, ends within the ask
 *       and the file, and the length counts it;</li>
 *   <li>{@link RemoteHeaders#headerEnd}, how far a fetched prefix says its header goes: any bytes, any file size;</li>
 *   <li>{@link HubRef#parse}, a MODEL argument {@code hf://OWNER/NAME@REV/PATH}: what parses prints back
 *       ({@link HubRef#modelString()}) as a string that parses to the same reference.</li>
 * </ul>
 *
 * <p>Input layout: byte 0 picks the function (modulo 6, in the order above); the rest is its input: the listing body;
 * {@code FROM-URL\nLOCATION}; the Link value; {@code FROM-TO\nCONTENT-RANGE[\nCONTENT-LENGTH]}; 8 bytes of file size
 * (big-endian) and the prefix; the MODEL string. Seeds ({@link #seeds()}) come from the fixtures and the Hub's own
 * answers (see there).
 */
class HubResponsesFuzzTest {
    static {
        FuzzBudget.configureHooks();
    }

    private static final URI ENDPOINT = URI.create("https://huggingface.co");
    private static final HubRef REPO = HubRef.parse("hf://TinyLlama/TinyLlama-1.1B-Chat-v1.0");
    private static final URI FILE_URI =
            URI.create("https://huggingface.co/TinyLlama/TinyLlama-1.1B-Chat-v1.0/resolve/main/model.safetensors");
    private static final URI LISTING_URI =
            URI.create("https://huggingface.co/api/models/TinyLlama/TinyLlama-1.1B-Chat-v1.0/tree/main?recursive=true");
    private static final RemoteFile FILE = HubClient.url(FILE_URI);
    /** Makes no connection: its HTTP clients are built on the first request, and the target sends none. */
    private static final HubClient HUB = new HubClient(
            ENDPOINT,
            Optional::empty,
            NetworkSettings.defaults(),
            Optional.empty(),
            Optional.empty(),
            Progress.NONE,
            "heft-fuzz");

    enum Kind {
        TREE,
        REDIRECT,
        LINK,
        CONTENT_RANGE,
        HEADER_END,
        HUB_REF
    }

    @FuzzTest(maxDuration = "60s")
    void answers(byte[] data) throws Exception {
        if (data.length == 0) {
            return;
        }
        Kind kind = Kind.values()[(data[0] & 0xff) % Kind.values().length];
        byte[] rest = Arrays.copyOfRange(data, 1, data.length);
        FuzzBudget.run(data.length, () -> {
            try {
                switch (kind) {
                    case TREE -> tree(rest);
                    case REDIRECT -> redirect(text(rest));
                    case LINK -> link(text(rest));
                    case CONTENT_RANGE -> contentRange(text(rest));
                    case HEADER_END -> headerEnd(rest);
                    case HUB_REF -> hubRef(text(rest));
                }
            } catch (HeftException expected) {
                // a typed refusal: what heft prints as one line
            }
        });
    }

    private static void tree(byte[] body) {
        // The one-pass read, where it takes a page, gives the strict parser's entries (TreeListing).
        List<RepoEntry> plain = TreeListing.entries(body);
        if (plain != null) {
            List<RepoEntry> strict = new ArrayList<>();
            try {
                HubClient.parseTreeStrict(body, REPO.modelString(), strict);
            } catch (RemoteModelException e) {
                require(
                        e.reason() == RemoteModelException.Reason.TOO_LARGE,
                        "the one-pass listing read took a page the strict parser refuses: " + e.getMessage());
            }
            require(strict.size() > HubClient.MAX_LISTING_ENTRIES || strict.equals(plain), "one-pass listing entries");
        }
        List<RepoEntry> entries = new ArrayList<>();
        try {
            HubClient.parseTree(body, REPO.modelString(), entries);
        } catch (RemoteModelException e) {
            require(
                    e.reason() == RemoteModelException.Reason.BAD_ANSWER
                            || e.reason() == RemoteModelException.Reason.TOO_LARGE,
                    "listing refused for " + e.reason());
            return;
        }
        require(entries.size() <= HubClient.MAX_LISTING_ENTRIES, "more entries than the cap");
        for (RepoEntry e : entries) {
            require(!e.path().isEmpty() && e.size() >= 0, "entry without a path or size: " + e);
            require(
                    e.contentId().isEmpty()
                            || e.contentId().get().startsWith("sha256:")
                            || e.contentId().get().startsWith("git:"),
                    "content id " + e.contentId());
            RemoteFile file = HUB.file(REPO, e);
            require(file.size().equals(OptionalLong.of(e.size())), "size changed on the way to a RemoteFile");
            require(httpUrl(file.uri()) && Http.origin(file.uri()).equals(Http.origin(ENDPOINT)), "resolve URL");
        }
    }

    private static void redirect(String input) {
        int nl = input.indexOf('\n');
        URI from = FILE_URI;
        String location = input;
        if (nl >= 0) {
            location = input.substring(nl + 1);
            try {
                URI given = new URI(input.substring(0, nl));
                if (httpUrl(given)) {
                    from = given;
                }
            } catch (java.net.URISyntaxException ignored) {
                // keep the default
            }
        }
        URI next;
        try {
            next = Http.redirectTarget(from, location, FILE.what());
        } catch (RemoteModelException e) {
            require(e.reason() == RemoteModelException.Reason.REFUSED_REDIRECT, "redirect refused for " + e.reason());
            return;
        }
        require(httpUrl(next), "followed a redirect to " + next);
        Http.origin(next);
    }

    private static void link(String value) {
        Optional<URI> next = HubClient.nextPage(value, LISTING_URI, ENDPOINT);
        next.ifPresent(n -> require(Http.origin(n).equals(Http.origin(ENDPOINT)), "next page off the Hub: " + n));
    }

    private static void contentRange(String input) {
        String[] lines = input.split("\n", 3);
        long from = 0;
        long to = 32767;
        int dash = lines[0].indexOf('-');
        if (lines.length > 1 && dash > 0) {
            try {
                from = Long.parseLong(lines[0].substring(0, dash));
                to = Long.parseLong(lines[0].substring(dash + 1));
            } catch (NumberFormatException e) {
                from = 0;
                to = 32767;
            }
        }
        Optional<String> range = Optional.of(lines.length > 1 ? lines[1] : lines[0]);
        Optional<String> length = lines.length > 2 ? Optional.of(lines[2]) : Optional.empty();
        long[] r = RemoteHeaders.contentRange(range, length, FILE, from, to);
        require(r[0] == from && r[1] >= r[0] && r[1] <= to, "range " + Arrays.toString(r) + " for " + from + "-" + to);
        require(r[2] == -1 || r[1] < r[2], "range past the file: " + Arrays.toString(r));
        length.ifPresent(l -> require(Long.parseLong(l.trim()) == r[1] - r[0] + 1, "length " + l));
    }

    private static void headerEnd(byte[] input) {
        if (input.length < 8) {
            return;
        }
        long declared = ByteBuffer.wrap(input, 0, 8).getLong() & Long.MAX_VALUE;
        byte[] prefix = Arrays.copyOfRange(input, 8, input.length);
        long fileSize = Math.max(declared, prefix.length);
        RemoteHeaders.headerEnd(prefix, prefix.length, fileSize);
    }

    private static void hubRef(String argument) {
        HubRef ref;
        try {
            ref = HubRef.parse(argument);
        } catch (InvalidInputException refused) {
            return;
        }
        HubRef again = HubRef.parse(ref.modelString());
        require(again.equals(ref), ref.modelString() + " parses to " + again + ", not " + ref);
        ref.path().ifPresent(p -> {
            URI uri = HUB.resolveUri(ref, p);
            require(httpUrl(uri) && Http.origin(uri).equals(Http.origin(ENDPOINT)), "resolve URL " + uri);
            HubClient.label(ref, p);
        });
    }

    private static boolean httpUrl(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        return (scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null;
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    private static void require(boolean condition, String what) {
        if (!condition) {
            throw new AssertionError(what);
        }
    }

    // ----- seeds

    static byte[] input(Kind kind, byte[] rest) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(kind.ordinal());
        out.writeBytes(rest);
        return out.toByteArray();
    }

    static byte[] input(Kind kind, String rest) {
        return input(kind, rest.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Seeds: tree listings of real fixture repos ({@code ../shared/fixtures/hf/...}) in the shape of the Hub's tree API
     * ({@code GET /api/models/{repo}/tree/{rev}?recursive=true}, as huggingface_hub's {@code list_repo_tree} reads it,
     * and FakeHub serves it), with each file's real git blob id and, for weight files, the LFS sha256 and size; the
     * redirects, Link headers and Content-Ranges the Hub and its CDN send (and the hostile ones of HostileHttpServer);
     * the first bytes of fixture safetensors and GGUF files with their real sizes; MODEL strings of the README.
     */
    static Map<String, byte[]> seeds() {
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        seeds.put("tree-tiny-llama-sharded", input(Kind.TREE, listing("hf/safetensors/tiny-llama-sharded")));
        seeds.put("tree-tiny-gpt2-tied", input(Kind.TREE, listing("hf/safetensors/tiny-gpt2-tied")));
        seeds.put(
                "tree-dirs-and-pointers",
                input(
                        Kind.TREE,
                        "[{\"type\":\"directory\",\"oid\":\"4b825dc642cb6eb9a060e54bf8d69288fbee4904\",\"size\":0,"
                                + "\"path\":\"Q4_K_M\"},{\"type\":\"file\",\"oid\":\"e69de29bb2d1d6434b8b29ae775ad8c2e48c5391\","
                                + "\"size\":134,\"path\":\"Q4_K_M/x.gguf\",\"lfs\":{\"oid\":\"" + "0".repeat(64)
                                + "\",\"size\":4920734176,\"pointerSize\":134}}]"));
        seeds.put(
                "redirect-relative",
                input(
                        Kind.REDIRECT,
                        FILE_URI + "\n/api/resolve-cache/models/TinyLlama/TinyLlama-1.1B-Chat-v1.0/"
                                + "fe8a4ea1ffedaf415f4da2f062534de366a451e6/model.safetensors"));
        seeds.put(
                "redirect-cdn",
                input(
                        Kind.REDIRECT,
                        FILE_URI + "\nhttps://cas-bridge.xethub.hf.co/xet-bridge-us/abc?X-Amz-Expires=3600&"
                                + "response-content-disposition=inline%3B+filename*%3DUTF-8%27%27model.safetensors"));
        seeds.put("redirect-file", input(Kind.REDIRECT, FILE_URI + "\nfile:///etc/passwd"));
        seeds.put("redirect-jar", input(Kind.REDIRECT, FILE_URI + "\njar:http://127.0.0.1:1/x.jar!/y"));
        seeds.put(
                "link-next",
                input(
                        Kind.LINK,
                        "<https://huggingface.co/api/models/TinyLlama/TinyLlama-1.1B-Chat-v1.0/tree/main?recursive=true"
                                + "&cursor=ZXlKbWFXeGxYMjVoYldVaU9pSm1iMjh1ZEhoMEluMD0%3D>; rel=\"next\""));
        seeds.put("link-elsewhere", input(Kind.LINK, "<https://evil.example/page2>; rel=\"next\""));
        seeds.put("range-first", input(Kind.CONTENT_RANGE, "0-32767\nbytes 0-32767/2200119864\n32768"));
        seeds.put("range-short-file", input(Kind.CONTENT_RANGE, "0-32767\nbytes 0-8191/8192\n8192"));
        seeds.put("range-unknown-total", input(Kind.CONTENT_RANGE, "32768-40959\nbytes 32768-40959/*"));
        seeds.put("range-lying", input(Kind.CONTENT_RANGE, "0-32767\nbytes 0-32767/100\n9223372036854775807"));
        seeds.put("end-safetensors", input(Kind.HEADER_END, prefix("hf/safetensors/tiny-llama-f32/model.safetensors")));
        seeds.put("end-gguf", input(Kind.HEADER_END, prefix(firstGguf())));
        seeds.put("ref-file", input(Kind.HUB_REF, "hf://TinyLlama/TinyLlama-1.1B-Chat-v1.0/model.safetensors"));
        seeds.put(
                "ref-revision",
                input(Kind.HUB_REF, "hf://bartowski/Llama-3.2-1B-Instruct-GGUF@refs%2Fpr%2F1/a/b.gguf"));
        seeds.put("ref-bare", input(Kind.HUB_REF, "openai-community/gpt2@v1.0+x"));
        return seeds;
    }

    /** The tree API's answer for a fixture folder: every file, with its git blob id, and LFS facts for weights. */
    private static String listing(String fixture) {
        Path folder = SharedFixtures.fixture(fixture);
        StringBuilder sb = new StringBuilder("[");
        try (Stream<Path> walk = Files.walk(folder)) {
            for (Path f : walk.filter(Files::isRegularFile).sorted().toList()) {
                byte[] content = Files.readAllBytes(f);
                String rel = folder.relativize(f).toString().replace('\\', '/');
                sb.append(sb.length() > 1 ? "," : "")
                        .append("{\"type\":\"file\",\"oid\":\"")
                        .append(hex("SHA-1", gitBlob(content)))
                        .append("\",\"size\":")
                        .append(content.length)
                        .append(",\"path\":\"")
                        .append(rel)
                        .append('"');
                if (rel.endsWith(".safetensors") || rel.endsWith(".bin") || rel.endsWith(".gguf")) {
                    sb.append(",\"lfs\":{\"oid\":\"")
                            .append(hex("SHA-256", content))
                            .append("\",\"size\":")
                            .append(content.length)
                            .append(",\"pointerSize\":134}");
                }
                sb.append('}');
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sb.append(']').toString();
    }

    /** git's object id input for a blob: {@code "blob " + length + "\0" + content}. */
    private static byte[] gitBlob(byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("blob " + content.length + "\0").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(content);
        return out.toByteArray();
    }

    private static String hex(String algorithm, byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A file's size (8 bytes, big-endian) and its first 4 KiB: what a first range request brings. */
    private static byte[] prefix(String fixture) {
        Path f = SharedFixtures.fixture(fixture);
        try {
            byte[] all = Files.readAllBytes(f);
            byte[] head = Arrays.copyOf(all, Math.min(all.length, 4096));
            return ByteBuffer.allocate(8 + head.length)
                    .putLong(all.length)
                    .put(head)
                    .array();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String firstGguf() {
        try (Stream<Path> s = Files.list(SharedFixtures.fixture("gguf"))) {
            Path first = s.filter(p -> p.toString().endsWith(".gguf"))
                    .sorted()
                    .findFirst()
                    .orElseThrow();
            return "gguf/" + first.getFileName();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void committedSeedsAreWhatTheGeneratorWrites() throws IOException {
        SeedCorpus.verify(SeedCorpus.dir(HubResponsesFuzzTest.class, "answers"), seeds());
    }

    public static void main(String[] args) {
        SeedCorpus.write(SeedCorpus.dir(HubResponsesFuzzTest.class, "answers"), seeds());
    }
}
