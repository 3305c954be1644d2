package dev.heft.core.hub;

import dev.heft.core.error.RemoteModelException;
import dev.heft.core.error.RemoteModelException.Reason;
import java.net.URI;
import java.util.Optional;

/**
 * A non-success status, kept raw until the code that knows what was asked for words it (the Hub layer says "no such
 * revision" where a plain URL says "404 from host"). The Hub names its 4xx reasons in {@code X-Error-Code}
 * ({@code RepoNotFound}, {@code RevisionNotFound}, {@code EntryNotFound}, {@code GatedRepo}) and
 * {@code X-Error-Message}, as huggingface_hub's {@code hf_raise_for_status} reads them.
 */
final class HttpStatus extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int status;
    /** Optional is not serializable; heft never serializes exceptions (this one never leaves the hub package). */
    final transient Optional<String> errorCode;

    final transient Optional<String> errorMessage;
    final URI uri;
    final String what;

    private HttpStatus(int status, Optional<String> errorCode, Optional<String> errorMessage, URI uri, String what) {
        super(what + ": HTTP " + status + " from " + uri.getHost(), null, false, false);
        this.status = status;
        this.errorCode = errorCode;
        this.errorMessage = errorMessage;
        this.uri = uri;
        this.what = what;
    }

    static HttpStatus of(int status, HttpFields headers, URI uri, String what) {
        return new HttpStatus(
                status,
                headers.firstValue("X-Error-Code").map(Http::shorten),
                headers.firstValue("X-Error-Message").map(Http::shorten),
                uri,
                what);
    }

    /** The wording for a URL that is not a Hub repo. */
    RemoteModelException generic() {
        String detail = errorMessage.map(m -> " (" + m + ")").orElse("");
        return switch (status) {
            case 401, 403 ->
                new RemoteModelException(
                        Reason.UNAUTHORIZED,
                        what + ": " + Http.hostPort(uri) + " refused access (HTTP " + status + ")" + detail);
            case 404, 410 ->
                new RemoteModelException(
                        Reason.NOT_FOUND, what + ": not found on " + Http.hostPort(uri) + " (HTTP " + status + ")");
            case 416 ->
                new RemoteModelException(
                        Reason.BAD_ANSWER,
                        what + ": " + Http.hostPort(uri) + " says the "
                                + "byte range asked for is not in the file (HTTP 416): the file is shorter than its listing says");
            default ->
                new RemoteModelException(
                        Reason.HTTP_STATUS,
                        what + ": HTTP " + status + " from " + Http.hostPort(uri) + detail
                                + (status == 429 || status >= 500 ? " (retries spent)" : ""));
        };
    }
}
