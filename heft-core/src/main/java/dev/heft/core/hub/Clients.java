package dev.heft.core.hub;

import java.net.URI;
import java.net.http.HttpClient;
import java.security.Provider;
import java.security.SecureRandom;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * The HTTP clients of one resolve, made on first use: one HTTP/2 client with the JDK's TLS setup for https URLs (the
 * Hub and its CDN), and, only when an http URL is asked for (a mirror, a loopback server), one that cannot do TLS at
 * all. {@link HttpClient} loads the JDK trust store when it is built, whatever the URLs it will see, and parsing that
 * store costs about as much CPU as all the rest of reading a 169-shard repo's headers; a plain-HTTP client has no use
 * for it. A caller's own client (a long-running server's) is used for both.
 */
final class Clients implements AutoCloseable {
    private final NetworkSettings settings;
    private final Optional<HttpClient> shared;
    private HttpClient tls;
    private HttpClient plain;

    Clients(NetworkSettings settings, Optional<HttpClient> shared) {
        this.settings = settings;
        this.shared = shared;
    }

    synchronized HttpClient forUri(URI uri) {
        if (shared.isPresent()) {
            return shared.get();
        }
        if ("http".equals(uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT))) {
            if (plain == null) {
                plain = builder().sslContext(NoTls.CONTEXT).build();
            }
            return plain;
        }
        if (tls == null) {
            tls = builder().build();
        }
        return tls;
    }

    private HttpClient.Builder builder() {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_2)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(settings.connectTimeout());
    }

    @Override
    public synchronized void close() {
        if (tls != null) {
            tls.shutdownNow();
        }
        if (plain != null) {
            plain.shutdownNow();
        }
    }

    /** An SSLContext that refuses to make TLS connections: the plain-HTTP client never needs one. */
    private static final class NoTls extends SSLContextSpi {
        static final SSLContext CONTEXT = new SSLContext(
                new NoTls(),
                new Provider("heft-plain-http", "1", "no TLS: the client of plain http URLs") {},
                "none") {};

        @Override
        protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom random) {}

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            throw refused();
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            throw refused();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            throw refused();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            throw refused();
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            return null;
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            return null;
        }

        @Override
        protected SSLParameters engineGetDefaultSSLParameters() {
            return new SSLParameters();
        }

        @Override
        protected SSLParameters engineGetSupportedSSLParameters() {
            return new SSLParameters();
        }

        private static UnsupportedOperationException refused() {
            return new UnsupportedOperationException("the plain-HTTP client makes no TLS connections");
        }
    }
}
