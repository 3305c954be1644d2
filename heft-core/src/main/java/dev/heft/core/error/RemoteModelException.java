package dev.heft.core.error;

/**
 * A model that lives behind a URL (a Hugging Face Hub repo, an {@code https://} file) could not be read because of the
 * network or the server, not because of the model's bytes (a corrupt header read over HTTP is still a
 * {@link CorruptModelException}). The message is one line that names the repo, revision, file or host concerned and
 * what to do about it; {@link #reason()} says which kind of failure it was, for callers that react to it (the web app
 * maps {@link Reason#UNAUTHORIZED} to its own hint, tests assert the kind rather than the wording).
 */
public final class RemoteModelException extends HeftException {
    private static final long serialVersionUID = 1L;

    /** What went wrong, one value per message family. */
    public enum Reason {
        /** 401/403: a gated or private repo and no token, or a token without access. */
        UNAUTHORIZED,
        /** 404: no such repo, revision or file. */
        NOT_FOUND,
        /** The server answered a range request for bytes past the start with the whole file. */
        NO_RANGE_SUPPORT,
        /** The answer ended before the bytes its headers promised, or its Content-Range does not match the ask. */
        BAD_ANSWER,
        /** More redirects than allowed, or one back to a URL already visited. */
        REDIRECT_LOOP,
        /** A redirect to something that is not http or https ({@code file:}, {@code jar:}, ...). */
        REFUSED_REDIRECT,
        /** No answer, or not all of it, within the time allowed. */
        TIMEOUT,
        /** The host name does not resolve. */
        DNS,
        /** The connection could not be made or broke, and retrying did not help. */
        CONNECTION,
        /** Offline mode (HF_HUB_OFFLINE) and nothing cached, or remote reading not allowed here. */
        OFFLINE,
        /** Any other HTTP status that is not a success (after retries for 429 and 5xx). */
        HTTP_STATUS,
        /** The answer is larger than heft accepts for what it is (a tree listing, an index, a header). */
        TOO_LARGE
    }

    private final Reason reason;

    public RemoteModelException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public RemoteModelException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
