package dev.heft.web;

/**
 * A request the server refuses for HTTP reasons rather than heft ones: an unknown path (404), a wrong method (405), a
 * body too large (413) or of the wrong type (415). Engine errors ({@link dev.heft.core.error.HeftException}) are 400s
 * and are mapped where they are caught.
 */
final class HttpError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;

    HttpError(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    int status() {
        return status;
    }
}
