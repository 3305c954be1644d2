package dev.heft.web;

import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;

/**
 * Reads a request body with a hard cap: the declared length is checked first, then every byte actually read. (The
 * server has already read the body, against a deadline and within its own per-path cap; see {@link HttpFront}.)
 */
final class RequestBody {
    private RequestBody() {}

    static byte[] read(HttpExchange ex, int max) throws IOException {
        String declared = ex.getRequestHeaders().getFirst("Content-Length");
        if (declared != null) {
            long n;
            try {
                n = Long.parseLong(declared.trim());
            } catch (NumberFormatException e) {
                throw new HttpError(400, "Content-Length '" + declared + "' is not a number");
            }
            if (n < 0) {
                throw new HttpError(400, "Content-Length " + n + " is negative");
            }
            if (n > max) {
                throw new HttpError(
                        413, "request body of " + n + " bytes is larger than the " + max + " bytes accepted here");
            }
        }
        if (ex instanceof FrontExchange front) {
            byte[] whole = front.takeBody();
            if (whole != null) {
                // Already read by the front, within its own cap for the path: only this caller's cap is left to check.
                if (whole.length > max) {
                    throw new HttpError(413, "request body is larger than the " + max + " bytes accepted here");
                }
                return whole;
            }
        }
        // Chunked bodies carry no length: count as we read, and stop one byte past the cap. The buffer grows as bytes
        // arrive; a declared length sizes nothing (a client may declare 100 MB and send nothing).
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        try (InputStream in = ex.getRequestBody()) {
            byte[] buf = new byte[8 << 10];
            int r;
            while ((r = in.read(buf)) > 0) {
                if (out.size() > max - r) {
                    throw new HttpError(413, "request body is larger than the " + max + " bytes accepted here");
                }
                out.write(buf, 0, r);
            }
        }
        return out.toByteArray();
    }

    /** The media type without parameters, lower case ({@code application/json; charset=utf-8} -> application/json). */
    static String mediaType(HttpExchange ex) {
        String ct = ex.getRequestHeaders().getFirst("Content-Type");
        if (ct == null) {
            return "";
        }
        int semi = ct.indexOf(';');
        return (semi < 0 ? ct : ct.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    }
}
