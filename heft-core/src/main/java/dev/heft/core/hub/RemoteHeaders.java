package dev.heft.core.hub;

import dev.heft.core.error.RemoteModelException;
import dev.heft.core.error.RemoteModelException.Reason;
import dev.heft.core.error.UnsupportedModelException;
import dev.heft.core.format.HeaderOnly;
import dev.heft.core.format.gguf.GgufExtent;
import dev.heft.core.format.gguf.GgufReader;
import dev.heft.core.format.pytorch.PyTorchCheckpointReader;
import dev.heft.core.format.safetensors.HeaderReader;
import dev.heft.core.format.safetensors.SafetensorsHeader;
import dev.heft.core.format.zip.ZipDirectory;
import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Fetches a remote weight file's header and nothing more (for a zip-format PyTorch checkpoint, its end and pickle:
 * {@link RemoteZip}), with range requests, and parses it with the same readers
 * (and so the same checks) as a local file's header.
 *
 * <p>Bytes: the first request asks for {@value #SLACK} bytes (or the whole file when it is smaller), or, when a lower
 * bound of the header's size is known beforehand ({@link RemoteFile#headerAtLeast()}, from a safetensors index), that
 * bound plus {@value #SLACK}. A safetensors header then says its own length, and one more request fetches exactly the
 * rest, if any is left. A GGUF header does not; its extent is
 * walked ({@link GgufExtent}) and each further request asks up to the certain lower bound of its end plus
 * {@value #SLACK} bytes, so every request but the last holds only needed bytes and the last at most {@value #SLACK}
 * more: at most "needed + 32 KiB" per file, whatever the vocabulary size.
 *
 * <p>A hostile server can do no more than a hostile file: a length field decides nothing before it is checked (a
 * safetensors N of 2^63 is refused by the header reader's own cap, not fetched), a server that ignores Range is read
 * only as far as needed and then cut off, a Content-Range that does not match the ask or a size that disagrees with
 * the listing is refused, a body that ends early is a truncated answer, and all of it runs under the deadline.
 */
final class RemoteHeaders {
    /** The fixed slack per file: the first guess, and the most any file's reads run past its header. */
    static final int SLACK = 32 << 10;

    private final Http http;
    private final Optional<HeaderCache> cache;

    RemoteHeaders(Http http, Optional<HeaderCache> cache) {
        this.http = http;
        this.cache = cache;
    }

    RemoteHeader read(RemoteFile file, Deadline deadline) {
        HeaderPrefix prefix = prefix(file, deadline);
        byte[] b = prefix.bytes();
        if (isGguf(b, b.length)) {
            return new RemoteHeader.Gguf(GgufReader.parseHeader(b, file.label(), prefix.fileSize()));
        }
        if (ZipDirectory.looksLikeZip(b)) {
            return new RemoteHeader.PyTorch(
                    new RemoteZip(http, file, prefix, deadline, RemoteZip.MAX_DIRECTORY, RemoteZip.MAX_ENTRY)
                            .checkpoint());
        }
        if (PyTorchCheckpointReader.isLegacy(b)) {
            throw new UnsupportedModelException(
                    file.label(),
                    0L,
                    "a legacy (pre-1.6) torch.save file: its tensor table comes after all of its tensor data, so "
                            + "reading it means downloading it; download the file and inspect it locally");
        }
        if (b.length >= 8) {
            return new RemoteHeader.Safetensors(HeaderReader.parse(b, file.label(), prefix.fileSize()));
        }
        throw new UnsupportedModelException(
                file.label(),
                0L,
                "not a safetensors, GGUF or zip-format PyTorch file (" + b.length
                        + " bytes); over HTTP heft reads those from their headers");
    }

    /** The header bytes, from the cache when it has them. */
    HeaderPrefix prefix(RemoteFile file, Deadline deadline) {
        Optional<String> key = file.contentId();
        if (cache.isPresent() && key.isPresent()) {
            Optional<HeaderPrefix> hit = cache.get().get(key.get(), file.size());
            if (hit.isPresent()) {
                return hit.get();
            }
        }
        HeaderPrefix fetched = fetchWithRetries(file, deadline);
        if (cache.isPresent() && key.isPresent()) {
            cache.get().put(key.get(), fetched);
        }
        return fetched;
    }

    /** One retry budget for the whole fetch: a failed request and a body that broke off are tried again alike. */
    private HeaderPrefix fetchWithRetries(RemoteFile file, Deadline deadline) {
        return http.withRetries(deadline, () -> fetch(file, deadline));
    }

    private HeaderPrefix fetch(RemoteFile file, Deadline deadline) {
        long listed = file.size().orElse(-1);
        if (listed == 0) {
            return new HeaderPrefix(new byte[0], 0);
        }
        // Every byte below a known lower bound of the header is needed; past it, at most the slack is a guess.
        long guess = Math.min(HeaderOnly.MAX_HEAD_BYTES, Math.max(0, file.headerAtLeast()) + SLACK);
        int first = (int) (listed > 0 ? Math.min(guess, listed) : guess);
        Http.Answer answer = get(file, 0, first, deadline);
        boolean streaming = answer.status() != 206;
        long fileSize;
        byte[] buf;
        int have;
        try {
            if (!streaming) {
                long[] range = contentRange(answer, file, 0, first - 1);
                fileSize = range[2] >= 0 ? range[2] : listed;
                if (fileSize < 0) {
                    throw bad(file, "its Content-Range gives no file size ('bytes a-b/*') and no listing did");
                }
                checkAgainstListing(file, listed, fileSize, "Content-Range");
                buf = readRange(answer, (int) (range[1] + 1), fileSize);
                have = buf.length;
                answer.close();
            } else {
                // The server ignored Range and is sending the whole file: read only as far as the header goes, then
                // cut it off. Its Content-Length is the file size (checked against the listing when there is one).
                OptionalLong length = answer.contentLength();
                fileSize = listed >= 0 ? listed : length.orElse(-1);
                if (fileSize < 0) {
                    answer.close();
                    throw bad(file, "it answered a range request with the whole file and no Content-Length");
                }
                if (length.isPresent()) {
                    checkAgainstListing(file, fileSize, length.getAsLong(), "Content-Length");
                }
                int n = (int) Math.min(first, fileSize);
                buf = answer.readExactly(n);
                have = n;
            }
            while (true) {
                long end = headerEnd(buf, have, fileSize);
                if (end <= have) {
                    int keep = (int) Math.min(have, Math.max(end, 0));
                    return new HeaderPrefix(keep == buf.length ? buf : Arrays.copyOf(buf, keep), fileSize);
                }
                long target = Math.min(fileSize, Math.min((long) HeaderOnly.MAX_HEAD_BYTES, end));
                if (target <= have) {
                    // The header claims to run past the file or past the cap: hand over what there is, and the
                    // parser says what is wrong.
                    return new HeaderPrefix(Arrays.copyOf(buf, have), fileSize);
                }
                buf = Arrays.copyOf(buf, (int) target);
                int n = (int) (target - have);
                if (streaming) {
                    byte[] more = answer.readExactly(n);
                    System.arraycopy(more, 0, buf, have, n);
                } else {
                    try (Http.Answer next = get(file, have, target, deadline)) {
                        if (next.status() != 206) {
                            throw new RemoteModelException(
                                    Reason.NO_RANGE_SUPPORT,
                                    file.what() + ": "
                                            + Http.hostPort(next.uri()) + " answered a request for bytes " + have + "-"
                                            + (target - 1) + " with the whole file (HTTP " + next.status()
                                            + "): it does not "
                                            + "support range requests, and heft reads remote headers with them only");
                        }
                        contentRange(next, file, have, target - 1);
                        byte[] more = next.readExactly(n);
                        System.arraycopy(more, 0, buf, have, n);
                    }
                }
                have = (int) target;
            }
        } finally {
            answer.close();
        }
    }

    /**
     * The {@code sent} bytes of a 206, or, when they hold a whole safetensors header, that header alone in an array of
     * its own size (the rest of the range, at most the slack, read and dropped so that the connection serves again):
     * the parser gets the array as it is, without the copy that trimming a range-sized buffer costs (23.6 MB for
     * DeepSeek-V3's 163 headers). The same bytes are read either way.
     */
    private static byte[] readRange(Http.Answer answer, int sent, long fileSize) {
        // The length prefix and the byte after it: headerEnd judges a length plausible from these as from the whole.
        int peek = SafetensorsHeader.LENGTH_PREFIX_BYTES + 1;
        if (sent <= peek) {
            return answer.readExactly(sent);
        }
        byte[] first = new byte[peek];
        answer.readExactly(first, 0, peek);
        boolean other = isGguf(first, peek) || ZipDirectory.looksLikeZip(first);
        long end = other ? -1 : headerEnd(first, peek, fileSize);
        int keep = end > peek && end <= sent ? (int) end : sent;
        byte[] out = Arrays.copyOf(first, keep);
        answer.readExactly(out, peek, keep - peek);
        answer.skipExactly(sent - keep);
        return out;
    }

    /** A range request; a non-success status goes up as {@link HttpStatus}, for the caller to word. */
    private Http.Answer get(RemoteFile file, long from, long toExclusive, Deadline deadline) {
        return http.getOnce(file.uri(), Http.Range.of(from, toExclusive), deadline, file.what());
    }

    /**
     * Where the header ends, as far as {@code have} bytes tell: at most {@code have} when they hold all of it, else
     * the least end certain so far (for GGUF plus the slack, see the class comment).
     */
    static long headerEnd(byte[] b, int have, long fileSize) {
        if (have >= 4 && isGguf(b, have)) {
            return switch (GgufExtent.scan(b, have, fileSize)) {
                case GgufExtent.Complete c -> c.end();
                case GgufExtent.NeedMore m ->
                    m.atLeast() >= fileSize ? fileSize : Math.min(fileSize, m.atLeast() + SLACK);
                case GgufExtent.Unwalkable u -> have;
            };
        }
        if (have >= 4 && b[0] == 'P' && b[1] == 'K' && b[2] == 3 && b[3] == 4) {
            return have; // a zip (a PyTorch checkpoint): its directory is at the end, read by RemoteZip
        }
        if (have < SafetensorsHeader.LENGTH_PREFIX_BYTES) {
            return have < fileSize ? SafetensorsHeader.LENGTH_PREFIX_BYTES : have;
        }
        long n = 0;
        for (int i = 7; i >= 0; i--) {
            n = (n << 8) | (b[i] & 0xff);
        }
        boolean plausible = n >= 0
                && n <= HeaderReader.MAX_HEADER_BYTES
                && n <= fileSize - SafetensorsHeader.LENGTH_PREFIX_BYTES
                && (have < 9 || b[8] == '{');
        // An implausible length is never fetched: the header reader refuses it from the bytes already here.
        return plausible ? SafetensorsHeader.LENGTH_PREFIX_BYTES + n : have;
    }

    /**
     * Checks a 206's {@code Content-Range} against the ask: it must start where asked and end within it (a shorter
     * range only at the end of the file). Returns {from, to, total or -1}.
     */
    static long[] contentRange(Http.Answer answer, RemoteFile file, long from, long to) {
        try {
            return contentRange(
                    answer.headers().firstValue("Content-Range"),
                    answer.headers().firstValue("Content-Length"),
                    file,
                    from,
                    to);
        } catch (RemoteModelException e) {
            answer.close();
            throw e;
        }
    }

    /**
     * {@link #contentRange(Http.Answer, RemoteFile, long, long)} on the raw header values, independent of the
     * transport (HubResponsesFuzzTest calls it): a Content-Length, when present, is digits that count the range.
     */
    static long[] contentRange(
            Optional<String> contentRange, Optional<String> contentLength, RemoteFile file, long from, long to) {
        String header = contentRange.orElse(null);
        if (header == null) {
            throw bad(file, "a 206 answer has no Content-Range header");
        }
        // Content-Range = "bytes " first-pos "-" last-pos "/" ( complete-length / "*" ) (RFC 9110, section 14.4),
        // each number 1 to 19 digits that fit a long. Read by hand, not by a regex: this runs on every 206.
        String h = header.trim();
        int dash = h.indexOf('-');
        int slash = dash < 0 ? -1 : h.indexOf('/', dash + 1);
        long a = h.startsWith("bytes ") && slash > 0 ? decimal(h, 6, dash) : -1;
        long b = a < 0 ? -1 : decimal(h, dash + 1, slash);
        boolean unknownTotal = slash > 0 && h.length() == slash + 2 && h.charAt(slash + 1) == '*';
        long total = unknownTotal ? -1 : decimal(h, slash + 1, h.length());
        if (a < 0 || b < 0 || (total < 0 && !unknownTotal)) {
            throw bad(file, "unreadable Content-Range '" + Http.shorten(header) + "'");
        }
        boolean endsAtFileEnd = total >= 0 && b == total - 1;
        if (a != from || b < a || b > to || (b < to && !endsAtFileEnd) || (total >= 0 && b >= total)) {
            throw bad(
                    file,
                    "asked for bytes " + from + "-" + to + " but its Content-Range says '" + Http.shorten(header)
                            + "'");
        }
        if (contentLength.isPresent()) {
            String length = contentLength.get().trim();
            if (decimal(length, 0, length.length()) != b - a + 1) {
                throw bad(
                        file,
                        "its Content-Length '" + Http.shorten(length) + "' disagrees with its Content-Range '"
                                + Http.shorten(header) + "'");
            }
        }
        return new long[] {a, b, total};
    }

    /** The decimal in {@code s[from, to)}: 1 to 19 ASCII digits that fit a long, else -1. */
    private static long decimal(String s, int from, int to) {
        if (to - from < 1 || to - from > 19) {
            return -1;
        }
        long n = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            int d = c - '0';
            if (n > (Long.MAX_VALUE - d) / 10) {
                return -1;
            }
            n = n * 10 + d;
        }
        return n;
    }

    private static void checkAgainstListing(RemoteFile file, long listed, long said, String header) {
        if (listed >= 0 && said != listed) {
            throw bad(file, "its " + header + " gives a file of " + said + " bytes but the listing says " + listed);
        }
    }

    private static RemoteModelException bad(RemoteFile file, String problem) {
        return new RemoteModelException(
                Reason.BAD_ANSWER, file.what() + ": the server's answer does not add up: " + problem);
    }

    private static boolean isGguf(byte[] b, int have) {
        return have >= 4 && b[0] == 'G' && b[1] == 'G' && b[2] == 'U' && b[3] == 'F';
    }
}
