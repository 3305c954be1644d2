package dev.heft.core.hub;

import java.net.URI;
import java.util.Locale;

/**
 * Where a connection goes: scheme, host and port (RFC 6454), the key of the {@link ConnectionPool}. Only http and
 * https exist here; {@link Http} refuses every other scheme before a connection is asked for.
 */
record Origin(boolean secure, String host, int port) {

    static Origin of(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new IllegalArgumentException("not an http(s) URL with a host: " + uri);
        }
        boolean secure = scheme.equals("https");
        int port = uri.getPort() >= 0 ? uri.getPort() : secure ? 443 : 80;
        return new Origin(secure, uri.getHost().toLowerCase(Locale.ROOT), port);
    }

    // equals and hashCode by hand: a record's own go through an invokedynamic bootstrap (ObjectMethods) whose method
    // handles run interpreted in a short-lived JVM, and the pool looks an origin up on every request.
    @Override
    public boolean equals(Object o) {
        return o instanceof Origin other && secure == other.secure && port == other.port && host.equals(other.host);
    }

    @Override
    public int hashCode() {
        return (host.hashCode() * 31 + port) * 2 + (secure ? 1 : 0);
    }

    /** The host to connect to: an IPv6 literal without the brackets a URI writes around it. */
    String socketHost() {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    /** The {@code Host} field: the port only when it is not the scheme's default (RFC 9110, section 7.2). */
    String hostField() {
        return port == (secure ? 443 : 80) ? host : host + ":" + port;
    }
}
