package dev.heft.core.hub;

import dev.heft.core.error.InvalidInputException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A Hugging Face Hub model repo, optionally at a revision and optionally one file or folder in it:
 * {@code hf://OWNER/NAME[@REVISION][/PATH]}. A revision holding {@code /} ({@code refs/pr/1}) is written
 * percent-encoded ({@code @refs%2Fpr%2F1}), as huggingface_hub's HfFileSystem does.
 *
 * <p>Every part is checked before it goes into a URL or a cache path: repo ids as huggingface_hub's
 * {@code validate_repo_id} allows them (letters, digits, {@code - _ .}, at most 96 characters, no {@code --} or
 * {@code ..}), a revision without control characters or {@code ..}, a path of plain segments (no {@code .}, {@code ..},
 * backslash or control characters).
 */
public record HubRef(String owner, String name, Optional<String> revision, Optional<String> path) {
    public static final String SCHEME = "hf://";
    public static final String DEFAULT_REVISION = "main";
    private static final Pattern ID_PART = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final int MAX_ID = 96;

    public HubRef {
        requireIdPart(owner);
        requireIdPart(name);
        if (owner.length() + 1 + name.length() > MAX_ID) {
            throw invalid(owner + "/" + name, "a repo id has at most " + MAX_ID + " characters");
        }
        revision.ifPresent(HubRef::requireRevision);
        path = path.filter(p -> !p.isEmpty()).map(HubRef::requirePath);
    }

    /** Parses {@code hf://OWNER/NAME[@REV][/PATH]} (with the scheme) or {@code OWNER/NAME[@REV][/PATH]}. */
    public static HubRef parse(String argument) {
        String s = argument.regionMatches(true, 0, SCHEME, 0, SCHEME.length())
                ? argument.substring(SCHEME.length())
                : argument;
        int slash = s.indexOf('/');
        if (slash <= 0) {
            throw invalid(argument, "expected hf://OWNER/NAME[@REVISION][/PATH]");
        }
        String owner = s.substring(0, slash);
        String rest = s.substring(slash + 1);
        int end = rest.indexOf('/');
        String nameRev = end < 0 ? rest : rest.substring(0, end);
        String path = end < 0 ? "" : rest.substring(end + 1);
        int at = nameRev.indexOf('@');
        String name = at < 0 ? nameRev : nameRev.substring(0, at);
        Optional<String> revision = Optional.empty();
        if (at >= 0) {
            String raw = nameRev.substring(at + 1);
            if (raw.isEmpty()) {
                throw invalid(argument, "empty revision after '@'");
            }
            try {
                revision = Optional.of(URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw invalid(argument, "revision '" + raw + "' is not valid percent-encoding");
            }
        }
        try {
            return new HubRef(owner, name, revision, Optional.of(path));
        } catch (InvalidInputException e) {
            throw new InvalidInputException(argument + ": " + e.getMessage(), e);
        }
    }

    /** Whether {@code s} has the shape of a bare repo id, {@code OWNER/NAME} or {@code OWNER/NAME@REV}. */
    public static boolean looksLikeRepoId(String s) {
        int slash = s.indexOf('/');
        if (slash <= 0 || s.indexOf('/', slash + 1) >= 0) {
            return false;
        }
        String nameRev = s.substring(slash + 1);
        int at = nameRev.indexOf('@');
        String name = at < 0 ? nameRev : nameRev.substring(0, at);
        return ID_PART.matcher(s.substring(0, slash)).matches()
                && ID_PART.matcher(name).matches()
                && !s.contains("--")
                && !s.contains("..")
                && s.length() <= MAX_ID + 64;
    }

    public String repo() {
        return owner + "/" + name;
    }

    public String revisionOrDefault() {
        return revision.orElse(DEFAULT_REVISION);
    }

    public HubRef withPath(String p) {
        return new HubRef(owner, name, revision, Optional.of(p));
    }

    public HubRef withoutPath() {
        return new HubRef(owner, name, revision, Optional.empty());
    }

    /** The MODEL string that names this repo (and file), as a user types it. */
    public String modelString() {
        StringBuilder sb = repoAndRevision();
        path.ifPresent(p -> sb.append('/').append(p));
        return sb.toString();
    }

    /**
     * The MODEL string of {@code file} in this repo at this revision: {@code withPath(file).modelString()}, with the
     * same check of the file's path, but without checking the owner, name and revision again (two regular expressions
     * per call), which this record did when it was made; a remote read names each of a repo's shards this way.
     */
    public String modelString(String file) {
        StringBuilder sb = repoAndRevision();
        if (!file.isEmpty()) {
            sb.append('/').append(requirePath(file));
        }
        return sb.toString();
    }

    private StringBuilder repoAndRevision() {
        StringBuilder sb = new StringBuilder(SCHEME).append(owner).append('/').append(name);
        revision.ifPresent(r -> sb.append('@').append(r.replace("%", "%25").replace("/", "%2F")));
        return sb;
    }

    private static void requireIdPart(String part) {
        if (part == null
                || !ID_PART.matcher(part).matches()
                || part.contains("--")
                || part.contains("..")
                || part.endsWith(".")
                || part.endsWith("-")) {
            throw invalid(
                    String.valueOf(part),
                    "a repo id part is letters, digits, '-', '_' and '.', starting with a "
                            + "letter or digit, without '--' or '..'");
        }
    }

    private static void requireRevision(String r) {
        if (r.isEmpty()
                || r.length() > 256
                || r.contains("..")
                || hasControl(r)
                || r.startsWith("/")
                || r.endsWith("/")) {
            throw invalid(r, "not a usable revision (a branch, tag or commit)");
        }
    }

    private static String requirePath(String p) {
        String trimmed = p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
        for (String segment : trimmed.split("/", -1)) {
            if (segment.isEmpty()
                    || segment.equals(".")
                    || segment.equals("..")
                    || segment.indexOf('\\') >= 0
                    || hasControl(segment)) {
                throw invalid(
                        p,
                        "a path in a repo is plain segments separated by '/' (no '.', '..', '\\' or "
                                + "empty segments)");
            }
        }
        return trimmed;
    }

    /** Whether {@code s} holds a control character (U+0000-U+001F, U+007F); a loop, not a stream per segment. */
    private static boolean hasControl(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return true;
            }
        }
        return false;
    }

    private static InvalidInputException invalid(String what, String why) {
        return new InvalidInputException("'" + Http.shorten(what) + "': " + why);
    }
}
