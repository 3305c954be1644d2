package dev.heft.web;

import dev.heft.core.api.Heft;
import dev.heft.core.api.Model;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Catalog models, resolved once per server and shared by every request that names them. A {@link Model} is immutable
 * and thread-safe, and builds its profile (the architecture's tensors, counts and memory facts) once: resolving a
 * catalog id and building that profile were about a quarter of the CPU of a {@code POST /api/estimate}, for a result
 * that only depends on the id (profiled with JFR under bench/serve-load.sh). Requests themselves are never cached.
 *
 * <p>Bounded: only ids the catalog knows are held (an unknown id throws before anything is stored), and at most
 * {@value #MAX_HELD} spellings of them (the catalog may accept more than one spelling of an id, so a client could
 * otherwise grow the map with variants); past that, a model is resolved for its request alone, as without the cache.
 */
final class CatalogModels {
    /** A few times the catalog's size (about 170 models). */
    static final int MAX_HELD = 1024;

    private final Heft heft;
    private final ConcurrentHashMap<String, Model> held = new ConcurrentHashMap<>();

    CatalogModels(Heft heft) {
        this.heft = heft;
    }

    /** The catalog model {@code id} names ({@link ServerModels#catalog}'s checks and errors). */
    Model get(String id) {
        Model m = held.get(id);
        if (m != null) {
            return m;
        }
        m = ServerModels.catalog(heft, id);
        if (held.size() < MAX_HELD) {
            Model raced = held.putIfAbsent(id, m);
            return raced != null ? raced : m;
        }
        return m;
    }

    int size() {
        return held.size();
    }
}
